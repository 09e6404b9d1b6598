/**
 * The CDK context readers every AWS lab shares: region, alarm e-mail, the HTTPS name,
 * Fargate sizes, and the refusal of unknown keys. Each lab's config module composes them with
 * its own keys, so the same mistake gets the same one-line message in every lab.
 */
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { ConfigError, ConfigReader, closestKey } from '../common/config';
import type { Profile } from '../common/profiles';
import { EXAMPLE_DOMAIN } from './example-domain';

/** Reads one context value; `undefined` when the key is not set. */
export type ContextReader = (key: string) => unknown;

/** The context key aws/app.ts reads to choose the lab; every lab's config lets it through. */
export const LAB_KEY = 'lab';

export const DEFAULT_REGION = 'us-east-1';

export const reader = new ConfigReader(
  (key, example) => `npx cdk synth -c ${key}=${example}   (or set "${key}" under "context" in cdk.json)`,
);

/** A Docker tag: what the ImageTag stack parameter accepts (besides empty). */
export const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const PATTERNS = {
  // RFC 5321/5322 as mail systems practise it: a dot-atom local part of at most 64 characters, a host
  // name of letter-digit-hyphen labels with an alphabetic top-level domain, at most 254 in all.
  alarmEmail: /^(?=.{6,254}$)(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/,
  // A DNS name of letter-digit-hyphen labels with an alphabetic top-level label, lower case as Route 53 stores it.
  domainName: /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  hostedZoneName: /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  // Route 53 hosted zone ids: Z and upper-case letters and digits, as `aws route53 list-hosted-zones` shows them without /hostedzone/.
  hostedZoneId: /^Z[A-Z0-9]{1,31}$/,
  certificateArn: /^arn:aws(-cn|-us-gov)?:acm:([a-z]{2}(-gov)?-[a-z]+-\d):\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
};

/** A value of `key` that must match its pattern; `format` says what is valid in words. */
function match(key: keyof typeof PATTERNS, value: unknown, format: string, example: string): string {
  return reader.matching(key, value, PATTERNS[key], format, example);
}

/** `read(value)` when `key` is set, else undefined. */
export function optional<T>(context: ContextReader, key: string, read: (value: unknown) => T): T | undefined {
  const value = context(key);
  return value === undefined ? undefined : read(value);
}

/** The regions aws-cdk-lib's region-info knows, so a typo never reaches CloudFormation. */
export function readRegion(value: unknown): string {
  const regions = RegionInfo.regions.map((r) => r.name).filter((name) => /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(name)).sort();
  if (typeof value === 'string' && regions.includes(value)) return value;
  return reader.fail('region', value, `one of the ${regions.length} AWS region codes aws-cdk-lib's region-info knows, such as us-east-1 or eu-west-1`, DEFAULT_REGION);
}

/**
 * The image tag is the service stack's ImageTag parameter, not context: a deploy that does not pass
 * it keeps the running image, where a synth-time value would be lost by the next deploy without it.
 */
export function rejectImageTagContext(context: ContextReader, serviceStack: string): void {
  const value = context('imageTag');
  if (value === undefined) return;
  throw new ConfigError(
    'imageTag',
    value,
    `no imageTag context: the tag is the ${serviceStack} stack's ImageTag parameter, which a later deploy without it keeps`,
    `npx cdk deploy ${serviceStack} --parameters ${serviceStack}:ImageTag=${String(value)}   (and remove "imageTag" from cdk.json's "context")`,
  );
}

export function readAlarmEmail(value: unknown): string {
  return match('alarmEmail', value, 'an email address such as ops@example.com (no spaces, quotes or comments)', 'you@example.com');
}

/** How the load balancer and ECS reach a container: its port, health path and user. */
export interface ContainerContract {
  readonly port: number;
  readonly healthPath: string;
  /** uid or uid:gid, never root. */
  readonly user: string;
  /** ECS's own health check runs wget inside the container: only for images that have it. */
  readonly wgetHealthCheck: boolean;
}

/** The service's own name in a Route 53 hosted zone of the account, served over HTTPS. */
export interface ServiceDomain {
  /** e.g. api.example.com */
  readonly name: string;
  readonly hostedZoneId: string;
  /** e.g. example.com: the name is in this zone. */
  readonly hostedZoneName: string;
  /** An existing ACM certificate for the name; absent means the stack requests one, validated in the zone. */
  readonly certificateArn?: string;
}

/** What every AWS lab's profile settles, besides its own parts: where, what runs, who hears, what stays. */
export interface AwsLabConfig {
  readonly profile: Profile;
  readonly region: string;
  /** The lab's ECR repository, by its fixed name: the stacks share no exports and deploy independently. */
  readonly repositoryName: string;
  /** What the service's image (and the placeholder before it) must do: port, health path, user. */
  readonly container: ContainerContract;
  readonly alarmEmail?: string;
  /** HTTPS on this name; absent means plain HTTP on the load balancer's own name (dev, or prod with allowHttp). */
  readonly domain?: ServiceDomain;
  /** prod keeps data, images and logs when its stacks are deleted; dev deletes everything. */
  readonly retainData: boolean;
  readonly logRetention: RetentionDays;
  /** 0 puts tasks in public subnets with public IPs (no NAT gateway to pay for). */
  readonly natGateways: number;
  /** Tagged images the registry keeps; older ones expire. */
  readonly keepTaggedImages: number;
  /** Refuse deletion of the stacks until turned off by hand. */
  readonly terminationProtection: boolean;
  /** Stack tags, propagated by CloudFormation to every resource. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The context keys of the HTTPS name, which every web service lab reads the same way. */
export const DOMAIN_CONTEXT_KEYS = ['domainName', 'hostedZoneId', 'hostedZoneName', 'certificateArn', 'allowHttp'] as const;
const DOMAIN_KEYS = ['domainName', 'hostedZoneId', 'hostedZoneName'] as const;

/**
 * The HTTPS name: all three domain keys or none. prod needs one, or an explicit allowHttp=true
 * (a production service on plain HTTP sends its users' data in clear text).
 */
export function readDomain(profile: Profile, context: ContextReader, region: string): ServiceDomain | undefined {
  const set = DOMAIN_KEYS.filter((key) => context(key) !== undefined);
  const allowHttp = context('allowHttp') === undefined ? false : reader.boolean('allowHttp', context('allowHttp'));
  const certificateArn = context('certificateArn') === undefined ? undefined : readCertificateArn(context('certificateArn'), region);
  const command = DOMAIN_KEYS.map((key) => `-c ${key}=${EXAMPLE_DOMAIN[key]}`).join(' ');
  if (set.length === 0) {
    if (certificateArn !== undefined) {
      reader.fail('domainName', undefined, 'the name the certificate is for, whenever certificateArn is set (the service is reached by that name, not the load balancer\'s)', EXAMPLE_DOMAIN.domainName);
    }
    if (profile === 'prod' && !allowHttp) {
      throw new ConfigError(
        'domainName',
        undefined,
        'a name in a Route 53 hosted zone of the account, with hostedZoneId and hostedZoneName: prod serves HTTPS on its own name',
        `npx cdk deploy --all -c env=prod ${command}   (or -c allowHttp=true to serve plain HTTP, not for production)`,
      );
    }
    return undefined;
  }
  const missing = DOMAIN_KEYS.find((key) => context(key) === undefined);
  if (missing !== undefined) {
    reader.fail(missing, undefined, `set together with ${set.join(' and ')} (the name, and the hosted zone it is created in)`, EXAMPLE_DOMAIN[missing]);
  }
  const name = match('domainName', context('domainName'), 'a DNS name in lower case, such as api.example.com', EXAMPLE_DOMAIN.domainName);
  const hostedZoneName = match('hostedZoneName', context('hostedZoneName'), 'the hosted zone\'s DNS name in lower case, without the final dot, such as example.com', EXAMPLE_DOMAIN.hostedZoneName);
  const hostedZoneId = match('hostedZoneId', context('hostedZoneId'), 'a Route 53 hosted zone id (aws route53 list-hosted-zones, without /hostedzone/)', EXAMPLE_DOMAIN.hostedZoneId);
  if (name !== hostedZoneName && !name.endsWith(`.${hostedZoneName}`)) {
    reader.fail('domainName', name, `a name in the hosted zone ${hostedZoneName} (the alias record is created there), such as api.${hostedZoneName}`, `api.${hostedZoneName}`);
  }
  return { name, hostedZoneId, hostedZoneName, certificateArn };
}

function readCertificateArn(value: unknown, region: string): string {
  const example = `arn:aws:acm:${region}:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;
  const arn = match('certificateArn', value, 'an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<uuid>', example);
  const certRegion = PATTERNS.certificateArn.exec(arn)?.[2];
  if (certRegion !== region) {
    reader.fail(
      'certificateArn',
      value,
      `a certificate in the stacks' region ${region} (an ALB can only use certificates from its own region)`,
      example,
    );
  }
  return arn;
}

/** Valid Fargate memory (MiB) for each CPU value (Linux), from the Fargate task size table. */
export const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: steps(1024, 4096, 1024),
  1024: steps(2048, 8192, 1024),
  2048: steps(4096, 16384, 1024),
  4096: steps(8192, 30720, 1024),
  8192: steps(16384, 61440, 4096),
  16384: steps(32768, 122880, 8192),
};
const FARGATE_CPU = Object.keys(FARGATE_MEMORY).map(Number);

const MAX_DESIRED = 10;
export const MAX_TASKS = 20;

/** A Fargate service's size: tasks, the auto-scaling ceiling, and each task's CPU and memory. */
export interface FargateSize {
  readonly desiredCount: number;
  /** Auto scaling is on when this is above desiredCount. */
  readonly maxCount: number;
  /** Fargate task CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  /** Fargate task memory in MiB. */
  readonly memory: number;
}

/**
 * desiredCount, maxCount, cpu and memory, over the profile's defaults. Fargate rejects other
 * cpu/memory pairs only at deploy time: they are caught here. When only cpu is overridden,
 * memory follows: the profile's value if the pair is valid, else the least.
 */
export function readFargateSize(context: ContextReader, defaults: { readonly desiredCount: number; readonly maxCount: (desired: number) => number; readonly cpu: number; readonly memory: number }): FargateSize {
  const desiredCount = optional(context, 'desiredCount', (v) => reader.integer('desiredCount', v, 1, MAX_DESIRED)) ?? defaults.desiredCount;
  const maxCount = optional(context, 'maxCount', (v) => readMaxCount(v, desiredCount)) ?? defaults.maxCount(desiredCount);
  const cpu = optional(context, 'cpu', readCpu) ?? defaults.cpu;
  const memory = readMemory(context('memory'), cpu, defaults.memory);
  return { desiredCount, maxCount, cpu, memory };
}

function readMaxCount(value: unknown, desiredCount: number): number {
  const max = toNumber(value);
  if (typeof max === 'number' && Number.isInteger(max) && max >= desiredCount && max <= MAX_TASKS) return max;
  return reader.fail('maxCount', value, `an integer from desiredCount (${desiredCount}) to ${MAX_TASKS}`, String(desiredCount));
}

function readCpu(value: unknown): number {
  const cpu = toNumber(value);
  if (FARGATE_CPU.includes(cpu as number)) return cpu as number;
  return reader.fail('cpu', value, `a Fargate CPU value: one of ${FARGATE_CPU.join(', ')} (1024 = 1 vCPU)`, '256');
}

function readMemory(value: unknown, cpu: number, profileDefault: number): number {
  const valid = FARGATE_MEMORY[cpu];
  if (value === undefined) return valid.includes(profileDefault) ? profileDefault : valid[0];
  const memory = toNumber(value);
  if (valid.includes(memory as number)) return memory as number;
  return reader.fail('memory', value, `for cpu ${cpu}, MiB ${describeChoices(valid)} (the Fargate task size table)`, String(valid[0]));
}

/** CLI flags arrive as strings, cdk.json values as numbers. */
export function toNumber(value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
}

/**
 * Refuses any context key the lab does not read. Feature flags and the CLI's own settings all
 * contain a ':'; the labs' keys never do.
 */
export function rejectUnknownKeys(labName: string, known: readonly string[], context: ContextReader, keys: readonly string[]): void {
  for (const key of keys) {
    if (key.includes(':') || key === LAB_KEY || known.includes(key)) continue;
    const sameButCase = known.find((k) => k.toLowerCase() === key.toLowerCase());
    const suggestion = sameButCase ?? closestKey(key, known);
    const value = context(key);
    throw new ConfigError(
      key,
      value,
      `one of the ${labName} context keys: ${known.join(', ')}`,
      suggestion === undefined
        ? `remove -c ${key}=... (or "${key}" from cdk.json's "context"); see the README for what each key does`
        : `${sameButCase === undefined ? `did you mean ${suggestion}?` : 'context keys are case-sensitive'}: npx cdk synth -c ${suggestion}=${String(value)}`,
    );
  }
}

function describeChoices(values: readonly number[]): string {
  if (values.length <= 4) return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
  return `from ${values[0]} to ${values[values.length - 1]} in steps of ${values[1] - values[0]}`;
}

function steps(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}
