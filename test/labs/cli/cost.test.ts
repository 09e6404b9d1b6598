import { chargedItems, estimateCost, HOURS_PER_MONTH, pricingModels } from '../../../labs/cli/cost';
import type { Lab } from '../../../labs/cli/lab';
import PRICES from '../../../labs/cli/prices.json';
import type { LabResource } from '../../../labs/cli/resources';
import { findLab } from '../../../labs/index';

const resource = (id: string, type: string, props: Record<string, unknown> = {}, uses: string[] = []): LabResource => ({
  id,
  type,
  name: id,
  group: 'g',
  props,
  uses,
});
const estimate = (lab: Lab, resources: LabResource[]) => estimateCost(lab, { lab: lab.id, profile: 'dev', resources, files: [] });
const line = (e: ReturnType<typeof estimate>, item: RegExp) => e.resources.find((l) => item.test(l.item))!;
const autoPipe = findLab('auto-pipe')!;
const ecommerce = findLab('ecommerce-backend')!;
const gke = findLab('gke')!;
const cloudsql = findLab('cloudsql')!;

describe('AWS pricing from the template', () => {
  const task = resource('td', 'AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '1024' });
  const service = (props: Record<string, unknown>) =>
    resource('svc', 'AWS::ECS::Service', { DesiredCount: 2, ...props }, ['td']);

  test('a Fargate service costs its task size times its tasks, and a public IP per task', () => {
    const e = estimate(autoPipe, [task, service({ NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } } })]);
    expect(line(e, /vCPU/).perHour).toBeCloseTo(0.5 * 2 * 0.04048, 10);
    expect(line(e, /memory/).perHour).toBeCloseTo(1 * 2 * 0.004445, 10);
    expect(line(e, /public IPv4/).perHour).toBeCloseTo(2 * 0.005, 10);
    expect(e.totalPerHour).toBeCloseTo(0.04048 + 0.00889 + 0.01, 4);
    expect(e.totalPerMonth).toBeCloseTo(e.totalPerHour * HOURS_PER_MONTH, 1);
  });

  test('Fargate Spot takes the discount and ARM64 its own rates; private tasks have no public IP', () => {
    const spot = estimate(autoPipe, [task, service({ CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] })]);
    expect(line(spot, /vCPU/).perHour).toBeCloseTo(0.5 * 2 * 0.04048 * 0.3, 10);
    expect(spot.resources.some((l) => /public IPv4/.test(l.item))).toBe(false);
    const arm = estimate(autoPipe, [resource('td', 'AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '1024', RuntimePlatform: { CpuArchitecture: 'ARM64' } }), service({})]);
    expect(line(arm, /vCPU/).perHour).toBeCloseTo(0.5 * 2 * 0.03238, 10);
  });

  test('an internet-facing ALB pays its hours and an address per AZ; an alarm per metric; a dashboard a month', () => {
    const e = estimate(autoPipe, [
      resource('alb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' }),
      resource('a1', 'AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization' }),
      resource('a2', 'AWS::CloudWatch::Alarm', { Metrics: [{ Id: 'm1', MetricStat: {} }, { Id: 'm2', MetricStat: {} }, { Id: 'e', Expression: 'm1+m2' }] }),
      resource('d', 'AWS::CloudWatch::Dashboard'),
    ]);
    expect(line(e, /^Application Load Balancer$/).perHour).toBe(0.0225);
    expect(line(e, /public IPv4 of the load balancer/).perHour).toBeCloseTo(0.01, 10);
    expect(e.resources.filter((l) => l.item === 'CloudWatch alarm').map((l) => l.perMonth)).toEqual([0.1, 0.2]);
    expect(line(e, /dashboard/).perMonth).toBe(3);
  });

  test('an auto-scaled service (no DesiredCount in the template) is priced at its scaling minimum', () => {
    const scaled = resource('svc', 'AWS::ECS::Service', {}, ['td']);
    const target = resource('scaling', 'AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 9 }, ['svc']);
    expect(line(estimate(autoPipe, [task, scaled, target]), /vCPU/).detail).toBe('0.5 vCPU × 3 tasks at $0.04048 per vCPU-hour');
  });

  test('RDS bills an instance and its storage per copy: Multi-AZ two of each; the secret RDS manages is billed too', () => {
    const db = (props: Record<string, unknown>) => resource('db', 'AWS::RDS::DBInstance', { DBInstanceClass: 'db.m7g.large', AllocatedStorage: '50', ...props });
    const single = estimate(ecommerce, [db({ MultiAZ: false })]);
    const multi = estimate(ecommerce, [db({ MultiAZ: true, ManageMasterUserPassword: true })]);
    expect(line(multi, /^RDS for PostgreSQL/).perHour).toBeCloseTo(2 * line(single, /^RDS for PostgreSQL/).perHour, 10);
    expect(line(multi, /storage/).perMonth).toBeCloseTo(2 * line(single, /storage/).perMonth, 10);
    expect(single.resources.some((l) => /Secrets Manager/.test(l.item))).toBe(false);
    expect(line(multi, /master password/).perMonth).toBe(0.4);
  });

  test('ElastiCache bills each node of a replication group; only Valkey is priced', () => {
    const group = (engine: string) => resource('cache', 'AWS::ElastiCache::ReplicationGroup', { Engine: engine, CacheNodeType: 'cache.t4g.micro', NumCacheClusters: 2 });
    expect(line(estimate(ecommerce, [group('valkey')]), /Valkey/).detail).toBe('2 nodes at $0.0128 per node-hour (ElastiCache for Valkey, 20% below Redis OSS)');
    expect(() => estimate(ecommerce, [group('redis')])).toThrow('cache: only ElastiCache for Valkey is priced (got redis).');
  });

  test('a NAT gateway and its Elastic IP are charged by the hour', () => {
    const e = estimate(autoPipe, [resource('nat', 'AWS::EC2::NatGateway'), resource('eip', 'AWS::EC2::EIP')]);
    expect(e.totalPerHour).toBeCloseTo(0.045 + 0.005, 10);
  });
});

describe('GCP pricing from the plan', () => {
  test('a zonal cluster is covered by the free tier; a regional one pays the management fee', () => {
    expect(estimate(gke, [resource('c', 'gcp:container/cluster:Cluster', { location: 'us-central1-b' })]).totalPerHour).toBe(0);
    expect(estimate(gke, [resource('c', 'gcp:container/cluster:Cluster', { location: 'us-central1' })]).totalPerHour).toBe(0.1);
  });

  test('node pools pay machine and disk per node; regional pools run in three zones; Cloud NAT per VM', () => {
    const pool = resource('p', 'gcp:container/nodePool:NodePool', {
      location: 'us-central1',
      initialNodeCount: 2,
      nodeConfig: { machineType: 'e2-standard-4', diskSizeGb: 100, diskType: 'pd-balanced' },
    });
    const e = estimate(gke, [pool, resource('nat', 'gcp:compute/routerNat:RouterNat')]);
    expect(line(e, /6 nodes, e2-standard-4/).perHour).toBeCloseTo(6 * 0.134012, 10);
    expect(line(e, /boot disk/).perMonth).toBeCloseTo(6 * 100 * 0.1, 10);
    expect(line(e, /Cloud NAT gateway/).perHour).toBeCloseTo(6 * 0.0014, 10);
    const spot = estimate(gke, [resource('p', 'gcp:container/nodePool:NodePool', { location: 'us-central1-b', initialNodeCount: 1, nodeConfig: { machineType: 'e2-medium', spot: true, diskSizeGb: 30 } })]);
    expect(line(spot, /node, e2-medium Spot/).perHour).toBe(0.01005);
  });

  test('Cloud SQL: shared-core tiers by the hour, custom tiers per vCPU and GB, doubled for high availability', () => {
    const micro = estimate(cloudsql, [resource('db', 'gcp:sql/databaseInstance:DatabaseInstance', { settings: { tier: 'db-f1-micro', availabilityType: 'ZONAL' } })]);
    expect(micro.totalPerHour).toBeCloseTo(0.0105 + (10 * 0.17) / HOURS_PER_MONTH, 4);
    const ha = estimate(cloudsql, [
      resource('db', 'gcp:sql/databaseInstance:DatabaseInstance', { settings: { tier: 'db-custom-2-7680', availabilityType: 'REGIONAL', diskSize: 20 } }),
    ]);
    expect(line(ha, /vCPU/).perHour).toBeCloseTo(2 * 2 * 0.0413, 10);
    expect(line(ha, /memory/).perHour).toBeCloseTo(7.5 * 2 * 0.007, 10);
    expect(line(ha, /storage/).perMonth).toBeCloseTo(20 * 2 * 0.17, 10);
  });

  test('Memorystore by GB-hour in its capacity band; each secret version a month', () => {
    const lab = findLab('gcp-platform')!;
    const e = estimate(lab, [
      resource('r', 'gcp:redis/instance:Instance', { tier: 'STANDARD_HA', memorySizeGb: 5 }),
      resource('v1', 'gcp:secretmanager/secretVersion:SecretVersion'),
      resource('v2', 'gcp:secretmanager/secretVersion:SecretVersion'),
    ]);
    expect(line(e, /Redis/).perHour).toBeCloseTo(5 * 0.054, 10);
    expect(chargedItems(e).find((l) => /Secret Manager/.test(l.item))).toMatchObject({ item: 'Secret Manager version ×2', perMonth: 0.12 });
  });
});

// Worked by hand from the providers' pricing pages (us-east-1 / us-central1, November 2026), not from
// prices.json: a wrong unit, a swapped field or a mistyped rate there changes one of these.
describe('hand-computed costs of real configurations', () => {
  test('one 0.25 vCPU / 0.5 GB ARM64 Fargate task in a private subnet: $7.21 a month', () => {
    const e = estimate(autoPipe, [
      resource('td', 'AWS::ECS::TaskDefinition', { Cpu: '256', Memory: '512', RuntimePlatform: { CpuArchitecture: 'ARM64' } }),
      resource('svc', 'AWS::ECS::Service', { DesiredCount: 1, NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } } }, ['td']),
    ]);
    // 0.25 × $0.03238 + 0.5 × $0.00356 = $0.009875 an hour; × 730 hours.
    expect(Number(e.totalPerMonth.toFixed(2))).toBe(7.21);
  });

  test('the same task on x86 with a public IP: $12.66 a month', () => {
    const e = estimate(autoPipe, [
      resource('td', 'AWS::ECS::TaskDefinition', { Cpu: '256', Memory: '512' }),
      resource('svc', 'AWS::ECS::Service', { DesiredCount: 1, NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } } }, ['td']),
    ]);
    // 0.25 × $0.04048 + 0.5 × $0.004445 + $0.005 (public IPv4) = $0.0173425 an hour.
    expect(Number(e.totalPerMonth.toFixed(2))).toBe(12.66);
  });

  test('the e-commerce dev data tier (db.t4g.micro with 20 GB of gp3, one cache.t4g.micro Valkey node): $23.32 a month', () => {
    const e = estimate(ecommerce, [
      resource('db', 'AWS::RDS::DBInstance', { DBInstanceClass: 'db.t4g.micro', AllocatedStorage: '20', MultiAZ: false }),
      resource('cache', 'AWS::ElastiCache::ReplicationGroup', { Engine: 'valkey', CacheNodeType: 'cache.t4g.micro', NumCacheClusters: 1 }),
    ]);
    // $0.016 × 730 = $11.68; 20 GB × $0.115 = $2.30; $0.0128 × 730 = $9.344 (Redis OSS's $0.016 less 20%).
    expect(Number(e.totalPerMonth.toFixed(2))).toBe(23.32);
  });

  test('an access-log bucket holding 0.1 GB a month in S3 Standard: a quarter of a cent', () => {
    const e = estimate(autoPipe, [resource('logs', 'AWS::S3::Bucket')]);
    // 0.1 GB × $0.023 per GB-month.
    expect(line(e, /object storage/).perMonth).toBeCloseTo(0.0023, 6);
  });
});

test('a resource type without a price fails loudly, naming the type and the file to fix', () => {
  expect(() => estimate(autoPipe, [resource('x', 'AWS::Lambda::Function')])).toThrow(
    'No price for AWS::Lambda::Function (x): add it to labs/cli/prices.json "types", as a pricing model or "free".',
  );
});

test('every price names its unit and its source page, and every type names a known model', () => {
  for (const cloud of Object.values(PRICES.clouds)) {
    for (const price of Object.values(cloud.prices as Record<string, { amount: number; unit: string; source: string }>)) {
      expect(price).toEqual({ amount: expect.any(Number), unit: expect.any(String), source: expect.stringMatching(/^https:\/\//) });
    }
  }
  expect([...new Set(Object.values(PRICES.types))].filter((model) => !pricingModels().includes(model))).toEqual([]);
});
