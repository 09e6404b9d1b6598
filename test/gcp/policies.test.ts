import type { OfflinePlan, PlannedResource } from '../../gcp/offline/plan-model';
import { planLab } from '../../gcp/offline/plan';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { KNOWN_LEFTOVERS, POLICIES, runPolicies, TYPES } from '../../gcp/policies';
import { BREAKERS, brokenPlan, openFirewall } from './policy-breakers';

// The platform lab holds every kind of resource the policies judge; each lab's own test
// file checks that its plans pass every policy.
let plans: OfflinePlan[];
beforeAll(async () => {
  plans = [await planLab('platform', 'dev'), await planLab('platform', 'prod')];
});

const planFor = (stack: string) => plans.find((p) => p.stack === stack) as OfflinePlan;

describe('policies', () => {
  test('every policy has an id, a title, a check and a breaking case below; ids are unique', () => {
    expect(new Set(POLICIES.map((p) => p.id)).size).toBe(POLICIES.length);
    expect(Object.keys(BREAKERS).sort()).toEqual(POLICIES.map((p) => p.id).sort());
  });

  test('the unchanged plans pass, and every policy judges something except the firewall guard (the labs add no rule)', () => {
    for (const plan of plans) expect(runPolicies(plan.resources, { profile: plan.profile }).filter((f) => !f.pass)).toEqual([]);
    const applied = new Set(plans.flatMap((plan) => runPolicies(plan.resources, { profile: plan.profile }).map((f) => f.policyId)));
    expect(POLICIES.map((p) => p.id).filter((id) => !applied.has(id))).toEqual(['network-no-open-ingress']);
  });

  test('findings carry the policy id, CIS id, resource, message and verdict', () => {
    const findings = runPolicies(planFor('platform-dev').resources, { profile: 'dev' });
    expect(findings).toContainEqual({
      policyId: 'gke-private-nodes',
      cisId: 'CIS GKE 1.9 5.6.5',
      resource: 'platform-cluster-control-plane',
      pass: true,
      message: 'nodes have private IPs only',
    });
  });

  test('a firewall rule with no source admits everyone; a deny rule or an IAP-only rule does not', () => {
    const verdict = (inputs: Record<string, unknown>) =>
      runPolicies([{ ...openFirewall, inputs: { network: 'vpc', ...inputs } }], { profile: 'dev' }).find((f) => f.policyId === 'network-no-open-ingress')?.pass;
    const ssh = [{ protocol: 'tcp', ports: ['22'] }];
    expect(verdict({ allows: ssh })).toBe(false);
    expect(verdict({ allows: ssh, sourceRanges: ['35.235.240.0/20'] })).toBe(true);
    expect(verdict({ denies: [{ protocol: 'all' }], sourceRanges: ['0.0.0.0/0'] })).toBe(true);
    expect(verdict({ allows: ssh, sourceRanges: ['0.0.0.0/0'], disabled: true })).toBe(true);
  });

  test.each(POLICIES.map((p) => [p.id, p.cisId ?? 'no CIS id']))('%s (%s) fails on a bad resource', (id) => {
    const { plan, resources } = brokenPlan(plans, id);
    const failures = runPolicies(resources, { profile: plan.profile }).filter((f) => !f.pass);
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures.map((f) => f.policyId))).toEqual(new Set([id]));
    for (const failure of failures) expect(failure.message).not.toBe('');
  });
});

test('gke-authorized-networks: blocks that together admit every address fail like 0.0.0.0/0', () => {
  const resources = structuredClone(planFor('platform-dev').resources) as PlannedResource[];
  const cluster = resources.find((r) => r.type === TYPES.cluster)!;
  (cluster.inputs.masterAuthorizedNetworksConfig as { cidrBlocks: unknown[] }).cidrBlocks = [{ cidrBlock: '0.0.0.0/1' }, { cidrBlock: '128.0.0.0/1' }];
  expect(runPolicies(resources, { profile: 'dev' }).filter((f) => !f.pass)).toEqual([
    expect.objectContaining({ policyId: 'gke-authorized-networks', message: 'the authorized networks together admit every address, as 0.0.0.0/0 would' }),
  ]);
});

test('sql-no-open-authorized-networks: networks that together admit every address fail like 0.0.0.0/0', () => {
  const resources = structuredClone(planFor('platform-dev').resources) as PlannedResource[];
  const sql = resources.find((r) => r.type === TYPES.sqlInstance)!;
  (sql.inputs.settings as { ipConfiguration: { authorizedNetworks: unknown[] } }).ipConfiguration.authorizedNetworks = [{ value: '0.0.0.0/1' }, { value: '128.0.0.0/1' }];
  expect(runPolicies(resources, { profile: 'dev' }).filter((f) => !f.pass)).toEqual([
    expect.objectContaining({ policyId: 'sql-no-open-authorized-networks', message: 'the authorized networks together admit every address, as 0.0.0.0/0 would' }),
  ]);
});

describe('dev-destroyable tells what pulumi destroy leaves behind', () => {
  const verdicts = (stack: string, edit: (resources: PlannedResource[]) => PlannedResource[] = (r) => r) =>
    runPolicies(edit(structuredClone(planFor(stack).resources) as PlannedResource[]), { profile: 'dev' }).filter((f) => f.policyId === 'dev-destroyable');

  test('the abandoned peering is named with the command that removes it; the abandoned database and user go with their instance', () => {
    const found = verdicts('platform-dev');
    expect(found.find((f) => f.resource === 'platform-psa-connection')).toMatchObject({
      pass: true,
      message: expect.stringContaining('remove with: gcloud compute networks peerings delete servicenetworking-googleapis-com'),
    });
    expect(found.filter((f) => /database|user/.test(f.resource)).map((f) => f.message)).toEqual([
      'abandoned by pulumi destroy, and deleted with its Cloud SQL instance',
      'abandoned by pulumi destroy, and deleted with its Cloud SQL instance',
    ]);
  });

  test('anything else abandoned fails: nothing would remove it', () => {
    const secret = planFor('platform-dev').resources.find((r) => r.type === TYPES.secret)!.name;
    const found = verdicts('platform-dev', (resources) => resources.map((r) => (r.name === secret ? { ...r, inputs: { ...r.inputs, deletionPolicy: 'ABANDON' } } : r)));
    expect(found.filter((f) => !f.pass)).toEqual([expect.objectContaining({ resource: secret, message: expect.stringContaining('pulumi destroy abandons it (deletionPolicy ABANDON) and nothing removes it') })]);
  });

  test.each(['labs/cloudsql/README.md', 'labs/gcp-platform/README.md'])('%s names every known leftover\'s removal command', (guide) => {
    const text = readFileSync(join(REPO_ROOT, guide), 'utf8');
    for (const { remove } of Object.values(KNOWN_LEFTOVERS)) expect(text).toContain(remove.split(' --network')[0]);
  });
});

describe('gke-binary-authorization judges the policy the cluster enforces', () => {
  const failuresWith = (stack: string, rule: Record<string, unknown> | 'no policy') => {
    const plan = planFor(stack);
    const resources = (structuredClone(plan.resources) as PlannedResource[]).filter((r) => rule !== 'no policy' || r.type !== TYPES.imageAdmissionPolicy);
    const policy = resources.find((r) => r.type === TYPES.imageAdmissionPolicy);
    if (policy && rule !== 'no policy') Object.assign(policy.inputs.defaultAdmissionRule as object, rule);
    return runPolicies(resources, { profile: plan.profile }).filter((f) => !f.pass).map((f) => `${f.policyId}: ${f.message}`);
  };

  test('prod must block: an audit-only policy fails there and passes in dev', () => {
    expect(failuresWith('platform-prod', { enforcementMode: 'DRYRUN_AUDIT_LOG_ONLY' })).toEqual([
      'gke-binary-authorization: prod only audits the Binary Authorization policy (enforcementMode DRYRUN_AUDIT_LOG_ONLY): set ENFORCED_BLOCK_AND_AUDIT_LOG',
    ]);
    expect(failuresWith('platform-dev', { enforcementMode: 'DRYRUN_AUDIT_LOG_ONLY' })).toEqual([]);
  });

  test('a policy that admits everything, or none in the stack, fails in both profiles', () => {
    for (const stack of ['platform-dev', 'platform-prod']) {
      expect(failuresWith(stack, { evaluationMode: 'ALWAYS_ALLOW' })).toEqual([
        'gke-binary-authorization: the Binary Authorization policy admits every image (defaultAdmissionRule ALWAYS_ALLOW)',
      ]);
      expect(failuresWith(stack, 'no policy')).toEqual([
        'gke-binary-authorization: no Binary Authorization policy in this stack: the project default admits every image',
      ]);
    }
  });
});
