import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

export interface SecureNamespaceProps {
  readonly name: string;
  readonly labels?: Record<string, string>;
}

/**
 * A namespace whose admission enforces Pod Security Standards *restricted* and whose network starts
 * closed: every pod, including one a learner adds by hand later, is denied ingress and egress until a
 * NetworkPolicy allows a flow.
 */
export class SecureNamespace extends Construct {
  readonly namespace: kplus.Namespace;

  constructor(scope: Construct, id: string, props: SecureNamespaceProps) {
    super(scope, id);
    this.namespace = new kplus.Namespace(this, 'Namespace', {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          // The API server itself refuses pods that are not restricted, not only `npm run k8s:check`.
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
    new kplus.NetworkPolicy(this, 'DefaultDeny', {
      metadata: { name: 'default-deny-all', namespace: props.name },
      selector: kplus.Pods.all(this, 'AllPods'),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
  }
}
