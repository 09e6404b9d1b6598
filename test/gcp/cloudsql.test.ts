import { MOCK_PASSWORD } from '../../gcp/offline/mocks';
import { runLabOffline, type OfflineRun } from '../../gcp/offline/plan';
import { PLACEHOLDER_PROJECT } from '../../gcp/offline/stack-config';
import { named, one, ofType, policyFailures, T } from './plan-helpers';

let dev: OfflineRun;
let prod: OfflineRun;
beforeAll(async () => {
  dev = await runLabOffline('cloudsql', 'dev');
  prod = await runLabOffline('cloudsql', 'prod');
});

const vpcId = (run: OfflineRun) => `projects/${PLACEHOLDER_PROJECT}/global/networks/${String(run.plan.outputs.networkName)}`;

describe('Cloud SQL lab plan', () => {
  test.each(['dev', 'prod'] as const)('%s resource graph matches the snapshot', (profile) => {
    const { plan } = profile === 'dev' ? dev : prod;
    expect({ resources: plan.resources, outputs: plan.outputs }).toMatchSnapshot();
  });

  test('enables the Cloud SQL, Service Networking, Secret Manager and Compute APIs; no NAT, since nothing needs egress', () => {
    expect(ofType(dev.plan, T.service).map((s) => s.inputs.service).sort()).toEqual([
      'compute.googleapis.com',
      'secretmanager.googleapis.com',
      'servicenetworking.googleapis.com',
      'sqladmin.googleapis.com',
    ]);
    expect(ofType(dev.plan, T.router)).toEqual([]);
    expect(ofType(dev.plan, T.nat)).toEqual([]);
  });

  test('private services access: a reserved /16 peered with servicenetworking, abandoned on destroy', () => {
    const range = one(dev.plan, T.globalAddress);
    expect(range.inputs).toMatchObject({ network: vpcId(dev), purpose: 'VPC_PEERING', addressType: 'INTERNAL', address: '10.100.0.0', prefixLength: 16 });
    expect(one(dev.plan, T.psaConnection).inputs).toEqual({
      network: vpcId(dev),
      service: 'servicenetworking.googleapis.com',
      reservedPeeringRanges: [expect.stringMatching(/^cloudsql-psa-range-[0-9a-f]{7}$/)],
      deletionPolicy: 'ABANDON',
    });
  });

  test('the instance waits for the peering and is private: no public IP, TLS only, on the reserved range', () => {
    const instance = one(dev.plan, T.sqlInstance);
    expect(instance.dependencies).toContain('cloudsql-psa-connection');
    expect(instance.inputs).toMatchObject({
      databaseVersion: 'POSTGRES_17',
      region: 'us-central1',
      settings: {
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: vpcId(dev),
          // The same range the peering reserves.
          allocatedIpRange: (one(dev.plan, T.psaConnection).inputs.reservedPeeringRanges as string[])[0],
          sslMode: 'ENCRYPTED_ONLY',
        },
      },
    });
    // Stated explicitly: Cloud SQL assigns a public IP unless told not to.
    expect((instance.inputs.settings as { ipConfiguration: Record<string, unknown> }).ipConfiguration).toHaveProperty('ipv4Enabled', false);
  });

  test('dev: smallest shared-core tier, zonal, both deletion switches off and no backup left behind, so pulumi destroy removes everything', () => {
    expect(one(dev.plan, T.sqlInstance).inputs).toMatchObject({
      deletionProtection: false,
      settings: {
        edition: 'ENTERPRISE',
        tier: 'db-f1-micro',
        availabilityType: 'ZONAL',
        locationPreference: { zone: 'us-central1-b' },
        deletionProtectionEnabled: false,
        retainBackupsOnDelete: false,
        finalBackupConfig: { enabled: false },
        backupConfiguration: { transactionLogRetentionDays: 1, backupRetentionSettings: { retainedBackups: 3, retentionUnit: 'COUNT' } },
      },
    });
    expect(one(dev.plan, T.secret).inputs).toMatchObject({ deletionProtection: false });
  });

  test('prod: regional high availability, longer retention, both deletion switches on, backups kept after deletion', () => {
    expect(one(prod.plan, T.sqlInstance).inputs).toMatchObject({
      deletionProtection: true,
      settings: {
        tier: 'db-custom-2-7680',
        availabilityType: 'REGIONAL',
        deletionProtectionEnabled: true,
        retainBackupsOnDelete: true,
        finalBackupConfig: { enabled: true, retentionDays: 30 },
        backupConfiguration: { transactionLogRetentionDays: 7, backupRetentionSettings: { retainedBackups: 30 } },
      },
    });
    expect(one(prod.plan, T.secret).inputs).toMatchObject({ deletionProtection: true });
  });

  test('prod teardown: allowDestroy turns both switches off but still keeps the backups', async () => {
    const { plan } = await runLabOffline('cloudsql', 'prod', { allowDestroy: 'true' });
    expect(one(plan, T.sqlInstance).inputs).toMatchObject({
      deletionProtection: false,
      settings: { deletionProtectionEnabled: false, retainBackupsOnDelete: true, finalBackupConfig: { enabled: true } },
    });
    expect(one(plan, T.secret).inputs).toMatchObject({ deletionProtection: false });
  });

  test('backups with point-in-time recovery, a maintenance window, Query Insights and the logging flags', () => {
    expect(one(dev.plan, T.sqlInstance).inputs).toMatchObject({
      settings: {
        diskType: 'PD_SSD',
        diskAutoresize: true,
        backupConfiguration: { enabled: true, startTime: '02:00', pointInTimeRecoveryEnabled: true },
        maintenanceWindow: { day: 7, hour: 3, updateTrack: 'stable' },
        insightsConfig: { queryInsightsEnabled: true, queryStringLength: 1024, recordApplicationTags: true, recordClientAddress: false },
        databaseFlags: [
          { name: 'log_connections', value: 'on' },
          { name: 'log_disconnections', value: 'on' },
          { name: 'log_min_duration_statement', value: '-1' },
          { name: 'log_statement', value: 'ddl' },
          { name: 'log_min_error_statement', value: 'error' },
          { name: 'cloudsql.enable_pgaudit', value: 'on' },
        ],
        userLabels: { lab: 'cloudsql', profile: 'dev' },
      },
    });
  });

  test('a database and a user whose generated password only ever appears as a secret', () => {
    const instanceName = String(dev.plan.outputs.instanceName);
    expect(one(dev.plan, T.sqlDatabase).inputs).toEqual({ project: PLACEHOLDER_PROJECT, instance: instanceName, name: 'app', deletionPolicy: 'ABANDON' });
    expect(one(dev.plan, T.password).inputs).toEqual({ length: 32, special: false });
    const user = one(dev.plan, T.sqlUser);
    expect(user.inputs).toEqual({ project: PLACEHOLDER_PROJECT, instance: instanceName, name: 'app', password: '[secret]', deletionPolicy: 'ABANDON' });
    expect(user.dependencies).toEqual(expect.arrayContaining(['cloudsql-postgres-instance', 'cloudsql-postgres-password']));
    expect(one(dev.plan, T.secret).inputs).toMatchObject({ secretId: 'cloudsql-dev-db-password', replication: { auto: {} } });
    const version = one(dev.plan, T.secretVersion);
    expect(version.inputs).toEqual({ secret: `projects/${PLACEHOLDER_PROJECT}/secrets/cloudsql-dev-db-password`, secretData: '[secret]' });
    expect(version.dependencies).toEqual(['cloudsql-postgres-password', 'cloudsql-postgres-password-secret']);
    for (const run of [dev, prod]) expect(JSON.stringify(run.plan)).not.toContain(MOCK_PASSWORD);
  });

  test('outputs: connection name, private IP and the secret id, never the password', () => {
    const name = String(dev.plan.outputs.instanceName);
    expect(name).toMatch(/^cloudsql-postgres-instance-[0-9a-f]{7}$/);
    expect(dev.plan.outputs).toEqual({
      instanceName: name,
      connectionName: `${PLACEHOLDER_PROJECT}:us-central1:${name}`,
      privateIp: '10.100.0.3',
      databaseName: 'app',
      databaseUser: 'app',
      passwordSecret: `projects/${PLACEHOLDER_PROJECT}/secrets/cloudsql-dev-db-password`,
      networkName: expect.stringMatching(/^cloudsql-network-vpc-[0-9a-f]{7}$/),
    });
    expect(JSON.stringify(dev.revealedOutputs)).not.toContain(MOCK_PASSWORD);
  });

  test('the database version comes from config', async () => {
    const { plan } = await runLabOffline('cloudsql', 'dev', { databaseVersion: 'POSTGRES_16' });
    expect(one(plan, T.sqlInstance).inputs.databaseVersion).toBe('POSTGRES_16');
  });

  test('everything sits under the CloudSqlLab component', () => {
    expect(named(dev.plan, 'cloudsql').type).toBe('iac-lab-kit:gcp:CloudSqlLab');
    expect(dev.plan.resources.filter((r) => r.parent === 'cloudsql').map((r) => r.name)).toEqual([
      'cloudsql-apis',
      'cloudsql-network',
      'cloudsql-psa',
      'cloudsql-postgres',
    ]);
  });

  test.each(['dev', 'prod'] as const)('%s passes every policy', (profile) => {
    expect(policyFailures((profile === 'dev' ? dev : prod).plan)).toEqual([]);
  });
});
