/**
 * Rules the API server enforces when it admits an object, which the OpenAPI schema cannot express:
 * a manifest that breaks one passes the schema and every policy, and then `kubectl apply` refuses it.
 * Mirrored from kubernetes/kubernetes `pkg/apis/core/validation/validation.go` (validateContainers,
 * ValidateVolumes, validateVolumeMounts, validateContainerPorts), `pkg/apis/apps/validation`
 * (a workload's selector must match its template's labels) and `pkg/apis/autoscaling/validation`
 * (maxReplicas at least minReplicas, minReplicas at least 1).
 */
import { Manifest, PodTemplate, containersOf, refOf, selects } from './manifest';
import { CheckResult, Findings } from './results';

/** Each value seen more than once, with the index of its first repeat. */
function repeats(values: readonly { value: unknown; at: string }[]): { value: unknown; at: string }[] {
  const seen = new Set<unknown>();
  return values.filter(({ value }) => {
    if (value === undefined) return false;
    if (seen.has(value)) return true;
    seen.add(value);
    return false;
  });
}

export function checkPodTemplateAdmission(template: PodTemplate): CheckResult[] {
  const findings = new Findings('api-server', template.ref);
  const containers = containersOf(template);
  for (const { value, at } of repeats(containers.map(({ container, path }) => ({ value: container.name, at: `${path}.name` })))) {
    findings.fail(at, `container name ${String(value)} is used twice in the pod: the API server refuses it (Duplicate value)`);
  }
  const volumes = (template.spec.volumes ?? []) as Manifest[];
  for (const { value, at } of repeats(volumes.map((v, i) => ({ value: v.name, at: `${template.path}.volumes[${i}].name` })))) {
    findings.fail(at, `volume name ${String(value)} is declared twice: the API server refuses it (Duplicate value)`);
  }
  // A StatefulSet's claim templates are volumes of its pods too.
  const claims = ((template.owner.kind === 'StatefulSet' ? template.owner.spec?.volumeClaimTemplates : undefined) ?? []) as Manifest[];
  const volumeNames = new Set([...volumes, ...claims.map((c) => c.metadata ?? {})].map((v) => v.name));
  for (const { container, path } of containers) {
    const mounts = (container.volumeMounts ?? []) as Manifest[];
    mounts.forEach((mount, i) => {
      if (!volumeNames.has(mount.name)) findings.fail(`${path}.volumeMounts[${i}].name`, `mounts volume ${String(mount.name)}, which the pod does not declare: the API server refuses it (Not found)`);
    });
    for (const { value, at } of repeats(mounts.map((m, i) => ({ value: m.mountPath, at: `${path}.volumeMounts[${i}].mountPath` })))) {
      findings.fail(at, `two volumes are mounted at ${String(value)} in container ${String(container.name)}: the API server refuses it (must be unique)`);
    }
    const ports = (container.ports ?? []) as Manifest[];
    for (const { value, at } of repeats(ports.map((p, i) => ({ value: p.name, at: `${path}.ports[${i}].name` })))) {
      findings.fail(at, `port name ${String(value)} is used twice in container ${String(container.name)}: the API server refuses it (Duplicate value)`);
    }
  }
  const selector = template.owner.spec?.selector;
  if (template.owner.kind !== 'Pod' && template.owner.kind !== 'Job' && selector !== undefined && !selects(selector, template.labels)) {
    findings.fail('spec.selector', `the selector does not match the pod template's labels: the API server refuses it (selector does not match template labels)`);
  }
  return findings.results('', 'names, volumes, mounts and selector as the API server admits them');
}

export function checkAutoscalerAdmission(hpa: Manifest): CheckResult[] {
  const findings = new Findings('api-server', refOf(hpa));
  const min = hpa.spec?.minReplicas ?? 1;
  const max = hpa.spec?.maxReplicas;
  if (min < 1) findings.fail('spec.minReplicas', `minReplicas is ${min}: the API server requires at least 1`);
  if (typeof max === 'number' && max < min) findings.fail('spec.maxReplicas', `maxReplicas ${max} is below minReplicas ${min}: the API server refuses it (must be greater than or equal to minReplicas)`);
  return findings.results('spec', `scales between ${min} and ${String(max)} replicas`);
}
