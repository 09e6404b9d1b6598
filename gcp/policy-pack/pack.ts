/**
 * gcp/policies.ts as a `@pulumi/policy` pack: each kit policy becomes a stack validation policy run on
 * the resources of a real `pulumi preview` or `pulumi up`, with the same verdicts the offline plan gets.
 * Mandatory: a CIS finding or a dev/prod safety break stops the update, as it fails `npm test` here.
 */
import { PolicyPack, type PolicyResource, type StackValidationPolicy } from '@pulumi/policy';
import type { Profile } from '../config';
import type { PlannedResource } from '../offline/plan-model';
import { POLICIES } from '../policies';

export const PACK_NAME = 'iac-lab-kit-gcp';

function planned(resource: PolicyResource): PlannedResource {
  return {
    type: resource.type,
    name: resource.name,
    parent: resource.parent?.name,
    inputs: resource.props as Record<string, unknown>,
    dependencies: resource.dependencies.map((d) => d.name),
  };
}

/** The profile the kit labels its resources with (`profile: dev`, gcp/config.ts); dev when no resource says. */
function profileOf(resources: readonly PlannedResource[]): Profile {
  for (const r of resources) {
    for (const key of ['labels', 'resourceLabels', 'userLabels']) {
      const labels = r.inputs[key] as Record<string, unknown> | undefined;
      if (labels?.kit === 'iac-lab-kit' && (labels.profile === 'dev' || labels.profile === 'prod')) return labels.profile;
    }
  }
  return 'dev';
}

const policies: StackValidationPolicy[] = POLICIES.map((policy) => ({
  name: policy.id,
  description: policy.cisId === undefined ? policy.title : `${policy.cisId}: ${policy.title}`,
  enforcementLevel: 'mandatory',
  validateStack: (args, reportViolation) => {
    const resources = args.resources.map(planned);
    const byName = new Map(args.resources.map((r) => [r.name, r]));
    for (const verdict of policy.check(resources, { profile: profileOf(resources) })) {
      if (!verdict.pass) reportViolation(`${verdict.resource}: ${verdict.message}`, byName.get(verdict.resource)?.urn);
    }
  },
}));

new PolicyPack(PACK_NAME, { policies });
