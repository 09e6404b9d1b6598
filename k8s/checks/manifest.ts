/** Reading Kubernetes objects as plain data: references, pod templates, label selectors, field paths. */

// Manifests are untyped YAML/JSON: the checks read them defensively.
export type Manifest = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Which object a result is about: kind, namespace (namespaced objects only) and name. */
export interface ObjectRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export function refOf(manifest: Manifest): ObjectRef {
  const namespace = manifest.metadata?.namespace;
  return { kind: String(manifest.kind ?? '(no kind)'), ...(namespace ? { namespace } : {}), name: String(manifest.metadata?.name ?? '(no name)') };
}

/** `Deployment web-app/web-app`, `Namespace web-app`. */
export function formatRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export interface PodTemplate {
  readonly owner: Manifest;
  readonly ref: ObjectRef;
  readonly namespace: string;
  /** Dotted path of the pod spec inside the owner, e.g. `spec.template.spec`. */
  readonly path: string;
  readonly spec: Manifest;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

const TEMPLATE_PATHS: Record<string, string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Every pod the manifests would run, whatever controller owns it. */
export function podTemplates(manifests: readonly Manifest[]): PodTemplate[] {
  const templates: PodTemplate[] = [];
  for (const owner of manifests) {
    const path = TEMPLATE_PATHS[owner.kind];
    if (!path) continue;
    const template = path.reduce<Manifest | undefined>((node, key) => node?.[key], owner);
    if (!template?.spec) continue;
    templates.push({
      owner,
      ref: refOf(owner),
      namespace: owner.metadata?.namespace ?? 'default',
      path: [...path, 'spec'].join('.'),
      spec: template.spec,
      labels: template.metadata?.labels ?? {},
      annotations: template.metadata?.annotations ?? {},
    });
  }
  return templates;
}

export interface ContainerAt {
  readonly container: Manifest;
  /** Dotted path from the owner, e.g. `spec.template.spec.containers[0]`. */
  readonly path: string;
  readonly init: boolean;
}

export function containersOf(template: PodTemplate): ContainerAt[] {
  const list = (field: string, init: boolean) =>
    ((template.spec[field] ?? []) as Manifest[]).map((container, i) => ({ container, path: `${template.path}.${field}[${i}]`, init }));
  return [...list('initContainers', true), ...list('containers', false), ...list('ephemeralContainers', true)];
}

/** Whether a LabelSelector (matchLabels and matchExpressions) selects `labels`. An empty selector selects all. */
export function selects(selector: Manifest | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpression = ((selector.matchExpressions ?? []) as Manifest[]).every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        return has && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn':
        return !has || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
  return byLabel && byExpression;
}

/** `/spec/template/spec/containers/0/image` -> `spec.template.spec.containers[0].image`. */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}
