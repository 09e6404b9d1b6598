import type { OfflinePlan, PlannedResource } from '../../gcp/offline/plan-model';
import { planLab } from '../../gcp/offline/plan';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { KNOWN_LEFTOVERS, POLICIES, runPolicies, TYPES } from '../../gcp/policies';

// The platform lab holds every kind of resource the policies judge; each lab's own test
// file checks that its plans pass every policy.
let plans: OfflinePlan[];
beforeAll(async () => {
  plans = [await planLab('platform', 'dev'), await planLab('platform', 'prod')];
});

const planFor = (stack: string) => plans.find((p) => p.stack === stack) as OfflinePlan;

const REMOVE = Symbol('remove');

/** A change that must make one policy fail: set (or remove) one input of the first resource of `type`. */
interface Breaker {
  readonly stack: 'platform-dev' | 'platform-prod';
  readonly type: string;
  readonly path: string;
  readonly value: unknown;
}

/** A copy of the plan's resources with `breaker` applied. */
function broken(plan: OfflinePlan, { type, path, value }: Breaker): PlannedResource[] {
  const resources = structuredClone(plan.resources);
  const target = resources.find((r) => r.type === type);
  if (!target) throw new Error(`no ${type} in ${plan.stack}`);
  const keys = path.split('.');
  const last = keys.pop() as string;
  const holder = keys.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, target.inputs);
  if (value === REMOVE) delete holder[last];
  else holder[last] = value;
  return resources;
}

const openFirewall: PlannedResource = {
  type: TYPES.firewall,
  name: 'allow-ssh-from-anywhere',
  inputs: { network: 'vpc', allows: [{ protocol: 'tcp', ports: ['22'] }], sourceRanges: ['0.0.0.0/0'] },
  dependencies: [],
};

const dev = (type: string, path: string, value: unknown): Breaker => ({ stack: 'platform-dev', type, path, value });

/** For each policy, a change that breaks it (the firewall guard gets a whole open rule instead). */
const BREAKERS: Record<string, Breaker | 'add an open firewall rule'> = {
  'gke-private-nodes': dev(TYPES.cluster, 'privateClusterConfig.enablePrivateNodes', false),
  'gke-authorized-networks': dev(TYPES.cluster, 'masterAuthorizedNetworksConfig.cidrBlocks', [{ cidrBlock: '203.0.113.0/24' }, { cidrBlock: '0.0.0.0/0' }]),
  'gke-vpc-native': dev(TYPES.cluster, 'networkingMode', 'ROUTES'),
  'gke-workload-identity': dev(TYPES.cluster, 'workloadIdentityConfig', REMOVE),
  'gke-shielded-nodes': dev(TYPES.cluster, 'enableShieldedNodes', false),
  'gke-release-channel': dev(TYPES.cluster, 'releaseChannel.channel', 'UNSPECIFIED'),
  'gke-network-policy': dev(TYPES.cluster, 'datapathProvider', REMOVE),
  'gke-legacy-abac-disabled': dev(TYPES.cluster, 'enableLegacyAbac', true),
  'gke-client-certificate-disabled': dev(TYPES.cluster, 'masterAuth.clientCertificateConfig.issueClientCertificate', true),
  'gke-logging-monitoring': dev(TYPES.cluster, 'loggingService', 'none'),
  'gke-node-service-account': dev(TYPES.nodePool, 'nodeConfig.serviceAccount', '123456789012-compute@developer.gserviceaccount.com'),
  'gke-metadata-server': dev(TYPES.nodePool, 'nodeConfig.workloadMetadataConfig.mode', 'GCE_METADATA'),
  'gke-legacy-metadata-disabled': dev(TYPES.nodePool, 'nodeConfig.metadata.disable-legacy-endpoints', 'false'),
  'gke-cos-containerd': dev(TYPES.nodePool, 'nodeConfig.imageType', 'UBUNTU_CONTAINERD'),
  'gke-secure-boot': dev(TYPES.nodePool, 'nodeConfig.shieldedInstanceConfig.enableSecureBoot', REMOVE),
  'gke-integrity-monitoring': dev(TYPES.nodePool, 'nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring', false),
  'gke-auto-repair': dev(TYPES.nodePool, 'management.autoRepair', false),
  'gke-auto-upgrade': dev(TYPES.nodePool, 'management.autoUpgrade', false),
  'sql-no-public-ip': dev(TYPES.sqlInstance, 'settings.ipConfiguration.ipv4Enabled', REMOVE),
  'sql-ssl-required': dev(TYPES.sqlInstance, 'settings.ipConfiguration.sslMode', 'ALLOW_UNENCRYPTED_AND_ENCRYPTED'),
  'sql-no-open-authorized-networks': dev(TYPES.sqlInstance, 'settings.ipConfiguration.authorizedNetworks', [{ name: 'anyone', value: '0.0.0.0/0' }]),
  'sql-automated-backups': dev(TYPES.sqlInstance, 'settings.backupConfiguration.enabled', false),
  'sql-point-in-time-recovery': dev(TYPES.sqlInstance, 'settings.backupConfiguration.pointInTimeRecoveryEnabled', false),
  'sql-log-connections': dev(TYPES.sqlInstance, 'settings.databaseFlags.0.value', 'off'),
  'sql-log-disconnections': dev(TYPES.sqlInstance, 'settings.databaseFlags.1.name', 'log_statement'),
  'sql-log-min-duration-statement': dev(TYPES.sqlInstance, 'settings.databaseFlags.2.value', '0'),
  'network-no-open-ingress': 'add an open firewall rule',
  'network-flow-logs': dev(TYPES.subnet, 'logConfig', REMOVE),
  'network-custom-mode': dev(TYPES.network, 'autoCreateSubnetworks', true),
  'network-private-google-access': dev(TYPES.subnet, 'privateIpGoogleAccess', false),
  'redis-auth': dev(TYPES.redis, 'authEnabled', false),
  'redis-transit-encryption': dev(TYPES.redis, 'transitEncryptionMode', REMOVE),
  'prod-deletion-protection': { stack: 'platform-prod', type: TYPES.sqlInstance, path: 'settings.deletionProtectionEnabled', value: false },
  'dev-destroyable': dev(TYPES.redis, 'deletionProtection', REMOVE),
};

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
    const breaker = BREAKERS[id];
    const plan = planFor(breaker === 'add an open firewall rule' ? 'platform-dev' : breaker.stack);
    const resources = breaker === 'add an open firewall rule' ? [...plan.resources, openFirewall] : broken(plan, breaker);
    const failures = runPolicies(resources, { profile: plan.profile }).filter((f) => !f.pass);
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures.map((f) => f.policyId))).toEqual(new Set([id]));
    for (const failure of failures) expect(failure.message).not.toBe('');
  });
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
