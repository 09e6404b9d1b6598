/** Test helpers for reading synthesized manifests: lookups, failed checks, and the network flows policies allow. */
import { checkManifests } from '../../k8s/checks';
import { Manifest, selects } from '../../k8s/checks/manifest';

export function one(manifests: readonly Manifest[], kind: string, name: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && m.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}

export function ofKind(manifests: readonly Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}

export function podSpec(workload: Manifest): Manifest {
  return workload.spec.template.spec;
}

export function mainContainer(workload: Manifest): Manifest {
  return podSpec(workload).containers[0];
}

export function failedChecks(manifests: readonly Manifest[]): string[] {
  return checkManifests(manifests)
    .filter((r) => !r.pass)
    .map((r) => `${r.check} ${r.object.kind}/${r.object.name} ${r.field}: ${r.message}`);
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'];

/**
 * The workloads (by name) a NetworkPolicy peer selects; `*` for an IP block, `ns:<name>` for another
 * namespace, with `/<label>=<value>` for each pod label the peer requires there.
 */
function peerTargets(manifests: readonly Manifest[], namespace: string, peer: Manifest): string[] {
  if (peer.ipBlock) return [`*${peer.ipBlock.cidr}`];
  const peerNamespace = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? namespace;
  if (peerNamespace !== namespace) {
    const labels = Object.entries((peer.podSelector?.matchLabels ?? {}) as Record<string, string>).map(([key, value]) => `/${key}=${value}`);
    return [`ns:${peerNamespace}${labels.join('')}`];
  }
  return manifests
    .filter((m) => WORKLOAD_KINDS.includes(m.kind) && m.metadata.namespace === namespace && selects(peer.podSelector, m.spec.template.metadata.labels))
    .map((m) => m.metadata.name);
}

/**
 * Every flow the NetworkPolicies allow, as `from -> to:port/protocol`. A pod-to-pod flow counts only
 * when the source's egress and the destination's ingress both allow it (both sides are isolated).
 */
export function allowedFlows(manifests: readonly Manifest[]): string[] {
  const workloads = manifests.filter((m) => WORKLOAD_KINDS.includes(m.kind));
  const policiesOf = (w: Manifest) =>
    ofKind(manifests, 'NetworkPolicy').filter((p) => p.metadata.namespace === w.metadata.namespace && selects(p.spec.podSelector, w.spec.template.metadata.labels));
  const rules = (w: Manifest, direction: 'ingress' | 'egress') =>
    policiesOf(w).flatMap((p) =>
      ((p.spec[direction] ?? []) as Manifest[]).flatMap((rule) =>
        ((rule[direction === 'ingress' ? 'from' : 'to'] ?? []) as Manifest[]).flatMap((peer) =>
          peerTargets(manifests, w.metadata.namespace, peer).flatMap((target) =>
            ((rule.ports ?? []) as Manifest[]).map((port) => ({ target, port: `${port.port}/${port.protocol}` })),
          ),
        ),
      ),
    );
  const flows = new Set<string>();
  for (const source of workloads) {
    for (const { target, port } of rules(source, 'egress')) {
      const destination = workloads.find((w) => w.metadata.name === target);
      const admitted = !destination || rules(destination, 'ingress').some((r) => r.target === source.metadata.name && r.port === port);
      if (admitted) flows.add(`${source.metadata.name} -> ${target}:${port}`);
    }
    for (const { target, port } of rules(source, 'ingress')) {
      if (!workloads.some((w) => w.metadata.name === target)) flows.add(`${target} -> ${source.metadata.name}:${port}`);
    }
  }
  return [...flows].sort();
}
