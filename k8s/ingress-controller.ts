import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterSettings } from './config';

/**
 * The ingress controller's pods, selected by their namespace: the only peer allowed to reach a chart's
 * front end. ingress-nginx runs in `ingress-nginx` on kind, minikube and when installed on GKE.
 */
export function ingressController(scope: Construct, cluster: ClusterSettings): kplus.Pods {
  return kplus.Pods.all(scope, 'IngressController', {
    namespaces: kplus.Namespaces.select(scope, 'IngressNamespace', { names: [cluster.ingressNamespace] }),
  });
}
