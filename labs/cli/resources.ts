/**
 * One view of what a lab builds, whatever the tool: CloudFormation resources from the CDK
 * cloud assembly, the resources a Pulumi program registers in the offline plan, or the
 * Kubernetes objects a cdk8s chart writes. Costs, diagrams and exercise checks read this.
 */
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { PlannedResource } from '../../gcp/offline/plan-model';
import type { Manifest } from '../../k8s/checks/manifest';

export interface LabResource {
  /** Unique within a lab: `<stack>/<logicalId>`, the Pulumi name, or `<Kind>/<namespace>/<name>`. */
  readonly id: string;
  /** The tool's type: `AWS::ECS::Service`, `gcp:container/cluster:Cluster`, `apps/v1/Deployment`. */
  readonly type: string;
  /** What a reader calls it: the construct path, the Pulumi name, the object name. */
  readonly name: string;
  /** Where it sits: the stack, the parent Pulumi component, or the namespace. */
  readonly group: string;
  /** Template properties, Pulumi inputs, or the whole Kubernetes object. */
  readonly props: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tool-specific shapes
  /** Ids of the other resources this one uses (refers to, selects, or routes to). */
  readonly uses: readonly string[];
  /** CloudFormation's DeletionPolicy (Retain, Snapshot, Delete), when the template sets one. */
  readonly deletionPolicy?: string;
}

/**
 * CloudFormation resources of every stack in the assembly; `uses` from Ref, GetAtt, Sub and DependsOn.
 * A role also uses what its policies grant it (the policy names both, the role names neither).
 */
export function fromCloudAssembly(assembly: CloudAssembly): LabResource[] {
  const resources = cfnResources(assembly);
  const byId = new Map(resources.map((r) => [r.id, r]));
  const granted = new Map<string, string[]>();
  for (const policy of resources.filter((r) => r.type === 'AWS::IAM::Policy')) {
    const roles = policy.uses.filter((id) => byId.get(id)?.type === 'AWS::IAM::Role');
    for (const role of roles) granted.set(role, [...(granted.get(role) ?? []), ...policy.uses.filter((id) => !roles.includes(id))]);
  }
  return resources.map((r) => (granted.has(r.id) ? { ...r, uses: [...new Set([...r.uses, ...granted.get(r.id)!])].sort() } : r));
}

function cfnResources(assembly: CloudAssembly): LabResource[] {
  return assembly.stacks.flatMap((stack) => {
    const resources = (stack.template.Resources ?? {}) as Record<string, CfnResource>;
    const logicalIds = new Set(Object.keys(resources));
    return Object.entries(resources)
      .filter(([, resource]) => resource.Type !== 'AWS::CDK::Metadata')
      .map(([logicalId, resource]) => {
        const path = String(resource.Metadata?.['aws:cdk:path'] ?? logicalId);
        const refs = new Set<string>([...cfnReferences(resource.Properties), ...asArray(resource.DependsOn)]);
        return {
          id: `${stack.stackName}/${logicalId}`,
          type: resource.Type,
          name: path.split('/').slice(1).join('/') || logicalId,
          group: stack.stackName,
          props: resource.Properties ?? {},
          uses: [...refs].filter((ref) => ref !== logicalId && logicalIds.has(ref)).sort().map((ref) => `${stack.stackName}/${ref}`),
          ...(resource.DeletionPolicy === undefined ? {} : { deletionPolicy: resource.DeletionPolicy }),
        };
      });
  });
}

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- any resource type
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly Metadata?: Record<string, unknown>;
}

function cfnReferences(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(cfnReferences);
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'Ref' && typeof inner === 'string') found.push(inner);
    else if (key === 'Fn::GetAtt') found.push(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]);
    else if (key === 'Fn::Sub') {
      const template = Array.isArray(inner) ? String(inner[0]) : String(inner);
      for (const match of template.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}/g)) found.push(match[1]);
      if (Array.isArray(inner)) found.push(...cfnReferences(inner[1]));
    } else found.push(...cfnReferences(inner));
  }
  return found;
}

function asArray(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The offline plan's resources, minus the stack itself; components are groups, not resources. */
export function fromOfflinePlan(resources: readonly PlannedResource[]): LabResource[] {
  const byName = new Map(resources.map((r) => [r.name, r]));
  const isComponent = (r: PlannedResource | undefined) => r !== undefined && !r.type.includes('/') && r.type !== 'pulumi:pulumi:Stack';
  return resources
    .filter((r) => r.type !== 'pulumi:pulumi:Stack' && !isComponent(r))
    .map((r) => ({
      id: r.name,
      type: r.type,
      name: r.name,
      group: r.parent !== undefined && isComponent(byName.get(r.parent)) ? r.parent : 'stack',
      props: r.inputs,
      uses: r.dependencies.filter((dep) => byName.has(dep) && !isComponent(byName.get(dep))),
    }));
}

/**
 * Kubernetes objects, with `uses` from what the API server would wire: Services, disruption
 * budgets and NetworkPolicies select pods; Ingresses and HTTPRoutes route to Services (and attach to Gateways); autoscalers target
 * workloads; pods read ConfigMaps, Secrets and claims; and a workload uses every workload its
 * NetworkPolicies let it reach.
 */
export function fromManifests(manifests: readonly Manifest[]): LabResource[] {
  const idOf = (m: Manifest) => `${m.kind}/${m.metadata?.namespace ?? ''}/${m.metadata?.name}`;
  const workloads = manifests.filter((m) => podTemplate(m) !== undefined);
  const selecting = (namespace: string | undefined, selector: Record<string, string> | undefined) =>
    selector === undefined
      ? []
      : workloads.filter(
          (w) => w.metadata?.namespace === namespace && matches(podTemplate(w)?.metadata?.labels ?? {}, selector),
        );
  const named = (kind: string, namespace: string | undefined, name: string | undefined) =>
    manifests.filter((m) => m.kind === kind && m.metadata?.namespace === namespace && m.metadata?.name === name);

  // The flows NetworkPolicies allow, as "client uses server" between workloads.
  const flows = new Map<Manifest, Manifest[]>();
  const peersOf = (ns: string | undefined, peer: NetworkPolicyPeer) => {
    if (peer.podSelector === undefined) return []; // ipBlock peers are outside the cluster
    const peerNs = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? (peer.namespaceSelector ? undefined : ns);
    return peerNs === undefined ? [] : selecting(peerNs, peer.podSelector.matchLabels ?? {});
  };
  const addFlow = (client: Manifest, server: Manifest) => {
    if (client !== server) flows.set(client, [...(flows.get(client) ?? []), server]);
  };
  for (const policy of manifests.filter((m) => m.kind === 'NetworkPolicy')) {
    const ns = policy.metadata?.namespace;
    const selected = selecting(ns, policy.spec?.podSelector?.matchLabels ?? {});
    for (const rule of policy.spec?.egress ?? [])
      for (const peer of rule.to ?? []) for (const server of peersOf(ns, peer)) selected.forEach((client) => addFlow(client, server));
    for (const rule of policy.spec?.ingress ?? [])
      for (const peer of rule.from ?? []) for (const client of peersOf(ns, peer)) selected.forEach((server) => addFlow(client, server));
  }

  return manifests.map((m) => {
    const ns: string | undefined = m.metadata?.namespace;
    const uses: Manifest[] = [...(flows.get(m) ?? [])];
    const spec = m.spec ?? {};
    switch (m.kind) {
      case 'Service':
        uses.push(...selecting(ns, spec.selector));
        break;
      case 'PodDisruptionBudget':
        uses.push(...selecting(ns, spec.selector?.matchLabels));
        break;
      case 'NetworkPolicy':
        uses.push(...selecting(ns, spec.podSelector?.matchLabels ?? {}));
        break;
      case 'HorizontalPodAutoscaler':
        uses.push(...named(spec.scaleTargetRef?.kind, ns, spec.scaleTargetRef?.name));
        break;
      case 'Ingress':
        for (const rule of spec.rules ?? [])
          for (const path of rule.http?.paths ?? []) uses.push(...named('Service', ns, path.backend?.service?.name));
        break;
      case 'HTTPRoute':
        for (const parent of spec.parentRefs ?? []) uses.push(...named('Gateway', ns, parent.name));
        for (const rule of spec.rules ?? []) for (const backend of rule.backendRefs ?? []) uses.push(...named('Service', ns, backend.name));
        break;
    }
    const pod = podTemplate(m)?.spec;
    if (pod) {
      for (const volume of pod.volumes ?? []) {
        if (volume.configMap) uses.push(...named('ConfigMap', ns, volume.configMap.name));
        if (volume.secret) uses.push(...named('Secret', ns, volume.secret.secretName));
        if (volume.persistentVolumeClaim) uses.push(...named('PersistentVolumeClaim', ns, volume.persistentVolumeClaim.claimName));
      }
      for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
        for (const from of container.envFrom ?? []) {
          if (from.configMapRef) uses.push(...named('ConfigMap', ns, from.configMapRef.name));
          if (from.secretRef) uses.push(...named('Secret', ns, from.secretRef.name));
        }
        for (const env of container.env ?? []) {
          if (env.valueFrom?.configMapKeyRef) uses.push(...named('ConfigMap', ns, env.valueFrom.configMapKeyRef.name));
          if (env.valueFrom?.secretKeyRef) uses.push(...named('Secret', ns, env.valueFrom.secretKeyRef.name));
        }
      }
      if (pod.serviceAccountName) uses.push(...named('ServiceAccount', ns, pod.serviceAccountName));
    }
    return {
      id: idOf(m),
      type: `${m.apiVersion}/${m.kind}`,
      name: String(m.metadata?.name),
      group: ns ?? 'cluster',
      props: m,
      uses: [...new Set(uses.map(idOf))].filter((id) => id !== idOf(m)).sort(),
    };
  });
}

interface NetworkPolicyPeer {
  readonly podSelector?: { readonly matchLabels?: Record<string, string> };
  readonly namespaceSelector?: { readonly matchLabels?: Record<string, string> };
}

function podTemplate(m: Manifest): Manifest | undefined {
  return ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(m.kind) ? m.spec?.template : undefined;
}

function matches(labels: Record<string, string>, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
