/**
 * The e-commerce backend's typed configuration: two profiles defined here, overridable with CDK
 * context (`-c key=value` or cdk.json's "context"). Everything is validated before any construct
 * exists, so a mistake is one message naming the key, the value, what is valid and the fix.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { PROFILES, type Profile } from '../../common/profiles';
import {
  type AwsLabConfig, type ContainerContract, type ContextReader, DEFAULT_REGION, DOMAIN_CONTEXT_KEYS, type FargateSize, MAX_TASKS, optional, readAlarmEmail, readDomain,
  readFargateSize, readRegion, reader, rejectImageTagContext, rejectUnknownKeys,
} from '../config';

export { PROFILES, type Profile };

/**
 * PostgreSQL majors RDS offers under standard support, oldest first. 14 and older are left out:
 * their RDS standard support ends before a course that starts today would, and RDS then bills
 * Extended Support per vCPU-hour.
 */
export const POSTGRES_VERSIONS = ['15', '16', '17', '18'] as const;
export type PostgresVersion = (typeof POSTGRES_VERSIONS)[number];

/**
 * The Graviton instance classes offered, with their memory in GiB: RDS sizes PostgreSQL's
 * max_connections from it (LEAST(DBInstanceClassMemory/9531392, 5000)), so the connections alarm
 * does too. Graviton costs about 10% less than the Intel classes of the same size.
 */
export const DB_INSTANCE_CLASSES: Readonly<Record<string, number>> = {
  'db.t4g.micro': 1, 'db.t4g.small': 2, 'db.t4g.medium': 4, 'db.t4g.large': 8, 'db.t4g.xlarge': 16, 'db.t4g.2xlarge': 32,
  'db.m7g.large': 8, 'db.m7g.xlarge': 16, 'db.m7g.2xlarge': 32, 'db.m7g.4xlarge': 64,
  'db.r7g.large': 16, 'db.r7g.xlarge': 32, 'db.r7g.2xlarge': 64, 'db.r7g.4xlarge': 128,
};

/** ElastiCache node types offered (Graviton), smallest first. */
export const CACHE_NODE_TYPES = [
  'cache.t4g.micro', 'cache.t4g.small', 'cache.t4g.medium',
  'cache.m7g.large', 'cache.m7g.xlarge', 'cache.m7g.2xlarge',
  'cache.r7g.large', 'cache.r7g.xlarge', 'cache.r7g.2xlarge',
] as const;

/** The reference service's contract (labs/ecommerce-backend/service): port, liveness path, user; its image has wget. */
const SERVICE_CONTRACT: ContainerContract = { port: 8080, healthPath: '/healthz', user: '1000', wgetHealthCheck: true };

/** The stack that runs the service's image. */
export function backendStackName(profile: Profile): string {
  return `EcommerceBackend-${profile}`;
}

export interface EcommerceDatabaseConfig {
  readonly postgresVersion: PostgresVersion;
  readonly instanceClass: string;
  /** gp3 storage at creation, GiB. */
  readonly storageGiB: number;
  /** Storage autoscaling ceiling, GiB; absent keeps the size fixed. */
  readonly maxStorageGiB?: number;
  readonly backupRetentionDays: number;
  /** A standby in a second AZ, promoted automatically when the primary fails. */
  readonly multiAz: boolean;
  /** Performance Insights (7 days, free) and enhanced monitoring (OS metrics every 60 s). */
  readonly detailedMonitoring: boolean;
}

export interface EcommerceCacheConfig {
  readonly nodeType: (typeof CACHE_NODE_TYPES)[number];
  /** 1: a single node; more: a primary and replicas in other AZs with automatic failover. */
  readonly nodes: number;
  /** Daily snapshots kept; 0 takes none. */
  readonly snapshotRetentionDays: number;
}

/** Everything one profile's stacks need, validated. Until an ImageTag is deployed, the placeholder runs. */
export interface EcommerceConfig extends AwsLabConfig {
  readonly service: FargateSize;
  /** Container Insights (about $12 a month for one service): prod only, to keep dev under $2 a day. */
  readonly containerInsights: boolean;
  readonly database: EcommerceDatabaseConfig;
  readonly cache: EcommerceCacheConfig;
}

interface ProfileDefaults {
  readonly service: { readonly desiredCount: number; readonly maxCount: (desired: number) => number; readonly cpu: number; readonly memory: number };
  readonly dbInstanceClass: string;
  readonly dbStorageGiB: number;
  readonly backupRetentionDays: number;
  /** The least backupRetentionDays this profile accepts. */
  readonly minBackupRetentionDays: number;
  readonly cacheNodeType: (typeof CACHE_NODE_TYPES)[number];
  readonly production: boolean;
  readonly logRetention: RetentionDays;
  readonly natGateways: number;
  readonly keepTaggedImages: number;
}

const PROFILE_DEFAULTS: Readonly<Record<Profile, ProfileDefaults>> = {
  // A learner's lab: the smallest of everything, one AZ for the data, no NAT gateway, and nothing
  // survives `cdk destroy`.
  dev: {
    service: { desiredCount: 1, maxCount: (desired) => desired, cpu: 256, memory: 512 },
    dbInstanceClass: 'db.t4g.micro',
    dbStorageGiB: 20,
    backupRetentionDays: 1,
    minBackupRetentionDays: 1,
    cacheNodeType: 'cache.t4g.micro',
    production: false,
    logRetention: RetentionDays.ONE_WEEK,
    natGateways: 0,
    keepTaggedImages: 10,
  },
  // A shop taking orders: every tier in two AZs, two weeks of point-in-time recovery, data kept.
  prod: {
    service: { desiredCount: 2, maxCount: (desired) => Math.min(desired * 3, MAX_TASKS), cpu: 512, memory: 1024 },
    dbInstanceClass: 'db.m7g.large',
    dbStorageGiB: 50,
    backupRetentionDays: 14,
    minBackupRetentionDays: 7,
    cacheNodeType: 'cache.m7g.large',
    production: true,
    logRetention: RetentionDays.THREE_MONTHS,
    natGateways: 2,
    keepTaggedImages: 30,
  },
};

/** Every context key the lab reads; any other key without a ':' is a typo. */
export const CONTEXT_KEYS = [
  'env',
  'region',
  'alarmEmail',
  ...DOMAIN_CONTEXT_KEYS,
  'postgresVersion',
  'dbInstanceClass',
  'dbStorageGiB',
  'backupRetentionDays',
  'cacheNodeType',
  'desiredCount',
  'maxCount',
  'cpu',
  'memory',
] as const;

const MAX_STORAGE_GIB = 1000;

/** The selected profile's config (dev unless `env` says prod); throws a ConfigError on the first mistake. */
export function readEcommerceConfig(context: ContextReader, keys: readonly string[]): EcommerceConfig {
  const env = context('env');
  const profile = env === undefined ? 'dev' : reader.oneOf('env', env, PROFILES);
  rejectImageTagContext(context, backendStackName(profile));
  rejectUnknownKeys('e-commerce backend', CONTEXT_KEYS, context, keys);
  const defaults = PROFILE_DEFAULTS[profile];
  const region = optional(context, 'region', readRegion) ?? DEFAULT_REGION;
  const storageGiB = optional(context, 'dbStorageGiB', (v) => reader.integer('dbStorageGiB', v, 20, MAX_STORAGE_GIB)) ?? defaults.dbStorageGiB;
  const backupRetentionDays =
    optional(context, 'backupRetentionDays', (v) => readBackupRetention(v, profile, defaults.minBackupRetentionDays)) ?? defaults.backupRetentionDays;
  const cacheNodes = defaults.production ? 2 : 1;

  return {
    profile,
    region,
    repositoryName: `ecommerce-backend-${profile}`,
    container: SERVICE_CONTRACT,
    alarmEmail: optional(context, 'alarmEmail', readAlarmEmail),
    domain: readDomain(profile, context, region),
    service: readFargateSize(context, defaults.service),
    containerInsights: defaults.production,
    database: {
      postgresVersion: optional(context, 'postgresVersion', readPostgresVersion) ?? '17',
      instanceClass: optional(context, 'dbInstanceClass', readDbInstanceClass) ?? defaults.dbInstanceClass,
      storageGiB,
      // Storage grows by itself up to four times its size in prod, so a full disk never stops the shop.
      maxStorageGiB: defaults.production ? Math.min(storageGiB * 4, MAX_STORAGE_GIB) : undefined,
      backupRetentionDays,
      multiAz: defaults.production,
      detailedMonitoring: defaults.production,
    },
    cache: {
      nodeType: optional(context, 'cacheNodeType', (v) => reader.oneOf('cacheNodeType', v, CACHE_NODE_TYPES)) ?? defaults.cacheNodeType,
      nodes: cacheNodes,
      snapshotRetentionDays: defaults.production ? 7 : 0,
    },
    retainData: defaults.production,
    logRetention: defaults.logRetention,
    natGateways: defaults.natGateways,
    keepTaggedImages: defaults.keepTaggedImages,
    terminationProtection: defaults.production,
    tags: { project: 'ecommerce-backend', profile },
  };
}

function readPostgresVersion(value: unknown): PostgresVersion {
  const major = typeof value === 'number' ? String(value) : value;
  if (typeof major === 'string' && (POSTGRES_VERSIONS as readonly string[]).includes(major)) return major as PostgresVersion;
  return reader.fail(
    'postgresVersion',
    value,
    `a PostgreSQL major version RDS supports under standard support: ${POSTGRES_VERSIONS.join(', ')} (the minor version is RDS's current default, kept up to date by automatic minor upgrades)`,
    '17',
  );
}

function readDbInstanceClass(value: unknown): string {
  if (typeof value === 'string' && value in DB_INSTANCE_CLASSES) return value;
  const hint = typeof value === 'string' && !value.startsWith('db.') && `db.${value}` in DB_INSTANCE_CLASSES ? ` (RDS classes start with db.: db.${value})` : '';
  return reader.fail('dbInstanceClass', value, `one of ${Object.keys(DB_INSTANCE_CLASSES).join(', ')}${hint}`, 'db.t4g.micro');
}

function readBackupRetention(value: unknown, profile: Profile, min: number): number {
  const days = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof days === 'number' && Number.isInteger(days) && days >= min && days <= 35) return days;
  const why = profile === 'prod' ? ' (prod keeps at least a week of point-in-time recovery)' : ' (0 would turn automated backups off)';
  return reader.fail('backupRetentionDays', value, `an integer from ${min} to 35, the days of automated backups RDS keeps${why}`, String(min === 1 ? 1 : 14));
}
