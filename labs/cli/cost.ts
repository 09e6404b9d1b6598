/**
 * Estimates what a lab costs from the resources it synthesizes, priced from labs/cli/prices.json.
 * Nothing here is a hand-written list per lab: change the code (more tasks, a NAT gateway,
 * Spot nodes) and the estimate changes with it.
 */
import PRICES from './prices.json';
import type { Lab, LabOutput } from './lab';
import type { LabResource } from './resources';

export type Cloud = keyof typeof PRICES.clouds;
type Model = (r: LabResource, ctx: PricingContext) => CostItem[];

/** How a line is charged: by the hour, by the month, by use (a documented assumed quantity), or not at all. */
export type Basis = 'hourly' | 'monthly' | 'usage' | 'free';

/** One charge. */
export interface CostItem {
  readonly item: string;
  /** Quantity and unit price in words, e.g. `0.25 vCPU × 1 task at $0.04048 per vCPU-hour`. */
  readonly detail: string;
  readonly basis: Basis;
  readonly perHour: number;
  readonly perMonth: number;
  /** The price page the unit price comes from. */
  readonly source?: string;
}

/** One charge of one resource. */
export interface CostLine extends CostItem {
  readonly resource: string;
  readonly type: string;
}

export interface CostEstimate {
  readonly lab: string;
  readonly profile: string;
  readonly region: string;
  readonly currency: string;
  readonly priceDate: string;
  readonly resources: CostLine[];
  readonly totalPerHour: number;
  readonly totalPerMonth: number;
}

export const HOURS_PER_MONTH = PRICES.hoursPerMonth;

/** Lines for people, largest first: identical charges (seven alarms, two log groups) merged, with a count. */
export function chargedItems(estimate: CostEstimate): CostItem[] {
  const merged = new Map<string, { line: CostLine; perHour: number; perMonth: number; count: number }>();
  for (const line of estimate.resources.filter((l) => l.basis !== 'free')) {
    const key = `${line.item}\u0000${line.detail}`;
    const entry = merged.get(key) ?? { line, perHour: 0, perMonth: 0, count: 0 };
    entry.perHour += line.perHour;
    entry.perMonth += line.perMonth;
    entry.count++;
    merged.set(key, entry);
  }
  return [...merged.values()].sort((a, b) => b.perMonth - a.perMonth).map(({ line, perHour, perMonth, count }) => ({
    item: count > 1 ? `${line.item} ×${count}` : line.item,
    detail: count > 1 ? `each ${line.detail}` : line.detail,
    basis: line.basis,
    perHour,
    perMonth,
    source: line.source,
  }));
}

/** The pricing model of every resource type the kit creates ('free' included); undefined means unpriced. */
export function pricingModelOf(type: string): string | undefined {
  return (PRICES.types as Record<string, string>)[type];
}

export function estimateCost(lab: Lab, output: LabOutput): CostEstimate {
  const cloud = PRICES.clouds[lab.cloud];
  const ctx = new PricingContext(lab.cloud, output.resources);
  const resources = output.resources.flatMap((r): CostLine[] => {
    const modelName = pricingModelOf(r.type);
    if (modelName === undefined) {
      throw new Error(`No price for ${r.type} (${r.id}): add it to labs/cli/prices.json "types", as a pricing model or "free".`);
    }
    const model = MODELS[modelName];
    if (model === undefined) throw new Error(`labs/cli/prices.json names an unknown pricing model "${modelName}" for ${r.type}.`);
    const items = model(r, ctx);
    if (items.length === 0) return [{ resource: r.id, type: r.type, item: 'no charge', detail: '', basis: 'free', perHour: 0, perMonth: 0 }];
    return items.map((i) => ({ resource: r.id, type: r.type, ...i }));
  });
  return {
    lab: lab.id,
    profile: output.profile,
    region: cloud.region,
    currency: PRICES.currency,
    priceDate: PRICES.priceDate,
    resources,
    totalPerHour: round(resources.reduce((sum, l) => sum + l.perHour, 0)),
    totalPerMonth: round(resources.reduce((sum, l) => sum + l.perMonth, 0)),
  };
}

interface Price {
  readonly amount: number;
  readonly unit: string;
  readonly source?: string;
}

/** Prices and assumptions of the lab's cloud, and the lab's other resources for models that need them. */
class PricingContext {
  private readonly byId: Map<string, LabResource>;
  constructor(
    private readonly cloud: Cloud,
    readonly resources: readonly LabResource[],
  ) {
    this.byId = new Map(resources.map((r) => [r.id, r]));
  }

  price(key: string): Price {
    const price = (PRICES.clouds[this.cloud].prices as Record<string, Price>)[key];
    if (price === undefined) throw new Error(`labs/cli/prices.json has no ${this.cloud} price "${key}".`);
    return price;
  }

  assumption(key: string): Price {
    const value = (PRICES.clouds[this.cloud].assumptions as Record<string, Price>)[key];
    if (value === undefined) throw new Error(`labs/cli/prices.json has no ${this.cloud} assumption "${key}".`);
    return value;
  }

  used(r: LabResource, type: string): LabResource | undefined {
    return r.uses.map((id) => this.byId.get(id)).find((u) => u?.type === type);
  }

  ofType(type: string): LabResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** A charge of `quantity` units at `key`'s price per hour. */
  hourly(item: string, quantity: number, quantityText: string, key: string, factor = 1): CostItem {
    const price = this.price(key);
    const perHour = quantity * price.amount * factor;
    return { item, detail: `${quantityText} at ${unitPrice(price.amount * factor)} per ${price.unit}`, basis: 'hourly', perHour, perMonth: perHour * HOURS_PER_MONTH, source: price.source };
  }

  /** A charge of `quantity` units at `key`'s price per month. */
  monthly(item: string, quantity: number, quantityText: string, key: string): CostItem {
    const price = this.price(key);
    const perMonth = quantity * price.amount;
    return { item, detail: `${quantityText} at ${unitPrice(price.amount)} per ${price.unit}`, basis: 'monthly', perHour: perMonth / HOURS_PER_MONTH, perMonth, source: price.source };
  }

  /** A charge by use, estimated from an assumed monthly quantity. */
  usage(item: string, assumptionKey: string, priceKey: string): CostItem {
    const assumed = this.assumption(assumptionKey);
    const price = this.price(priceKey);
    const perMonth = assumed.amount * price.amount;
    return {
      item,
      detail: `about ${assumed.amount} ${assumed.unit}, at ${unitPrice(price.amount)} per ${price.unit}`,
      basis: 'usage',
      perHour: perMonth / HOURS_PER_MONTH,
      perMonth,
      source: price.source,
    };
  }
}

/** The names labs/cli/prices.json may give a type: a pricing model, or "free". */
export function pricingModels(): string[] {
  return Object.keys(MODELS);
}

const MODELS: Record<string, Model> = {
  free: () => [],

  'fargate-service': (service, ctx) => {
    const task = ctx.used(service, 'AWS::ECS::TaskDefinition');
    if (task === undefined) throw new Error(`${service.id}: a Fargate service without a task definition cannot be priced.`);
    const p = service.props;
    // An auto-scaled service leaves the count to its scaling target: it runs at least MinCapacity tasks.
    const scaling = ctx.ofType('AWS::ApplicationAutoScaling::ScalableTarget').find((t) => t.uses.includes(service.id));
    const tasks = Number(p.DesiredCount ?? scaling?.props.MinCapacity ?? 1);
    const vcpu = Number(task.props.Cpu) / 1024;
    const gb = Number(task.props.Memory) / 1024;
    const arm = task.props.RuntimePlatform?.CpuArchitecture === 'ARM64';
    const spot = (p.CapacityProviderStrategy ?? []).some((s: { CapacityProvider: string }) => s.CapacityProvider === 'FARGATE_SPOT');
    const factor = spot ? 1 - ctx.price('fargateSpotDiscount').amount : 1;
    const flavour = `${arm ? 'ARM64' : 'x86'}${spot ? ', Spot' : ''}`;
    const items = [
      ctx.hourly(`Fargate vCPU (${flavour})`, vcpu * tasks, `${vcpu} vCPU × ${tasks} task${s(tasks)}`, arm ? 'fargateArmVcpuHour' : 'fargateVcpuHour', factor),
      ctx.hourly(`Fargate memory (${flavour})`, gb * tasks, `${gb} GB × ${tasks} task${s(tasks)}`, arm ? 'fargateArmGbHour' : 'fargateGbHour', factor),
    ];
    if (p.NetworkConfiguration?.AwsvpcConfiguration?.AssignPublicIp === 'ENABLED') {
      items.push(ctx.hourly('public IPv4 of the tasks', tasks, `${tasks} address${tasks === 1 ? '' : 'es'}`, 'publicIpv4Hour'));
    }
    return items;
  },

  'container-insights': (cluster, ctx) => {
    const settings: { Name: string; Value: string }[] = cluster.props.ClusterSettings ?? [];
    if (!settings.some((setting) => setting.Name === 'containerInsights' && setting.Value !== 'disabled')) return [];
    const services = ctx.ofType('AWS::ECS::Service').filter((svc) => svc.uses.includes(cluster.id)).length;
    const metrics = ctx.assumption('containerInsightsMetricsPerService').amount * Math.max(1, services);
    return [ctx.monthly('Container Insights metrics', metrics, `about ${metrics} metrics (estimate)`, 'customMetricMonth')];
  },

  'application-load-balancer': (alb, ctx) => {
    const items = [
      ctx.hourly('Application Load Balancer', 1, '1 load balancer', 'albHour'),
      ctx.hourly('load balancer capacity units', ctx.assumption('albLcu').amount, `${ctx.assumption('albLcu').amount} LCU at lab traffic`, 'albLcuHour'),
    ];
    if (alb.props.Scheme !== 'internal') {
      const ips = ctx.assumption('albAvailabilityZones').amount;
      items.push(ctx.hourly('public IPv4 of the load balancer', ips, `${ips} addresses (one per AZ)`, 'publicIpv4Hour'));
    }
    return items;
  },

  'nat-gateway': (_nat, ctx) => [ctx.hourly('NAT gateway', 1, '1 gateway', 'natGatewayHour')],
  'public-ipv4': (_eip, ctx) => [ctx.hourly('Elastic IP (public IPv4)', 1, '1 address', 'publicIpv4Hour')],

  alarm: (alarm, ctx) => {
    const metrics = Array.isArray(alarm.props.Metrics)
      ? alarm.props.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat !== undefined).length
      : 1;
    return [ctx.monthly('CloudWatch alarm', metrics, `${metrics} alarm metric${s(metrics)}`, 'alarmMetricMonth')];
  },
  dashboard: (_d, ctx) => [ctx.monthly('CloudWatch dashboard', 1, '1 dashboard', 'dashboardMonth')],
  'log-group': (_l, ctx) => [ctx.usage('log ingestion', 'logsGbPerMonth', 'logsIngestGb')],
  'ecr-repository': (_r, ctx) => [ctx.usage('image storage', 'ecrGbStored', 'ecrStorageGbMonth')],
  's3-bucket': (_b, ctx) => [ctx.usage('object storage', 's3GbStored', 's3StorageGbMonth')],
  'sns-topic': (_t, ctx) => {
    const price = ctx.price('snsEmailPer100k');
    return [{ item: 'email notifications', detail: `a few alarm emails a month, within ${price.unit}`, basis: 'usage', perHour: 0, perMonth: 0, source: price.source }];
  },

  'gke-cluster': (cluster, ctx) => {
    const zonal = isZone(String(cluster.props.location));
    const free = ctx.price('gkeFreeTierMonth');
    if (zonal) {
      return [{ ...ctx.hourly('GKE management fee (zonal)', 1, '1 cluster', 'gkeClusterHour', 0), detail: `$0.10 per cluster-hour, covered by the ${money(free.amount)} ${free.unit}` }];
    }
    return [ctx.hourly('GKE management fee (regional)', 1, '1 cluster', 'gkeClusterHour')];
  },

  'gke-node-pool': (pool, ctx) => {
    const nodes = nodeCount(pool);
    const config = pool.props.nodeConfig ?? {};
    const spot = config.spot === true || config.preemptible === true;
    const machine = String(config.machineType ?? 'e2-medium');
    const diskGb = Number(config.diskSizeGb ?? 100);
    const diskType = String(config.diskType ?? 'pd-balanced');
    return [
      ctx.hourly(`${nodes} node${s(nodes)}, ${machine}${spot ? ' Spot' : ''}`, nodes, `${nodes} VM${s(nodes)}`, spot ? `${machine}:spot` : machine),
      ctx.monthly(`node boot disk${s(nodes)}, ${diskType}`, nodes * diskGb, `${nodes} × ${diskGb} GB`, diskType),
    ];
  },

  'cloud-nat': (_nat, ctx) => {
    const vms = ctx.ofType('gcp:container/nodePool:NodePool').reduce((sum, pool) => sum + nodeCount(pool), 0);
    return [
      ctx.hourly('Cloud NAT gateway', vms, `${vms} VM${s(vms)} served`, 'natVmHour'),
      ctx.hourly('NAT external IPv4', 1, '1 automatically allocated address', 'externalIpv4Hour'),
    ];
  },

  'cloudsql-instance': (instance, ctx) => {
    const settings = instance.props.settings ?? {};
    const tier = String(settings.tier);
    const ha = settings.availabilityType === 'REGIONAL';
    const copies = ha ? 2 : 1;
    const haText = ha ? ' (high availability: primary and standby)' : '';
    const custom = /^db-custom-(\d+)-(\d+)$/.exec(tier);
    const compute = custom
      ? [
          ctx.hourly(`Cloud SQL vCPU, ${tier}${haText}`, Number(custom[1]) * copies, `${custom[1]} vCPU × ${copies}`, 'sqlVcpuHour'),
          ctx.hourly(`Cloud SQL memory, ${tier}${haText}`, (Number(custom[2]) / 1024) * copies, `${Number(custom[2]) / 1024} GB × ${copies}`, 'sqlGbHour'),
        ]
      : [ctx.hourly(`Cloud SQL ${tier}${haText}`, copies, `${copies} instance${s(copies)}`, tier)];
    const diskGb = Number(settings.diskSize ?? ctx.assumption('sqlDefaultDiskGb').amount);
    return [...compute, ctx.monthly('Cloud SQL SSD storage', diskGb * copies, `${diskGb} GB × ${copies}`, 'sqlSsdGbMonth')];
  },

  'memorystore-redis': (redis, ctx) => {
    const gb = Number(redis.props.memorySizeGb);
    const tier = String(redis.props.tier ?? 'BASIC');
    const band = gb <= 4 ? 'M1' : 'M2';
    return [ctx.hourly(`Memorystore for Redis, ${tier}`, gb, `${gb} GB`, `redis:${tier}:${band}`)];
  },

  'rds-instance': (db, ctx) => {
    const p = db.props;
    const cls = String(p.DBInstanceClass);
    const copies = p.MultiAZ === true ? 2 : 1;
    const az = copies === 2 ? ' (Multi-AZ: primary and standby)' : '';
    const storage = Number(p.AllocatedStorage);
    const items = [
      ctx.hourly(`RDS for PostgreSQL ${cls}${az}`, copies, `${copies} instance${s(copies)}`, `rds-postgres:${cls}`),
      ctx.monthly(`RDS gp3 storage${az}`, storage * copies, `${storage} GB × ${copies}`, 'rdsGp3GbMonth'),
    ];
    // RDS creates the master password's secret itself: it is billed, but is no resource of the template.
    if (p.ManageMasterUserPassword === true) items.push(ctx.monthly('Secrets Manager secret (master password, RDS-managed)', 1, '1 secret', 'secretMonth'));
    return items;
  },

  'elasticache-replication-group': (group, ctx) => {
    const nodes = Number(group.props.NumCacheClusters ?? 1);
    const type = String(group.props.CacheNodeType);
    const engine = String(group.props.Engine);
    if (engine !== 'valkey') throw new Error(`${group.id}: only ElastiCache for Valkey is priced (got ${engine}).`);
    return [ctx.hourly(`ElastiCache for Valkey ${type}`, nodes, `${nodes} node${s(nodes)}`, `valkey:${type}`)];
  },

  secret: (_secret, ctx) => [ctx.monthly('Secrets Manager secret', 1, '1 secret', 'secretMonth')],

  'secret-version': (_v, ctx) => [ctx.monthly('Secret Manager version', 1, '1 active version', 'secretVersionMonth')],
  'kms-key': (_k, ctx) => [ctx.monthly('Cloud KMS key', 1, '1 active key version (one more each rotation)', 'kmsKeyVersionMonth')],
  'storage-bucket': (_b, ctx) => [ctx.usage('Cloud Storage', 'storageGbStored', 'storageStandardGbMonth')],
};

/** Nodes a pool starts with: per zone, times its zones (node locations, or three for a regional pool). */
function nodeCount(pool: LabResource): number {
  const perZone = Number(pool.props.initialNodeCount ?? pool.props.nodeCount ?? 1);
  const locations: unknown[] | undefined = pool.props.nodeLocations;
  const zones = locations?.length ?? (isZone(String(pool.props.location)) ? 1 : 3);
  return perZone * zones;
}

function isZone(location: string): boolean {
  return /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location);
}

const s = (n: number) => (n === 1 ? '' : 's');
const round = (n: number) => Math.round(n * 1e4) / 1e4;

/** A unit price exactly as the price page gives it. */
const unitPrice = (amount: number) => `$${Number(amount.toPrecision(6))}`;

/** An amount of money, to the cent once it is a dollar or more. */
export function money(amount: number): string {
  if (amount === 0) return '$0';
  return amount < 0.01 ? `$${amount.toPrecision(2)}` : amount < 1 ? `$${amount.toFixed(4)}` : `$${amount.toFixed(2)}`;
}
