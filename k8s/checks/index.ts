/**
 * The gate every synthesized manifest passes: strict schema validation and the platform policies.
 * `npm run k8s:check`, the tests and the lab CLI all call `checkManifests`.
 */
import { checkAutoscalerAdmission, checkPodTemplateAdmission } from './api-server-rules';
import { Manifest, podTemplates } from './manifest';
import { checkPodTemplate } from './pod-policies';
import { CheckResult } from './results';
import { checkSchema } from './schema';
import { checkConfigMapSecrets, checkDisruptionBudget, checkFit, checkNetworkPolicy, checkProbePurpose, checkReferences, checkServiceTargets } from './workload-policies';

export { CHECKS, CheckId, CheckResult } from './results';
export { ObjectRef, formatRef } from './manifest';
export { DEV_FIT } from './workload-policies';
export { formatReport, loadManifestFiles } from './report';

/** Every check on every object: one passing result per (check, object), or one failing result per violation. */
export function checkManifests(manifests: readonly Manifest[]): CheckResult[] {
  const templates = podTemplates(manifests);
  return [
    ...manifests.flatMap(checkSchema),
    ...templates.flatMap((t) => [...checkPodTemplate(t), ...checkPodTemplateAdmission(t), ...checkDisruptionBudget(manifests, t), ...checkNetworkPolicy(manifests, t), ...checkProbePurpose(manifests, t)]),
    ...manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler').flatMap(checkAutoscalerAdmission),
    ...manifests.filter((m) => m.kind === 'Service').flatMap((s) => checkServiceTargets(templates, s)),
    ...manifests.filter((m) => m.kind === 'ConfigMap').flatMap(checkConfigMapSecrets),
    ...manifests.filter((m) => ['HorizontalPodAutoscaler', 'Ingress', 'HTTPRoute'].includes(m.kind)).flatMap((m) => checkReferences(manifests, m)),
    ...checkFit(manifests, templates),
  ];
}
