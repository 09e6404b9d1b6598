/**
 * The e-commerce lab's stacks as a learner deploys them (dev, and prod with its HTTPS name, once the
 * image is pushed): snapshots, and one test per promise of the guide (isolation, secrets, TLS, what
 * dev deletes and prod keeps, the migration step, alarms). policy-dev/prod.test.ts run the policy engines.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { PLACEHOLDER_IMAGE } from '../../../aws/constructs/service-image';
import { ECOMMERCE_PROFILES, synthEcommerce } from './synth';

// Validated against the CloudFormation schemas, as `cdk synth` does (policy-*.test.ts skip that, 4 s each).
const synth = synthEcommerce(ECOMMERCE_PROFILES);
const STACKS = ['EcommerceRegistry-dev', 'EcommerceBackend-dev', 'EcommerceRegistry-prod', 'EcommerceBackend-prod'];

test.each(STACKS)('%s matches its snapshot', (id) => {
  expect(synth.json(id)).toMatchSnapshot();
});

test('CloudFormation schema validation and cdk-nag find nothing unacknowledged', () => {
  expect(synth.findings).toEqual([]);
});

type Resources = Record<string, { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- template JSON
const resourcesOf = (id: string): Resources => synth.json(id).Resources as Resources;
const ofType = (id: string, type: string) => Object.entries(resourcesOf(id)).filter(([, r]) => r.Type === type);
const only = (id: string, type: string) => {
  const found = ofType(id, type);
  expect(found).toHaveLength(1);
  return found[0];
};
/** The logical ids of the subnets of this CDK subnet type (Public, Private, Isolated). */
const subnetsOfType = (id: string, subnetType: string) =>
  ofType(id, 'AWS::EC2::Subnet')
    .filter(([, s]) => s.Properties!.Tags.some((t: { Key: string; Value: string }) => t.Key === 'aws-cdk:subnet-type' && t.Value === subnetType))
    .map(([logicalId]) => logicalId);
const refs = (values: { Ref: string }[]) => values.map((v) => v.Ref).sort();

describe.each(['dev', 'prod'])('%s', (profile) => {
  const BACKEND = `EcommerceBackend-${profile}`;
  const template = (): Template => synth.template(BACKEND);

  test('the database and the cache sit only in isolated subnets, which have no route out of the VPC', () => {
    const isolated = subnetsOfType(BACKEND, 'Isolated').sort();
    expect(isolated).toHaveLength(2);
    expect(refs(only(BACKEND, 'AWS::RDS::DBSubnetGroup')[1].Properties!.SubnetIds)).toEqual(isolated);
    expect(refs(only(BACKEND, 'AWS::ElastiCache::SubnetGroup')[1].Properties!.SubnetIds)).toEqual(isolated);
    const isolatedTables = ofType(BACKEND, 'AWS::EC2::SubnetRouteTableAssociation')
      .filter(([, a]) => isolated.includes(a.Properties!.SubnetId.Ref))
      .map(([, a]) => a.Properties!.RouteTableId.Ref);
    expect(isolatedTables).toHaveLength(2);
    expect(ofType(BACKEND, 'AWS::EC2::Route').filter(([, r]) => isolatedTables.includes(r.Properties!.RouteTableId.Ref))).toEqual([]);
    const [, db] = only(BACKEND, 'AWS::RDS::DBInstance');
    expect(db.Properties!.PubliclyAccessible).toBe(false);
  });

  test('S3 (ECR\'s image layers) goes through a free gateway endpoint from every subnet, not the internet or a NAT gateway', () => {
    const [, endpoint] = only(BACKEND, 'AWS::EC2::VPCEndpoint');
    expect(endpoint.Properties).toMatchObject({ VpcEndpointType: 'Gateway' });
    expect(JSON.stringify(endpoint.Properties!.ServiceName)).toContain('.s3');
    expect(endpoint.Properties!.RouteTableIds).toHaveLength(ofType(BACKEND, 'AWS::EC2::RouteTable').length);
  });

  test('only the service reaches the database (5432) and the cache (6379); neither store opens anything outward', () => {
    const serviceGroup = ofType(BACKEND, 'AWS::EC2::SecurityGroup').find(([id]) => id.startsWith('WebServiceSecurityGroup'))![0];
    const ingress = ofType(BACKEND, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties!);
    const into = (groupPrefix: string) => ingress.filter((r) => r.GroupId['Fn::GetAtt'][0].startsWith(groupPrefix));
    expect(into('DatabaseSecurityGroup')).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: { 'Fn::GetAtt': [serviceGroup, 'GroupId'] } })]);
    expect(into('CacheSecurityGroup')).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379, SourceSecurityGroupId: { 'Fn::GetAtt': [serviceGroup, 'GroupId'] } })]);
    for (const [id, group] of ofType(BACKEND, 'AWS::EC2::SecurityGroup').filter(([id]) => /^(Database|Cache)SecurityGroup/.test(id))) {
      // CDK's way of saying "no egress": one rule matching nothing.
      expect({ id, egress: group.Properties!.SecurityGroupEgress }).toEqual({ id, egress: [expect.objectContaining({ CidrIp: '255.255.255.255/32' })] });
    }
  });

  test('no secret value in the template: RDS generates the master password, Secrets Manager the others, CloudFormation resolves the cache token', () => {
    const [, db] = only(BACKEND, 'AWS::RDS::DBInstance');
    expect(db.Properties).toMatchObject({ ManageMasterUserPassword: true, MasterUsername: 'shop_admin' });
    expect(db.Properties!.MasterUserPassword).toBeUndefined();
    for (const [, secret] of ofType(BACKEND, 'AWS::SecretsManager::Secret')) {
      expect(secret.Properties!.SecretString).toBeUndefined();
      expect(secret.Properties!.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
    }
    const [, cache] = only(BACKEND, 'AWS::ElastiCache::ReplicationGroup');
    expect(JSON.stringify(cache.Properties!.AuthToken)).toMatch(/^\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:",\{"Ref":"CacheAuthToken[0-9A-F]+"\},":SecretString:::\}\}"\]\]\}$/);
  });

  test('the service gets endpoints as plain settings and every credential as an ECS secret', () => {
    const [, task] = only(BACKEND, 'AWS::ECS::TaskDefinition');
    const web = task.Properties!.ContainerDefinitions.find((c: { Name: string }) => c.Name === 'Web');
    expect(web.Environment.map((e: { Name: string }) => e.Name).sort()).toEqual(['CACHE_HOST', 'CACHE_PORT', 'DB_HOST', 'DB_NAME', 'DB_PORT']);
    expect(web.Secrets.map((e: { Name: string }) => e.Name).sort()).toEqual(['CACHE_AUTH_TOKEN', 'DB_PASSWORD', 'DB_USER', 'SESSION_SECRET']);
    expect(JSON.stringify(web.Secrets.find((s: { Name: string }) => s.Name === 'DB_PASSWORD').ValueFrom)).toContain('MasterUserSecret.SecretArn');
  });

  test('the execution role may read exactly the three secrets; the task role holds no permission at all', () => {
    const policies = ofType(BACKEND, 'AWS::IAM::Policy').map(([, p]) => p.Properties!);
    const execution = policies.find((p) => p.Roles.some((r: { Ref: string }) => r.Ref.startsWith('WebExecutionRole')))!;
    const secretStatements = execution.PolicyDocument.Statement.filter((s: { Action: string | string[] }) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    const resources = secretStatements.flatMap((s: { Resource: unknown }) => [s.Resource].flat()).map((r: unknown) => JSON.stringify(r)).sort();
    expect(resources).toEqual([
      '{"Fn::GetAtt":["DatabaseInstanceAA8A5FDE","MasterUserSecret.SecretArn"]}',
      expect.stringMatching(/^\{"Ref":"CacheAuthToken[0-9A-F]+"\}$/),
      expect.stringMatching(/^\{"Ref":"SessionSecret[0-9A-F]+"\}$/),
    ]);
    expect(policies.filter((p) => p.Roles.some((r: { Ref: string }) => r.Ref.startsWith('WebTaskRole')))).toEqual([]);
  });

  test('TLS is forced on both stores, and both are encrypted at rest', () => {
    template().hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: Match.objectLike({ 'rds.force_ssl': '1', ssl_min_protocol_version: 'TLSv1.2' }) });
    template().hasResourceProperties('AWS::RDS::DBInstance', { StorageEncrypted: true, EnableIAMDatabaseAuthentication: true, CACertificateIdentifier: 'rds-ca-rsa2048-g1' });
    template().hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { Engine: 'valkey', TransitEncryptionEnabled: true, TransitEncryptionMode: 'required', AtRestEncryptionEnabled: true });
  });

  test('slow statements and schema changes are logged, into log groups the stack owns', () => {
    template().hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: Match.objectLike({ log_min_duration_statement: '500', log_statement: 'ddl' }) });
    template().hasResourceProperties('AWS::RDS::DBInstance', { EnableCloudwatchLogsExports: ['postgresql', 'upgrade'] });
    template().hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/rds/instance/ecommerce-${profile}/postgresql` });
    const [, db] = only(BACKEND, 'AWS::RDS::DBInstance') as [string, { DependsOn?: string[] }];
    expect((db as { DependsOn?: string[] }).DependsOn).toEqual([expect.stringMatching(/^DatabasePostgresqlLogs/), expect.stringMatching(/^DatabaseUpgradeLogs/)]);
  });

  test('every new task runs the migration step before its web container starts (in the placeholder, a step that succeeds at once)', () => {
    const [, task] = only(BACKEND, 'AWS::ECS::TaskDefinition');
    const [web, migrate] = task.Properties!.ContainerDefinitions;
    expect(migrate).toMatchObject({
      Name: 'Migrate',
      Image: web.Image,
      Command: { 'Fn::If': ['PlaceholderImage', ['true'], ['node', 'dist/migrate.js']] },
      Essential: false,
      User: '1000',
      ReadonlyRootFilesystem: true,
    });
    expect(web.Image).toEqual({ 'Fn::If': ['PlaceholderImage', PLACEHOLDER_IMAGE, expect.objectContaining({ 'Fn::Join': expect.anything() })] });
    expect(JSON.stringify(web.Image)).toContain(`/ecommerce-backend-${profile}:`);
    expect(web.DependsOn).toEqual([{ ContainerName: 'Migrate', Condition: 'SUCCESS' }]);
    expect(migrate.Secrets).toEqual(web.Secrets);
  });

  test('data-tier alarms notify the service\'s topic when they fire and when they clear', () => {
    const [topic] = only(BACKEND, 'AWS::SNS::Topic');
    const names = ['CPUUtilization', 'FreeStorageSpace', 'DatabaseConnections', 'EngineCPUUtilization', 'DatabaseMemoryUsagePercentage', 'Evictions', ...(profile === 'prod' ? ['ReplicationLag'] : [])];
    const alarms = ofType(BACKEND, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
    for (const name of names) {
      const alarm = alarms.find((a) => a.MetricName === name || (a.Metrics ?? []).some((m: { MetricStat?: { Metric: { MetricName: string } } }) => m.MetricStat?.Metric.MetricName === name));
      expect({ name, alarm: alarm && { AlarmActions: alarm.AlarmActions, OKActions: alarm.OKActions } }).toEqual({ name, alarm: { AlarmActions: [{ Ref: topic }], OKActions: [{ Ref: topic }] } });
    }
  });
});

describe('dev: small, and gone after `cdk destroy`', () => {
  const BACKEND = 'EcommerceBackend-dev';

  test('nothing is retained or snapshotted on delete', () => {
    for (const id of ['EcommerceRegistry-dev', BACKEND]) {
      const kept = Object.entries(resourcesOf(id)).filter(([, r]) => r.DeletionPolicy !== undefined && r.DeletionPolicy !== 'Delete');
      expect(kept).toEqual([]);
    }
    expect(only('EcommerceRegistry-dev', 'AWS::ECR::Repository')[1].Properties!.EmptyOnDelete).toBe(true);
  });

  test('the database: db.t4g.micro in one AZ, a day of backups deleted with it, no deletion protection', () => {
    expect(only(BACKEND, 'AWS::RDS::DBInstance')[1].Properties).toMatchObject({
      DBInstanceClass: 'db.t4g.micro', MultiAZ: false, AllocatedStorage: '20', BackupRetentionPeriod: 1, DeleteAutomatedBackups: true, DeletionProtection: false,
    });
  });

  test('no Performance Insights or enhanced monitoring (and so no monitoring role) in dev', () => {
    const [, db] = only(BACKEND, 'AWS::RDS::DBInstance');
    expect(db.Properties!.EnablePerformanceInsights).toBe(false);
    expect(db.Properties!.MonitoringInterval).toBeUndefined();
  });

  test('the cache: one cache.t4g.micro node, no snapshots', () => {
    expect(only(BACKEND, 'AWS::ElastiCache::ReplicationGroup')[1].Properties).toMatchObject({
      CacheNodeType: 'cache.t4g.micro', NumCacheClusters: 1, AutomaticFailoverEnabled: false, MultiAZEnabled: false, SnapshotRetentionLimit: 0,
    });
  });

  test('no NAT gateway and no Container Insights; the task alarm counts healthy targets instead', () => {
    expect(ofType(BACKEND, 'AWS::EC2::NatGateway')).toEqual([]);
    expect(only(BACKEND, 'AWS::ECS::Cluster')[1].Properties!.ClusterSettings).toEqual([{ Name: 'containerInsights', Value: 'disabled' }]);
    synth.template(BACKEND).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'HealthyHostCount', Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching' });
  });

  test('the connections alarm fires at 80% of what db.t4g.micro allows (max_connections 112)', () => {
    synth.template(BACKEND).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DatabaseConnections', Threshold: 89 });
  });
});

describe('prod: highly available, and the data outlives the stack', () => {
  const BACKEND = 'EcommerceBackend-prod';

  test('the database: Multi-AZ, deletion protection, a final snapshot on delete, two weeks of backups, storage that grows', () => {
    const [, db] = only(BACKEND, 'AWS::RDS::DBInstance');
    expect(db).toMatchObject({ DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    expect(db.Properties).toMatchObject({
      DBInstanceClass: 'db.m7g.large', MultiAZ: true, DeletionProtection: true, BackupRetentionPeriod: 14, DeleteAutomatedBackups: false,
      AllocatedStorage: '50', MaxAllocatedStorage: 200, EnablePerformanceInsights: true, MonitoringInterval: 60,
    });
  });

  test('the cache: a primary and a replica in two AZs with automatic failover, a week of snapshots, a final one on delete', () => {
    expect(only(BACKEND, 'AWS::ElastiCache::ReplicationGroup')[1]).toMatchObject({ DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    expect(only(BACKEND, 'AWS::ElastiCache::ReplicationGroup')[1].Properties).toMatchObject({
      NumCacheClusters: 2, AutomaticFailoverEnabled: true, MultiAZEnabled: true, SnapshotRetentionLimit: 7,
    });
  });

  test('secrets, logs and the image repository are retained; the stacks refuse deletion', () => {
    for (const [, secret] of ofType(BACKEND, 'AWS::SecretsManager::Secret')) expect(secret.DeletionPolicy).toBe('Retain');
    expect(only('EcommerceRegistry-prod', 'AWS::ECR::Repository')[1].DeletionPolicy).toBe('Retain');
    for (const id of ['EcommerceRegistry-prod', BACKEND]) expect(synth.stack(id).terminationProtection).toBe(true);
  });

  test('replication lag is watched on the worst cache node', () => {
    const lag = ofType(BACKEND, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!).find((a) => JSON.stringify(a.Metrics ?? []).includes('ReplicationLag'))!;
    const nodes = lag.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat).map((m: { MetricStat: { Metric: { Dimensions: { Value: string }[] } } }) => m.MetricStat.Metric.Dimensions[0].Value);
    expect(nodes).toEqual(['ecommerce-prod-001', 'ecommerce-prod-002']);
    expect(lag.Metrics.find((m: { ReturnData?: boolean; Expression?: string }) => m.Expression)?.Expression).toBe('MAX([replicationLag1, replicationLag2])');
  });
});
