/**
 * Policies across objects: disruption budgets, network policy coverage, Service wiring, and whether
 * a dev chart fits a laptop cluster.
 */
import { PART_OF_LABEL, PROFILE_LABEL } from '../metadata';
import { MIB, formatCpu, formatMemory, parseQuantity } from '../quantity';
import { Manifest, PodTemplate, containersOf, refOf, selects } from './manifest';
import { CREDENTIAL_NAME } from './pod-policies';
import { CheckResult, Findings } from './results';

/** What a single-node kind or minikube cluster of 2 CPUs / 4 GiB can give a chart next to its system pods. */
export const DEV_FIT = { cpuMillis: 1500, memoryMebibytes: 3072 } as const;

const SCALABLE = ['Deployment', 'StatefulSet', 'ReplicaSet'];

function inNamespace(manifests: readonly Manifest[], kind: string, namespace: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind && (m.metadata?.namespace ?? 'default') === namespace);
}

function autoscalerOf(manifests: readonly Manifest[], template: PodTemplate): Manifest | undefined {
  return inNamespace(manifests, 'HorizontalPodAutoscaler', template.namespace).find(
    (hpa) => hpa.spec?.scaleTargetRef?.kind === template.owner.kind && hpa.spec?.scaleTargetRef?.name === template.ref.name,
  );
}

/** The replica range a workload can run at: its autoscaler's bounds, or its fixed count (Kubernetes defaults to 1). */
function replicaRange(manifests: readonly Manifest[], template: PodTemplate): { min: number; max: number } {
  const hpa = autoscalerOf(manifests, template);
  if (hpa) return { min: hpa.spec.minReplicas ?? 1, max: hpa.spec.maxReplicas ?? 1 };
  const fixed = template.owner.kind === 'Pod' ? 1 : (template.owner.spec?.replicas ?? 1);
  return { min: fixed, max: fixed };
}

export function checkDisruptionBudget(manifests: readonly Manifest[], template: PodTemplate): CheckResult[] {
  const findings = new Findings('pod-disruption-budget', template.ref);
  if (!SCALABLE.includes(template.owner.kind)) return findings.results('', `${template.owner.kind} pods are not evicted as a group`);
  const { max } = replicaRange(manifests, template);
  const budget = inNamespace(manifests, 'PodDisruptionBudget', template.namespace).find((pdb) => selects(pdb.spec?.selector, template.labels));
  if (max > 1 && !budget) {
    findings.fail(`${template.path.replace(/\.spec$/, '')}.metadata.labels`, `up to ${max} replicas and no PodDisruptionBudget selects its pods: a node drain may evict them all at once`);
  }
  const { min } = replicaRange(manifests, template);
  const blocked = budget === undefined ? undefined : neverDisrupts(budget, min);
  if (blocked !== undefined) findings.fail(`PodDisruptionBudget ${budget!.metadata?.name}`, `${blocked}: it never lets a pod go, so kubectl drain and node upgrades hang`);
  return findings.results('', budget ? `covered by PodDisruptionBudget ${budget.metadata?.name}` : 'a single replica needs no budget');
}

/** Why a budget allows no eviction at `replicas` (the fewest the workload runs), or undefined. */
function neverDisrupts(budget: Manifest, replicas: number): string | undefined {
  const { minAvailable, maxUnavailable } = budget.spec ?? {};
  if (maxUnavailable === 0 || maxUnavailable === '0%') return `maxUnavailable ${maxUnavailable}`;
  if (minAvailable === '100%') return 'minAvailable 100%';
  if (typeof minAvailable === 'number' && minAvailable >= replicas) return `minAvailable ${minAvailable} with ${replicas} replica(s)`;
  return undefined;
}

export function checkNetworkPolicy(manifests: readonly Manifest[], template: PodTemplate): CheckResult[] {
  const findings = new Findings('network-policy', template.ref);
  const policies = inNamespace(manifests, 'NetworkPolicy', template.namespace).filter((p) => selects(p.spec?.podSelector, template.labels));
  // Without policyTypes, a policy governs Ingress, and Egress only if it has egress rules.
  const governs = (policy: Manifest, type: string) => (policy.spec?.policyTypes ?? (policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'])).includes(type);
  for (const type of ['Ingress', 'Egress']) {
    if (!policies.some((p) => governs(p, type))) {
      findings.fail(`${template.path.replace(/\.spec$/, '')}.metadata.labels`, `no NetworkPolicy governs ${type.toLowerCase()} traffic of these pods: every flow is open`);
    }
  }
  // A rule with neither peers nor ports allows every flow of its direction: the default deny undone.
  for (const policy of policies) {
    for (const [field, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
      ((policy.spec?.[field] ?? []) as Manifest[]).forEach((rule, i) => {
        if ((rule[peers] ?? []).length === 0 && (rule.ports ?? []).length === 0) {
          findings.fail(`NetworkPolicy ${policy.metadata?.name} spec.${field}[${i}]`, `allows all ${field} traffic (no ${peers}, no ports): name the peers and ports the pods need`);
        }
      });
    }
  }
  return findings.results('', `selected by ${policies.length} NetworkPolicies covering ingress and egress`);
}

const PROBE_HANDLERS = ['httpGet', 'tcpSocket', 'exec', 'grpc'] as const;

/**
 * A readiness probe that asks what the liveness probe asks, on pods that reach other workloads:
 * when a dependency is down, the kubelet then restarts pods that only had to wait, and restarting
 * cannot bring the dependency back. Liveness checks the process alone; readiness its dependencies.
 */
export function checkProbePurpose(manifests: readonly Manifest[], template: PodTemplate): CheckResult[] {
  const findings = new Findings('probe-purpose', template.ref);
  const dependencies = dependenciesOf(manifests, template);
  const handler = (probe: Manifest) => JSON.stringify(PROBE_HANDLERS.map((key) => probe[key] ?? null));
  for (const { container, path, init } of containersOf(template)) {
    const { readinessProbe, livenessProbe } = container;
    if (init || !readinessProbe || !livenessProbe || handler(readinessProbe) !== handler(livenessProbe) || dependencies.length === 0) continue;
    findings.fail(
      `${path}.livenessProbe`,
      `container ${container.name} asks the same in its liveness and readiness probes, and its pods depend on ${dependencies.join(', ')}: ` +
        'when one is down the kubelet restarts pods that only need to wait. Let liveness check the process alone (e.g. /healthz) and readiness its dependencies (/readyz)',
    );
  }
  return findings.results('', dependencies.length ? 'liveness and readiness ask different questions' : 'reaches no other workload: one check can serve both probes');
}

/** What the pods may reach, by their egress NetworkPolicies: other pods and address blocks, not DNS and not their own kind. */
function dependenciesOf(manifests: readonly Manifest[], template: PodTemplate): string[] {
  const found = new Set<string>();
  for (const policy of inNamespace(manifests, 'NetworkPolicy', template.namespace).filter((p) => selects(p.spec?.podSelector, template.labels))) {
    for (const rule of (policy.spec?.egress ?? []) as Manifest[]) {
      const ports = (rule.ports ?? []) as Manifest[];
      if (ports.length > 0 && ports.every((port) => port.port === 53 || port.port === 'dns' || port.port === 'dns-tcp')) continue;
      for (const peer of (rule.to ?? []) as Manifest[]) {
        if (peer.ipBlock) found.add(peer.ipBlock.cidr);
        else if (peer.podSelector && !isSelf(peer, template)) {
          found.add(Object.entries(peer.podSelector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`).join(',') || 'every pod');
        }
      }
    }
  }
  return [...found].sort();
}

/** A peer that selects the pods' own kind in their own namespace: replicas talking to each other (a cluster). */
function isSelf(peer: Manifest, template: PodTemplate): boolean {
  const namespace = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
  return selects(peer.podSelector, template.labels) && (namespace === undefined || namespace === template.namespace);
}

export function checkServiceTargets(templates: readonly PodTemplate[], service: Manifest): CheckResult[] {
  const findings = new Findings('service-targets', refOf(service));
  const selector = service.spec?.selector;
  if (!selector) return findings.results('spec.selector', 'no selector: endpoints are managed outside the cluster objects');
  const namespace = service.metadata?.namespace ?? 'default';
  const targets = templates.filter((t) => t.namespace === namespace && selects({ matchLabels: selector }, t.labels));
  if (!targets.length) findings.fail('spec.selector', `selects no pods of these manifests (${JSON.stringify(selector)})`);
  const ports = targets.flatMap((t) => containersOf(t).filter((c) => !c.init).flatMap((c) => (c.container.ports ?? []) as Manifest[]));
  ((service.spec?.ports ?? []) as Manifest[]).forEach((port, i) => {
    const target = port.targetPort ?? port.port;
    const found = ports.some((p) => (typeof target === 'number' ? p.containerPort === target : p.name === target));
    if (targets.length && !found) findings.fail(`spec.ports[${i}].targetPort`, `target port ${target} is not a port of the selected pods (${targets.map((t) => t.ref.name).join(', ')})`);
  });
  return findings.results('spec.ports', `targets ports of ${targets.map((t) => `${t.ref.kind} ${t.ref.name}`).join(', ')}`);
}

/** ConfigMaps are readable by anyone who may read the namespace's configuration: no credentials in them. */
export function checkConfigMapSecrets(configMap: Manifest): CheckResult[] {
  const findings = new Findings('secret-config-map', refOf(configMap));
  for (const key of Object.keys({ ...configMap.data, ...configMap.binaryData })) {
    if (CREDENTIAL_NAME.test(key) && !/_(FILE|PATH|DIR)$/i.test(key)) {
      findings.fail(`data.${key}`, `key ${key} looks like a credential: put it in a Secret (mounted as a file), and keep only its path here`);
    }
  }
  return findings.results('data', 'no credential-looking keys');
}

/** What an autoscaler, an Ingress or an HTTPRoute points at must exist: a dangling name is accepted by the API server and silently does nothing. */
export function checkReferences(manifests: readonly Manifest[], object: Manifest): CheckResult[] {
  const findings = new Findings('references', refOf(object));
  const namespace = object.metadata?.namespace ?? 'default';
  const exists = (kind: string, name: unknown) => inNamespace(manifests, kind, namespace).some((m) => m.metadata?.name === name);
  if (object.kind === 'HorizontalPodAutoscaler') {
    const target = object.spec?.scaleTargetRef ?? {};
    if (!exists(target.kind, target.name)) findings.fail('spec.scaleTargetRef', `scales ${target.kind} ${target.name}, which these manifests do not define`);
  } else if (object.kind === 'HTTPRoute') {
    // A reference without a kind means a Gateway (parents) or a Service (backends), in the route's own namespace unless it names one.
    const local = (ref: Manifest) => (ref.namespace ?? namespace) === namespace;
    for (const parent of ((object.spec?.parentRefs ?? []) as Manifest[]).filter(local)) {
      if ((parent.kind ?? 'Gateway') === 'Gateway' && !exists('Gateway', parent.name)) findings.fail('spec.parentRefs', `attaches to Gateway ${parent.name}, which these manifests do not define`);
    }
    const backends = ((object.spec?.rules ?? []) as Manifest[]).flatMap((r) => (r.backendRefs ?? []) as Manifest[]).filter(local);
    for (const backend of backends.filter((b) => (b.kind ?? 'Service') === 'Service')) {
      if (!exists('Service', backend.name)) findings.fail('spec.rules', `routes to Service ${backend.name}, which these manifests do not define`);
    }
  } else {
    const backends = [object.spec?.defaultBackend, ...((object.spec?.rules ?? []) as Manifest[]).flatMap((r) => (r.http?.paths ?? []).map((p: Manifest) => p.backend))];
    for (const service of backends.map((b) => b?.service?.name).filter((name): name is string => name !== undefined)) {
      if (!exists('Service', service)) findings.fail('spec.rules', `routes to Service ${service}, which these manifests do not define`);
    }
  }
  return findings.results('spec', 'points at objects these manifests define');
}

/** Requests of one pod: containers run together; init containers run one at a time before them. */
function podRequests(template: PodTemplate): { cpu: number; memory: number } {
  const request = (c: Manifest, resource: string) => parseQuantity(c.resources?.requests?.[resource]) ?? 0;
  const all = containersOf(template);
  const main = all.filter((c) => !c.init || c.container.restartPolicy === 'Always');
  const init = all.filter((c) => c.init && c.container.restartPolicy !== 'Always');
  const sum = (resource: string) => main.reduce((total, c) => total + request(c.container, resource), 0);
  const peak = (resource: string) => Math.max(0, ...init.map((c) => request(c.container, resource)));
  return { cpu: Math.max(sum('cpu'), peak('cpu')), memory: Math.max(sum('memory'), peak('memory')) };
}

/** One result per dev chart (objects labelled with the chart and profile): do its pods fit a laptop cluster? */
export function checkFit(manifests: readonly Manifest[], templates: readonly PodTemplate[]): CheckResult[] {
  const charts = new Map<string, PodTemplate[]>();
  for (const template of templates) {
    const labels = template.owner.metadata?.labels ?? {};
    if (labels[PROFILE_LABEL] !== 'dev' || !labels[PART_OF_LABEL]) continue;
    charts.set(labels[PART_OF_LABEL], [...(charts.get(labels[PART_OF_LABEL]) ?? []), template]);
  }
  return [...charts].flatMap(([chart, members]) => {
    const findings = new Findings('fit', { kind: 'Chart', name: chart });
    let cpu = 0;
    let memory = 0;
    for (const template of members) {
      const { min } = replicaRange(manifests, template);
      const pod = podRequests(template);
      cpu += min * pod.cpu;
      memory += min * pod.memory;
    }
    const total = `${formatCpu(Math.round(cpu * 1000))} CPU and ${formatMemory(Math.round(memory / MIB))} memory`;
    const budget = `${formatCpu(DEV_FIT.cpuMillis)} CPU and ${formatMemory(DEV_FIT.memoryMebibytes)}`;
    if (cpu * 1000 > DEV_FIT.cpuMillis) findings.fail('', `dev pods request ${total}: more than the ${formatCpu(DEV_FIT.cpuMillis)} CPU a 2-CPU node can spare`);
    if (memory / MIB > DEV_FIT.memoryMebibytes) findings.fail('', `dev pods request ${total}: more than the ${formatMemory(DEV_FIT.memoryMebibytes)} a 4 GiB node can spare`);
    return findings.results('', `dev pods request ${total}, within ${budget}`);
  });
}
