import { ObjectRef } from './manifest';

/** Every check of the gate, with what it means. The ids are stable: tests, the lab CLI and guides use them. */
export const CHECKS = {
  schema: 'types, required fields and formats valid against the OpenAPI schema compiled into kubernetes-models 4.5.1',
  'schema-strict': 'every field exists in the Kubernetes 1.28 schema: a misspelled field (imagee) or one added after 1.28 is an error, not silently dropped',
  'pss-baseline': 'Pod Security baseline: no privileged containers, host namespaces or host ports, unsafe sysctls, unmasked /proc, SELinux types or users beyond the container ones, AppArmor profiles other than runtime/default or localhost/, or Windows HostProcess',
  'pss-run-as-non-root': 'Pod Security restricted: runAsNonRoot true for the pod or every container, and never user 0',
  'pss-privilege-escalation': 'Pod Security restricted: allowPrivilegeEscalation false in every container',
  'pss-capabilities': 'Pod Security restricted: every container drops ALL capabilities and adds none but NET_BIND_SERVICE',
  'pss-seccomp': 'Pod Security restricted: seccomp profile RuntimeDefault or Localhost for the pod or every container',
  'pss-volume-types': 'Pod Security restricted: only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes',
  'read-only-root-filesystem': 'every container runs with a read-only root filesystem (writable paths are explicit volumes)',
  resources: 'every container requests and limits CPU and memory, with requests no larger than limits',
  probes: 'every long-running container has a readiness and a liveness probe',
  'probe-purpose': 'pods that reach other workloads (by their egress NetworkPolicies) do not ask the same in liveness and readiness: a dependency down must not restart them',
  'image-pinned': 'every image names a tag other than latest, or a digest',
  'service-account-token': 'automountServiceAccountToken false, unless the pod template is annotated iac-lab-kit/needs-kubernetes-api with a reason',
  'service-links': 'enableServiceLinks false in every pod: no <SERVICE>_PORT=tcp://... variables that clash with the app\'s own',
  'secret-config-map': 'no ConfigMap key looks like a credential (password, secret, token, key, cookie): credentials belong in Secrets; keys ending _FILE, _PATH or _DIR only say where one is mounted',
  references: 'every HorizontalPodAutoscaler targets a workload, every Ingress or HTTPRoute backend a Service, and every HTTPRoute a Gateway, that the manifests define',
  'secret-env': 'no credential-looking environment variable (password, secret, token, key, cookie) holds a literal value: it must come from a Secret',
  'pod-disruption-budget': 'every workload that can run more than one replica is covered by a PodDisruptionBudget',
  'network-policy': 'every pod is selected by NetworkPolicies for both ingress and egress (default deny, then explicit allows)',
  'service-targets': 'every Service selects pods, and each of its target ports is a port of those pods',
  'api-server':
    "what the API server's own validation refuses beyond the schema: repeated container, volume or port names, two mounts at one path, a mount of an undeclared volume, a selector that misses its template's labels, an autoscaler's maxReplicas below minReplicas",
  fit: 'dev profile: the requests of a chart fit a 2-CPU / 4 GiB kind or minikube node (at most 1500m CPU and 3Gi memory)',
} as const;

export type CheckId = keyof typeof CHECKS;

export interface CheckResult {
  readonly check: CheckId;
  readonly object: ObjectRef;
  /** Dotted path of the field the result is about, e.g. `spec.template.spec.containers[0].image`; '' for the whole object. */
  readonly field: string;
  readonly message: string;
  readonly pass: boolean;
}

/** Collects the violations of one check on one object, and reports a single pass when there are none. */
export class Findings {
  private readonly failures: CheckResult[] = [];

  constructor(
    private readonly check: CheckId,
    private readonly object: ObjectRef,
  ) {}

  fail(field: string, message: string): void {
    this.failures.push({ check: this.check, object: this.object, field, message, pass: false });
  }

  results(field: string, passMessage: string): CheckResult[] {
    return this.failures.length ? this.failures : [{ check: this.check, object: this.object, field, message: passMessage, pass: true }];
  }
}
