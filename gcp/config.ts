/**
 * Typed, validated configuration of the GCP labs.
 *
 * The Pulumi CLI hands the program every config value of the stack as a string
 * (lists arrive JSON-encoded). `readLabConfig` checks all of them before a single
 * resource is declared, and turns the `profile` into the settings each component needs.
 */
import { coversWholeInternet, formatNetwork, networkOf, parseIpv4Cidr } from '../common/cidr';
import { GCP_REGIONS, ZONES_AS_OF, zonesOf } from './regions';
import { closestKey, ConfigError, ConfigReader } from '../common/config';
import { PROFILES, type Profile } from '../common/profiles';

export { PROFILES, type Profile };

/** The Pulumi project name (Pulumi.yaml `name`), which is also the namespace of the project's config keys. */
export const PROJECT_NAME = 'iac-lab-kit';

export const LABS = ['gke', 'cloudsql', 'platform'] as const;
export type Lab = (typeof LABS)[number];

/** Postgres majors Cloud SQL supports today that are not close to end of support. */
export const DATABASE_VERSIONS = ['POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17', 'POSTGRES_18'] as const;
export type DatabaseVersion = (typeof DATABASE_VERSIONS)[number];

/** Binary Authorization's enforcement: dev only logs what it would block, prod blocks it. */
export type ImageAdmission = 'DRYRUN_AUDIT_LOG_ONLY' | 'ENFORCED_BLOCK_AND_AUDIT_LOG';

export const RELEASE_CHANNELS = ['RAPID', 'REGULAR', 'STABLE'] as const;
export type ReleaseChannel = (typeof RELEASE_CHANNELS)[number];

/** The project's config keys, as declared in Pulumi.yaml (a test keeps the two in sync). */
export const CONFIG_KEYS = [
  'lab',
  'profile',
  'authorizedNetworks',
  'nodeMinCount',
  'nodeMaxCount',
  'releaseChannel',
  'databaseVersion',
  'allowDestroy',
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Defaults of the optional keys, the same as Pulumi.yaml's `default`s. */
export const CONFIG_DEFAULTS = {
  profile: 'dev',
  authorizedNetworks: [] as readonly string[],
  nodeMinCount: 1,
  nodeMaxCount: 3,
  releaseChannel: 'REGULAR',
  databaseVersion: 'POSTGRES_17',
  allowDestroy: false,
} as const;

export const DEFAULT_REGION = 'us-central1';
export const NODE_COUNT_LIMITS = { min: [0, 10], max: [1, 20] } as const;
/** GKE accepts at most 50 authorized networks on the public endpoint. */
const MAX_AUTHORIZED_NETWORKS = 50;

export interface GkeSettings {
  /** A zone (zonal cluster, dev) or the region (regional control plane and nodes in three zones, prod). */
  readonly location: string;
  readonly authorizedNetworks: readonly string[];
  /** Autoscaling bounds per zone. */
  readonly nodeMinCount: number;
  readonly nodeMaxCount: number;
  readonly releaseChannel: ReleaseChannel;
  readonly machineType: string;
  readonly spot: boolean;
  readonly diskSizeGb: number;
  readonly imageAdmission: ImageAdmission;
  /** Encrypt Kubernetes Secrets with the lab's own Cloud KMS key (prod); dev keeps Google's default encryption. */
  readonly secretsEncryptionKey: boolean;
}

export interface DatabaseSettings {
  readonly version: DatabaseVersion;
  readonly tier: string;
  readonly highAvailability: boolean;
  readonly retainedBackups: number;
  readonly transactionLogRetentionDays: number;
  /** Keep the automated backups, plus a final one, when the instance is deleted. */
  readonly keepBackupsOnDelete: boolean;
}

export interface RedisSettings {
  readonly tier: 'BASIC' | 'STANDARD_HA';
  readonly memorySizeGb: number;
  readonly rdbSnapshots: boolean;
}

export interface LabConfig {
  readonly lab: Lab;
  readonly profile: Profile;
  readonly project: string;
  readonly region: string;
  readonly zone: string;
  /** Stem of every fixed resource name (cluster, service accounts, secrets): `<lab>-<profile>`. */
  readonly namePrefix: string;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * prod: every deletion-protection switch on, unless `allowDestroy` is set for a deliberate teardown.
   * dev: all off, so `pulumi destroy` completes.
   */
  readonly deletionProtection: boolean;
  readonly gke: GkeSettings;
  readonly database: DatabaseSettings;
  readonly redis: RedisSettings;
}

/** What each profile means, apart from what the user configures. */
const PROFILE_SETTINGS = {
  dev: {
    deletionProtection: false,
    gke: { regional: false, machineType: 'e2-medium', spot: true, diskSizeGb: 30, imageAdmission: 'DRYRUN_AUDIT_LOG_ONLY', secretsEncryptionKey: false },
    database: { tier: 'db-f1-micro', highAvailability: false, retainedBackups: 3, transactionLogRetentionDays: 1, keepBackupsOnDelete: false },
    redis: { tier: 'BASIC', memorySizeGb: 1, rdbSnapshots: false },
  },
  prod: {
    deletionProtection: true,
    gke: { regional: true, machineType: 'e2-standard-4', spot: false, diskSizeGb: 100, imageAdmission: 'ENFORCED_BLOCK_AND_AUDIT_LOG', secretsEncryptionKey: true },
    database: { tier: 'db-custom-2-7680', highAvailability: true, retainedBackups: 30, transactionLogRetentionDays: 7, keepBackupsOnDelete: true },
    redis: { tier: 'STANDARD_HA', memorySizeGb: 5, rdbSnapshots: true },
  },
} as const;

/**
 * Validates the raw stack config (fully qualified keys such as `gcp:project` and
 * `iac-lab-kit:lab`, values as the CLI passes them) and returns the typed config.
 * Throws a ConfigError naming the key, the value, what is valid and the fix.
 */
export function readLabConfig(raw: Readonly<Record<string, string>>, stack: string): LabConfig {
  const reader = new ConfigReader(fixFor(stack));
  rejectUnknownKeys(raw, stack);
  const own = (key: ConfigKey): string | undefined => raw[`${PROJECT_NAME}:${key}`];

  const project = reader.matching(
    'gcp:project',
    nonEmpty(raw['gcp:project']),
    /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    'a GCP project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter',
    'my-lab-project',
  );
  const region = readRegion(reader, raw['gcp:region'] ?? DEFAULT_REGION);
  const zone = readZone(reader, raw['gcp:zone'], region);
  const lab = reader.oneOf('lab', own('lab'), LABS);
  const profile = reader.oneOf('profile', own('profile') ?? CONFIG_DEFAULTS.profile, PROFILES);
  const authorizedNetworks = readCidrList(reader, 'authorizedNetworks', own('authorizedNetworks'));
  const [minLow, minHigh] = NODE_COUNT_LIMITS.min;
  const nodeMinCount = reader.integer('nodeMinCount', own('nodeMinCount') ?? CONFIG_DEFAULTS.nodeMinCount, minLow, minHigh);
  const [maxLow, maxHigh] = NODE_COUNT_LIMITS.max;
  const nodeMaxCount = reader.integer('nodeMaxCount', own('nodeMaxCount') ?? CONFIG_DEFAULTS.nodeMaxCount, maxLow, maxHigh);
  if (nodeMaxCount < nodeMinCount) {
    reader.fail('nodeMaxCount', nodeMaxCount, `an integer from ${nodeMinCount} to ${maxHigh}: not below nodeMinCount (${nodeMinCount})`, String(nodeMinCount));
  }
  const releaseChannel = reader.oneOf('releaseChannel', own('releaseChannel') ?? CONFIG_DEFAULTS.releaseChannel, RELEASE_CHANNELS);
  const version = reader.oneOf('databaseVersion', own('databaseVersion') ?? CONFIG_DEFAULTS.databaseVersion, DATABASE_VERSIONS);
  const allowDestroy = reader.boolean('allowDestroy', own('allowDestroy') ?? CONFIG_DEFAULTS.allowDestroy);

  const settings = PROFILE_SETTINGS[profile];
  return {
    lab,
    profile,
    project,
    region,
    zone,
    namePrefix: `${lab}-${profile}`,
    labels: { kit: PROJECT_NAME, lab, profile, 'managed-by': 'pulumi' },
    deletionProtection: settings.deletionProtection && !allowDestroy,
    gke: {
      location: settings.gke.regional ? region : zone,
      authorizedNetworks,
      nodeMinCount,
      nodeMaxCount,
      releaseChannel,
      machineType: settings.gke.machineType,
      spot: settings.gke.spot,
      diskSizeGb: settings.gke.diskSizeGb,
      imageAdmission: settings.gke.imageAdmission,
      secretsEncryptionKey: settings.gke.secretsEncryptionKey,
    },
    database: { version, ...settings.database },
    redis: settings.redis,
  };
}

/** The fix for `key`: the exact `pulumi config set` command (list items need `--path`). */
function fixFor(stack: string) {
  return (key: string, example: string): string => {
    const path = key === 'authorizedNetworks' ? 'authorizedNetworks[0]' : key;
    const target = path.includes('[') ? `--path '${path}'` : path;
    return `pulumi config set ${target} ${example} --stack ${stack} (or set it in Pulumi.${stack}.yaml)`;
  };
}

/** The provider keys the labs read. Other gcp: keys (credentials, impersonation...) are the provider's own. */
const PROVIDER_KEYS = ['gcp:project', 'gcp:region', 'gcp:zone'];

/** A typo in a key would otherwise be ignored silently and the default used instead. */
function rejectUnknownKeys(raw: Readonly<Record<string, string>>, stack: string): void {
  const prefix = `${PROJECT_NAME}:`;
  for (const key of Object.keys(raw).sort()) {
    const name = key.slice(prefix.length);
    const rename = (meant: string) => `pulumi config rm ${key.startsWith(prefix) ? name : key} --stack ${stack}, then pulumi config set ${meant} <value> (or rename it in Pulumi.${stack}.yaml)`;
    if (key.startsWith(prefix) && !(CONFIG_KEYS as readonly string[]).includes(name)) {
      const meant = closestKey(name, CONFIG_KEYS);
      throw new ConfigError(
        name,
        raw[key],
        `${meant === undefined ? '' : `${meant}? `}one of the keys declared in Pulumi.yaml: ${CONFIG_KEYS.join(', ')}`,
        meant === undefined ? `pulumi config rm ${name} --stack ${stack} (or remove it from Pulumi.${stack}.yaml)` : rename(meant),
      );
    }
    // gcp:projet would leave the project unset: the provider then falls back to the gcloud default project.
    const meant = key.startsWith('gcp:') && !PROVIDER_KEYS.includes(key) ? closestKey(key, PROVIDER_KEYS) : undefined;
    if (meant !== undefined) throw new ConfigError(key, raw[key], `${meant}? the labs read ${PROVIDER_KEYS.join(', ')}`, rename(meant));
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function readRegion(reader: ConfigReader, value: string): string {
  const region = reader.matching('gcp:region', value, /^[a-z]+-[a-z]+[0-9]+$/, 'a GCP region such as us-central1 or europe-west1', DEFAULT_REGION);
  if (!GCP_REGIONS.includes(region)) {
    const meant = closestKey(region, GCP_REGIONS);
    reader.fail(
      'gcp:region',
      region,
      `${meant === undefined ? '' : `${meant}? `}one of the ${GCP_REGIONS.length} Google Cloud regions listed in gcp/regions.ts (as of ${ZONES_AS_OF})`,
      meant ?? DEFAULT_REGION,
    );
  }
  return region;
}

function readZone(reader: ConfigReader, value: string | undefined, region: string): string {
  // Zone "b" exists in every region; "a" does not (europe-west1, us-east1).
  const zone = reader.matching('gcp:zone', value ?? `${region}-b`, /^[a-z]+-[a-z]+[0-9]+-[a-z]$/, `a zone of ${region} such as ${region}-b`, `${region}-b`);
  if (!zone.startsWith(`${region}-`)) {
    reader.fail('gcp:zone', zone, `a zone of the region gcp:region=${region}, such as ${region}-b`, `${region}-b`);
  }
  if (!zonesOf(region).includes(zone)) {
    reader.fail('gcp:zone', zone, `one of the zones of ${region}: ${zonesOf(region).join(', ')}`, `${region}-b`);
  }
  return zone;
}

/** A JSON list of IPv4 CIDR blocks, each a network address and never /0. */
function readCidrList(reader: ConfigReader, key: string, value: string | undefined): string[] {
  if (value === undefined) return [...CONFIG_DEFAULTS.authorizedNetworks];
  const list = parseJson(value);
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
    return reader.fail(key, value, 'a list of IPv4 CIDR blocks, such as ["203.0.113.0/24"]', '203.0.113.0/24');
  }
  if (list.length > MAX_AUTHORIZED_NETWORKS) {
    return reader.fail(key, value, `at most ${MAX_AUTHORIZED_NETWORKS} CIDR blocks (the GKE limit)`, '203.0.113.0/24');
  }
  const cidrs = list.map((cidr: string, index: number) => readCidr(reader, `${key}[${index}]`, cidr));
  if (coversWholeInternet(cidrs)) {
    return reader.fail(key, value, 'blocks that leave most of the internet out: together these admit every address, as 0.0.0.0/0 would (CIS GKE 5.6.3); use your own address, e.g. <your-ip>/32', '203.0.113.0/24');
  }
  return cidrs;
}

function readCidr(reader: ConfigReader, key: string, cidr: string): string {
  const block = parseIpv4Cidr(cidr);
  if (block === undefined) return reader.fail(key, cidr, 'an IPv4 CIDR block such as 203.0.113.0/24', '203.0.113.0/24');
  if (block.prefix === 0) {
    return reader.fail(
      key,
      cidr,
      'a CIDR block narrower than /0: /0 opens the control plane to the whole internet (CIS GKE 5.6.3); use your own address, e.g. <your-ip>/32',
      '203.0.113.0/24',
    );
  }
  if (networkOf(block) !== block.address) {
    const fixed = formatNetwork(block);
    return reader.fail(key, cidr, `a network address with no host bits set (${fixed})`, fixed);
  }
  return cidr;
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
