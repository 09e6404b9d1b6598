import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterSettings } from './config';

/**
 * Who may reach a chart's front end: the gateway's proxy pods, selected by their namespace (Envoy
 * Gateway runs them in `envoy-gateway-system` on kind, minikube or any cluster), or, for a cloud load
 * balancer that sends traffic straight to the pods (GKE's Gateway controller), its source ranges.
 */
export function gatewayPeers(scope: Construct, cluster: ClusterSettings): kplus.INetworkPolicyPeer[] {
  if (cluster.gatewaySourceRanges.length > 0) {
    return cluster.gatewaySourceRanges.map((cidr, i) => kplus.NetworkPolicyIpBlock.ipv4(scope, `GatewaySource${i}`, cidr));
  }
  return [
    kplus.Pods.all(scope, 'GatewayProxies', {
      namespaces: kplus.Namespaces.select(scope, 'GatewayNamespace', { names: [cluster.gatewayNamespace] }),
    }),
  ];
}

