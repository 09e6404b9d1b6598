import { MOCK_PASSWORD, MOCK_REDIS_AUTH } from '../../gcp/offline/mocks';
import { runLabOffline, type OfflineRun } from '../../gcp/offline/plan';
import { PLACEHOLDER_PROJECT } from '../../gcp/offline/stack-config';
import { named, one, ofType, policyFailures, projectRolesOf, T } from './plan-helpers';

let dev: OfflineRun;
let prod: OfflineRun;
beforeAll(async () => {
  dev = await runLabOffline('platform', 'dev');
  prod = await runLabOffline('platform', 'prod');
});

const appEmail = (profile: string) => `platform-${profile}-app@${PLACEHOLDER_PROJECT}.iam.gserviceaccount.com`;

describe('platform lab plan (GKE + Cloud SQL + Memorystore)', () => {
  test.each(['dev', 'prod'] as const)('%s resource graph matches the snapshot', (profile) => {
    const { plan } = profile === 'dev' ? dev : prod;
    expect({ resources: plan.resources, outputs: plan.outputs }).toMatchSnapshot();
  });

  test('composes the building blocks under PlatformLab, on one network and one private services range', () => {
    expect(dev.plan.resources.filter((r) => r.parent === 'platform').map((r) => `${r.type} ${r.name}`)).toEqual([
      'iac-lab-kit:gcp:ProjectServices platform-apis',
      'iac-lab-kit:gcp:LabNetwork platform-network',
      'iac-lab-kit:gcp:PrivateServiceAccess platform-psa',
      'iac-lab-kit:gcp:GkeCluster platform-cluster',
      'iac-lab-kit:gcp:PrivatePostgres platform-postgres',
      'iac-lab-kit:gcp:RedisCache platform-redis',
      'iac-lab-kit:gcp:AppIdentity platform-app',
    ]);
    expect(ofType(dev.plan, T.network)).toHaveLength(1);
    expect(ofType(dev.plan, T.psaConnection)).toHaveLength(1);
    expect(ofType(dev.plan, T.nat)).toHaveLength(1);
    expect(ofType(dev.plan, T.service).map((s) => s.inputs.service)).toContain('redis.googleapis.com');
  });

  test('Cloud SQL and Memorystore both wait for the one peering', () => {
    expect(named(dev.plan, 'platform-postgres-instance').dependencies).toContain('platform-psa-connection');
    expect(named(dev.plan, 'platform-redis-instance').dependencies).toContain('platform-psa-connection');
  });

  test('Redis: private services access, AUTH, TLS in transit; dev basic 1 GB and destroyable, prod HA with snapshots and protected', () => {
    const range = (one(dev.plan, T.psaConnection).inputs.reservedPeeringRanges as string[])[0];
    expect(one(dev.plan, T.redis).inputs).toMatchObject({
      region: 'us-central1',
      locationId: 'us-central1-b',
      redisVersion: 'REDIS_7_2',
      authorizedNetwork: `projects/${PLACEHOLDER_PROJECT}/global/networks/${String(dev.plan.outputs.networkName)}`,
      connectMode: 'PRIVATE_SERVICE_ACCESS',
      reservedIpRange: range,
      authEnabled: true,
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
      tier: 'BASIC',
      memorySizeGb: 1,
      persistenceConfig: { persistenceMode: 'DISABLED' },
      deletionProtection: false,
    });
    expect(one(prod.plan, T.redis).inputs).toMatchObject({
      tier: 'STANDARD_HA',
      memorySizeGb: 5,
      persistenceConfig: { persistenceMode: 'RDB', rdbSnapshotPeriod: 'TWELVE_HOURS' },
      deletionProtection: true,
    });
  });

  test('the Redis AUTH string goes to Secret Manager, masked', () => {
    const version = named(dev.plan, 'platform-redis-auth-secret-version');
    expect(version.inputs).toEqual({ secret: `projects/${PLACEHOLDER_PROJECT}/secrets/platform-dev-redis-auth`, secretData: '[secret]' });
    expect(version.dependencies).toEqual(['platform-redis-auth-secret', 'platform-redis-instance']);
    for (const run of [dev, prod]) {
      const text = JSON.stringify(run.plan);
      expect(text).not.toContain(MOCK_REDIS_AUTH);
      expect(text).not.toContain(MOCK_PASSWORD);
    }
  });

  test('the app identity holds only cloudsql.client and read access to its two secrets', () => {
    const member = `serviceAccount:${appEmail('dev')}`;
    expect(named(dev.plan, 'platform-app-sa').inputs).toMatchObject({ accountId: 'platform-dev-app' });
    expect(projectRolesOf(dev.plan, member)).toEqual(['roles/cloudsql.client']);
    const accessors = ofType(dev.plan, T.secretIam);
    expect(accessors.map((a) => [a.inputs.secretId, a.inputs.role, a.inputs.member])).toEqual([
      [`projects/${PLACEHOLDER_PROJECT}/secrets/platform-dev-db-password`, 'roles/secretmanager.secretAccessor', member],
      [`projects/${PLACEHOLDER_PROJECT}/secrets/platform-dev-redis-auth`, 'roles/secretmanager.secretAccessor', member],
    ]);
  });

  test('Workload Identity binds chat/chat-app to the app account, after the cluster creates the pool', () => {
    const binding = one(dev.plan, T.accountIam);
    expect(binding.inputs).toEqual({
      serviceAccountId: `projects/${PLACEHOLDER_PROJECT}/serviceAccounts/${appEmail('dev')}`,
      role: 'roles/iam.workloadIdentityUser',
      member: `serviceAccount:${PLACEHOLDER_PROJECT}.svc.id.goog[chat/chat-app]`,
    });
    expect(binding.dependencies).toEqual(['platform-app-sa', 'platform-cluster-control-plane']);
    expect(one(dev.plan, T.cluster).inputs).toMatchObject({ workloadIdentityConfig: { workloadPool: `${PLACEHOLDER_PROJECT}.svc.id.goog` } });
  });

  test('the database is the chat database, next to the nodes', () => {
    expect(one(dev.plan, T.sqlDatabase).inputs).toMatchObject({ name: 'chat' });
    expect(one(dev.plan, T.sqlUser).inputs).toMatchObject({ name: 'chat', password: '[secret]' });
    expect(one(dev.plan, T.sqlInstance).inputs).toMatchObject({ settings: { locationPreference: { zone: 'us-central1-b' } } });
    expect(one(dev.plan, T.cluster).inputs).toMatchObject({ location: 'us-central1-b' });
  });

  test('outputs: everything the chat app needs to connect, credentials only as secret ids', () => {
    expect(dev.plan.outputs).toMatchObject({
      clusterName: 'platform-dev',
      kubeconfig: '[secret]',
      connectionName: expect.stringMatching(new RegExp(`^${PLACEHOLDER_PROJECT}:us-central1:platform-postgres-instance-[0-9a-f]{7}$`)),
      privateIp: '10.100.0.3',
      passwordSecret: `projects/${PLACEHOLDER_PROJECT}/secrets/platform-dev-db-password`,
      redisHost: '10.100.1.4',
      redisPort: 6378,
      redisAuthSecret: `projects/${PLACEHOLDER_PROJECT}/secrets/platform-dev-redis-auth`,
      redisServerCa: '[secret]',
      appServiceAccount: appEmail('dev'),
      appKubernetesServiceAccount: 'chat/chat-app',
    });
    expect(String(dev.revealedOutputs.kubeconfig)).toContain('command: gke-gcloud-auth-plugin');
    // The server CA in PEM, as the app's TLS client reads it.
    expect(String(dev.revealedOutputs.redisServerCa)).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
  });

  test('prod teardown: allowDestroy turns off every deletion protection, which the prod policy then reports', async () => {
    const { plan } = await runLabOffline('platform', 'prod', { allowDestroy: 'true' });
    const failures = policyFailures(plan).map((f) => [f.policyId, f.resource, f.message]);
    expect(failures.sort((a, b) => a[1].localeCompare(b[1]))).toEqual([
      ['prod-deletion-protection', 'platform-cluster-control-plane', 'not protected: deletionProtection'],
      ['prod-deletion-protection', 'platform-cluster-secrets-key', 'not protected: deletionPolicy PREVENT'],
      ['prod-deletion-protection', 'platform-postgres-instance', 'not protected: deletionProtection, settings.deletionProtectionEnabled'],
      ['prod-deletion-protection', 'platform-postgres-password-secret', 'not protected: deletionProtection'],
      ['prod-deletion-protection', 'platform-redis-auth-secret', 'not protected: deletionProtection'],
      ['prod-deletion-protection', 'platform-redis-instance', 'not protected: deletionProtection'],
    ]);
  });

  test.each(['dev', 'prod'] as const)('%s passes every policy', (profile) => {
    expect(policyFailures((profile === 'dev' ? dev : prod).plan)).toEqual([]);
  });
});
