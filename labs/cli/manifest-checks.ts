/**
 * What the Kubernetes labs' exercise checks read in a synthesized chart: its objects, the gate's
 * verdict, workloads and their mounted files, and the NetworkPolicy rules that govern a workload.
 * Shared by the k8s-web-app and order-processing exercises.
 */
import type { Profile } from '../../common/profiles';
import { type Manifest, selects } from '../../k8s/checks/manifest';
import type { ExerciseInput } from './lab';

/** The chart's objects in one profile (a Kubernetes resource's props is the whole object). */
export function manifestsOf(input: ExerciseInput, profile: Profile = 'dev'): Manifest[] {
  return input[profile].resources.map((r) => r.props);
}

/**
 * The gate's failures (`npm run k8s:check`: strict schema, Pod Security restricted, probes, resources,
 * budgets, NetworkPolicies, dev fit), one line each. Loaded on demand: the schema models are large.
 */
export async function gateProblems(manifests: readonly Manifest[], profile: Profile): Promise<string[]> {
  const { checkManifests, formatRef } = await import('../../k8s/checks');
  return checkManifests(manifests)
    .filter((r) => !r.pass)
    .map((r) => `the gate fails (${profile}): ${r.check} on ${formatRef(r.object)}${r.field ? ` at ${r.field}` : ''}: ${r.message}. Fix it so npm run k8s:check passes`);
}

/**
 * What a reviewer refuses in a chart whatever the exercise: the gate's failures, and objects written
 * into namespaces the chart does not create (another team's, or kube-system, where a policy cuts
 * traffic for every pod there).
 */
export async function chartProblems(manifests: readonly Manifest[], profile: Profile): Promise<string[]> {
  const owned = new Set(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name));
  const foreign = manifests
    .filter((m) => m.metadata?.namespace !== undefined && !owned.has(m.metadata.namespace))
    .map(
      (m) =>
        `${m.kind} ${m.metadata.name} is written into namespace ${m.metadata.namespace} (${profile}), which this chart does not own: write only into the chart's own namespace` +
        (m.kind === 'NetworkPolicy' ? ' (for a connections rule to or from another namespace, pass isolation: kplus.PodConnectionsIsolation.POD so only this side is written)' : ''),
    );
  return [...foreign, ...(await gateProblems(manifests, profile))];
}

export function named(manifests: readonly Manifest[], kind: string, name: string): Manifest | undefined {
  return manifests.find((m) => m.kind === kind && m.metadata?.name === name);
}

/** The Deployments and StatefulSets. */
export function workloads(manifests: readonly Manifest[]): Manifest[] {
  return manifests.filter((m) => ['Deployment', 'StatefulSet'].includes(m.kind));
}

export function podLabels(workload: Manifest): Record<string, string> {
  return workload.spec?.template?.metadata?.labels ?? {};
}

export function mainContainer(workload: Manifest): Manifest {
  return workload.spec?.template?.spec?.containers?.[0] ?? {};
}

/** The autoscalers that scale `workload`. */
export function autoscalersOf(manifests: readonly Manifest[], workload: Manifest): Manifest[] {
  return manifests.filter(
    (m) =>
      m.kind === 'HorizontalPodAutoscaler' &&
      m.metadata?.namespace === workload.metadata?.namespace &&
      m.spec?.scaleTargetRef?.kind === workload.kind &&
      m.spec?.scaleTargetRef?.name === workload.metadata?.name,
  );
}

/** The averageUtilization an autoscaler targets for a resource (`cpu`, `memory`), if it scales on it. */
export function utilizationTarget(autoscaler: Manifest, resource: string): number | undefined {
  for (const metric of autoscaler.spec?.metrics ?? []) {
    const source = metric.type === 'Resource' ? metric.resource : metric.type === 'ContainerResource' ? metric.containerResource : undefined;
    if (source?.name === resource && source.target?.type === 'Utilization') return source.target.averageUtilization;
  }
  return undefined;
}

/** Where a file in a container comes from: a ConfigMap key. */
export interface MountedFile {
  readonly configMap: string;
  readonly key: string;
}

/** The files ConfigMap volumes put into the main container, by absolute path. */
export function configMapFiles(manifests: readonly Manifest[], workload: Manifest): Map<string, MountedFile> {
  const files = new Map<string, MountedFile>();
  const volumes: Manifest[] = workload.spec?.template?.spec?.volumes ?? [];
  for (const mount of mainContainer(workload).volumeMounts ?? []) {
    const source = volumes.find((v) => v.name === mount.name)?.configMap;
    if (!source) continue;
    const data = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata?.namespace === workload.metadata?.namespace && m.metadata?.name === source.name)?.data ?? {};
    // Without items, every key becomes a file of its own name.
    const items: { key: string; path: string }[] = source.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const item of items) {
      const path = mount.subPath === undefined ? `${mount.mountPath.replace(/\/$/, '')}/${item.path}` : item.path === mount.subPath ? mount.mountPath : undefined;
      if (path !== undefined) files.set(path, { configMap: source.name, key: item.key });
    }
  }
  return files;
}

/** One NetworkPolicy rule as it applies to a workload. */
export interface PolicyRule {
  readonly policy: Manifest;
  /** `from` of an ingress rule, `to` of an egress rule; empty means every peer. */
  readonly peers: readonly Manifest[];
  /** Empty means every port. */
  readonly ports: readonly Manifest[];
}

/** The rules of every NetworkPolicy that selects the workload's pods, for one direction. */
export function rulesFor(manifests: readonly Manifest[], workload: Manifest, direction: 'ingress' | 'egress'): PolicyRule[] {
  const namespace = workload.metadata?.namespace;
  return manifests
    .filter((m) => m.kind === 'NetworkPolicy' && m.metadata?.namespace === namespace && selects(m.spec?.podSelector, podLabels(workload)))
    .flatMap((policy) =>
      ((policy.spec?.[direction] ?? []) as Manifest[]).map((rule) => ({
        policy,
        peers: rule[direction === 'ingress' ? 'from' : 'to'] ?? [],
        ports: rule.ports ?? [],
      })),
    );
}

/** The namespace a peer names through the label every namespace carries, if it names exactly that. */
export function peerNamespace(peer: Manifest): string | undefined {
  return peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
}

/** Whether a peer of a policy in `namespace` selects the workload's pods. */
export function peerSelects(peer: Manifest, namespace: string, workload: Manifest): boolean {
  if (peer.ipBlock !== undefined || workload.metadata?.namespace !== (peer.namespaceSelector ? peerNamespace(peer) : namespace)) return false;
  return selects(peer.podSelector ?? {}, podLabels(workload));
}

/** `TCP 8080`, or `every port` for a rule without ports. */
export function formatPorts(ports: readonly Manifest[]): string {
  if (ports.length === 0) return 'every port';
  return ports.map((p) => `${p.protocol ?? 'TCP'} ${p.port ?? 'any port'}${p.endPort ? `-${p.endPort}` : ''}`).join(', ');
}

/** Whether a rule's ports let `protocol`/`port` through; a named port counts only where `portNames` resolves it. */
export function allowsPort(ports: readonly Manifest[], protocol: string, port: number, portNames: Record<string, number> = {}): boolean {
  if (ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    const start = typeof p.port === 'string' ? portNames[p.port] : p.port;
    return start !== undefined && (p.endPort === undefined ? start === port : start <= port && port <= p.endPort);
  });
}

/** Whether a rule's ports are exactly `protocol`/`port` (by number or by a name `portNames` resolves), no range, no wildcard. */
export function onlyPort(ports: readonly Manifest[], protocol: string, port: number, portNames: Record<string, number> = {}): boolean {
  return (
    ports.length > 0 &&
    ports.every((p) => (p.protocol ?? 'TCP') === protocol && p.endPort === undefined && (p.port === port || (typeof p.port === 'string' && portNames[p.port] === port)))
  );
}

/** The container's named ports, for rules that name them. */
export function portNamesOf(workload: Manifest): Record<string, number> {
  return Object.fromEntries(((mainContainer(workload).ports ?? []) as Manifest[]).filter((p) => p.name).map((p) => [p.name, p.containerPort]));
}

/** `all pods of namespace monitoring`, `addresses 0.0.0.0/0`, `every pod and address`. */
export function describePeer(peer: Manifest | undefined): string {
  if (peer === undefined) return 'every pod and address';
  if (peer.ipBlock) return `addresses ${peer.ipBlock.cidr}`;
  const pods = isEmptySelector(peer.podSelector) ? 'all pods' : `pods matching ${JSON.stringify(peer.podSelector)}`;
  if (!peer.namespaceSelector) return `${pods} of its own namespace`;
  const namespace = peerNamespace(peer);
  if (namespace) return `${pods} of namespace ${namespace}`;
  return `${pods} of ${isEmptySelector(peer.namespaceSelector) ? 'every namespace' : `namespaces matching ${JSON.stringify(peer.namespaceSelector)}`}`;
}

function isEmptySelector(selector: Manifest | undefined): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
}
