/**
 * Auto-Pipe's typed configuration: two profiles defined by the app, overridable with CDK
 * context (`-c key=value` or cdk.json's "context"). Everything is validated here, before
 * any construct exists, so a user mistake is one clear message and never a half-built app.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { ConfigError, ConfigReader } from '../../common/config';
import { PROFILES, type Profile } from '../../common/profiles';
import { EXAMPLE_DOMAIN } from './example-domain';

export { EXAMPLE_DOMAIN, PROFILES, type Profile };

/**
 * Public image served until the pipeline pushes the first real one, so the very first
 * `cdk deploy` succeeds with an empty repository. Official NGINX build that runs as a
 * non-root user on port 8080; its default page at `/` is the health check.
 */
export const PLACEHOLDER_IMAGE = 'public.ecr.aws/nginx/nginx-unprivileged:1.28.0-alpine';
export const PLACEHOLDER_HEALTH_PATH = '/';
/** The Auto-Pipe service (labs/auto-pipe/service) answers its health check here. */
export const SERVICE_HEALTH_PATH = '/health';
/** Both images listen on this port as a non-root user. */
export const CONTAINER_PORT = 8080;
/** The kit's service image runs as this user (its Dockerfile's USER); the placeholder as NGINX's. */
export const SERVICE_USER = '1000';
const PLACEHOLDER_USER = '101';

/** How the load balancer and ECS reach a container: its port, health path and user. */
export interface ContainerContract {
  readonly port: number;
  readonly healthPath: string;
  /** uid or uid:gid, never root. */
  readonly user: string;
  /** ECS's own health check runs wget inside the container: only for images that have it. */
  readonly wgetHealthCheck: boolean;
}

/**
 * The image the service runs: the placeholder, or a tag pushed to the registry by the pipeline
 * (the kit's service, or a learner's own with its own contract).
 */
export type ServiceImage =
  | { readonly kind: 'placeholder'; readonly uri: string; readonly container: ContainerContract }
  | { readonly kind: 'registry'; readonly tag: string; readonly container: ContainerContract };

/** Who may deploy: GitHub Actions runs of one branch of one repository, via OIDC. */
export interface GitHubDeployer {
  /** owner/name */
  readonly repo: string;
  readonly branch: string;
  /** An existing IAM OIDC provider for GitHub (an account holds only one); created when absent. */
  readonly oidcProviderArn?: string;
  /** prod: the GitHub environment (with required reviewers) whose jobs alone may deploy. */
  readonly environment?: string;
  /** Numeric owner and repository ids, for the immutable OIDC subject of newer repositories. */
  readonly ids?: { readonly owner: number; readonly repo: number };
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

/** Everything one profile's stacks need, validated. */
export interface AutoPipeConfig {
  readonly profile: Profile;
  readonly region: string;
  readonly repositoryName: string;
  readonly image: ServiceImage;
  /** Absent until `githubRepo` is set: no repository is trusted by default. */
  readonly github?: GitHubDeployer;
  readonly alarmEmail?: string;
  /** HTTPS on this name; absent means plain HTTP on the load balancer's own name (dev, or prod with allowHttp). */
  readonly domain?: ServiceDomain;
  readonly desiredCount: number;
  /** Auto scaling is on when this is above desiredCount. */
  readonly maxCount: number;
  /** Fargate task CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  /** Fargate task memory in MiB. */
  readonly memory: number;
  /** prod keeps images and logs when its stacks are deleted; dev deletes everything. */
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

interface ProfileDefaults {
  readonly desiredCount: number;
  /** maxCount when not given, from the (possibly overridden) desiredCount. */
  readonly maxCount: (desiredCount: number) => number;
  readonly cpu: number;
  readonly memory: number;
  readonly retainData: boolean;
  readonly logRetention: RetentionDays;
  readonly natGateways: number;
  readonly keepTaggedImages: number;
  readonly terminationProtection: boolean;
  /** The GitHub environment whose jobs alone may deploy (its required reviewers are the approval gate). */
  readonly deployEnvironment?: string;
}

const PROFILE_DEFAULTS: Readonly<Record<Profile, ProfileDefaults>> = {
  // A learner's lab: one small task, no NAT gateway, nothing survives `cdk destroy`.
  dev: {
    desiredCount: 1,
    maxCount: (desired) => desired,
    cpu: 256,
    memory: 512,
    retainData: false,
    logRetention: RetentionDays.ONE_WEEK,
    natGateways: 0,
    keepTaggedImages: 10,
    terminationProtection: false,
  },
  // Highly available: a task and a NAT gateway per AZ, scaling out to 3x, data kept.
  prod: {
    desiredCount: 2,
    maxCount: (desired) => Math.min(desired * 3, MAX_TASKS),
    cpu: 512,
    memory: 1024,
    retainData: true,
    logRetention: RetentionDays.THREE_MONTHS,
    natGateways: 2,
    keepTaggedImages: 30,
    terminationProtection: true,
    deployEnvironment: 'production',
  },
};

const DEFAULT_REGION = 'us-east-1';
const DEFAULT_GITHUB_BRANCH = 'main';
const MAX_DESIRED = 10;
const MAX_TASKS = 20;

/** Every context key the app reads; any other key without a ':' is a typo. */
export const CONTEXT_KEYS = [
  'env',
  'region',
  'imageTag',
  'alarmEmail',
  'githubRepo',
  'githubBranch',
  'githubOidcProviderArn',
  'githubOwnerId',
  'githubRepoId',
  'domainName',
  'hostedZoneId',
  'hostedZoneName',
  'certificateArn',
  'allowHttp',
  'containerPort',
  'healthPath',
  'containerUser',
  'containerHealthCheck',
  'desiredCount',
  'maxCount',
  'cpu',
  'memory',
] as const;

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

const reader = new ConfigReader(
  (key, example) => `npx cdk synth -c ${key}=${example}   (or set "${key}" under "context" in cdk.json)`,
);

const PATTERNS = {

  imageTag: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
  // RFC 5321/5322 as mail systems practise it: a dot-atom local part of at most 64 characters, a host
  // name of letter-digit-hyphen labels with an alphabetic top-level domain, at most 254 in all.
  alarmEmail: /^(?=.{6,254}$)(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/,
  // GitHub owners: letters, digits, single hyphens, up to 39; repository names: letters, digits, . _ -
  githubRepo: /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/,
  // A git branch name without wildcards, so the role's trust can never widen by accident.
  githubBranch: /^(?!refs\/|\/|.*\/$|.*\/\/|.*\.\.|.*\.lock$)[A-Za-z0-9._/-]{1,255}$/,
  githubOidcProviderArn: /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
  // A DNS name of letter-digit-hyphen labels with an alphabetic top-level label, lower case as Route 53 stores it.
  domainName: /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  hostedZoneName: /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  // Route 53 hosted zone ids: Z and upper-case letters and digits, as `aws route53 list-hosted-zones` shows them without /hostedzone/.
  hostedZoneId: /^Z[A-Z0-9]{1,31}$/,
  // An absolute URL path without query or fragment, as an ALB health check accepts it.
  healthPath: /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,1023}$/,
  // A numeric uid or uid:gid other than root's: ECS cannot check a user name against runAsNonRoot.
  containerUser: /^(?!0(:|$))\d{1,10}(:\d{1,10})?$/,
  certificateArn: /^arn:aws(-cn|-us-gov)?:acm:([a-z]{2}(-gov)?-[a-z]+-\d):\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
};

/** Reads one context value; `undefined` when the key is not set. */
export type ContextReader = (key: string) => unknown;

/**
 * Validates the whole context and returns the selected profile's config: dev unless `env` says
 * prod, so a `cdk deploy --all` without it never touches production. Throws a ConfigError on
 * the first mistake.
 */
export function readAutoPipeConfigs(context: ContextReader, keys: readonly string[]): AutoPipeConfig[] {
  rejectUnknownKeys(context, keys);
  const env = context('env');
  const profile = env === undefined ? 'dev' : reader.oneOf('env', env, PROFILES);
  return [readProfile(profile, context)];
}

function readProfile(profile: Profile, context: ContextReader): AutoPipeConfig {
  const defaults = PROFILE_DEFAULTS[profile];
  const optional = <T>(key: string, read: (value: unknown) => T): T | undefined => {
    const value = context(key);
    return value === undefined ? undefined : read(value);
  };

  const region = optional('region', readRegion) ?? DEFAULT_REGION;
  const imageTag = optional('imageTag', (v) =>
    match('imageTag', v, 'a Docker tag: letters, digits, _ . - (up to 128, not starting with . or -)', 'v1.0.0'),
  );
  const alarmEmail = optional('alarmEmail', (v) => match('alarmEmail', v, 'an email address such as ops@example.com (no spaces, quotes or comments)', 'you@example.com'));
  const githubRepo = optional('githubRepo', (v) =>
    match('githubRepo', v, 'a GitHub repository as owner/name', 'octo-org/auto-pipe'),
  );
  const githubBranch =
    optional('githubBranch', (v) =>
      match('githubBranch', v, 'a branch name as git shows it, without refs/heads/ and without wildcards', DEFAULT_GITHUB_BRANCH),
    ) ?? DEFAULT_GITHUB_BRANCH;
  const oidcProviderArn = optional('githubOidcProviderArn', (v) =>
    match(
      'githubOidcProviderArn',
      v,
      'the ARN of the account\'s GitHub OIDC provider, arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com',
      'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    ),
  );
  const domain = readDomain(profile, context, region);
  // GitHub ids are positive integers (the REST API's `owner.id` and `id` of the repository).
  const ownerId = optional('githubOwnerId', (v) => reader.integer('githubOwnerId', v, 1, Number.MAX_SAFE_INTEGER));
  const repoId = optional('githubRepoId', (v) => reader.integer('githubRepoId', v, 1, Number.MAX_SAFE_INTEGER));
  if ((ownerId === undefined) !== (repoId === undefined)) {
    const [missing, present] = ownerId === undefined ? ['githubOwnerId', 'githubRepoId'] : ['githubRepoId', 'githubOwnerId'];
    reader.fail(missing, undefined, `a number whenever ${present} is set (the immutable subject needs both): gh api repos/<owner>/<name> --jq '.owner.id, .id'`, '123456');
  }

  // Your image's contract (a FastAPI app: containerPort=8000, healthPath=/health). The placeholder,
  // served until the first imageTag, keeps its own: NGINX on 8080, / , uid 101.
  const container: ContainerContract = {
    // Unprivileged ports only: the container runs as non-root with every capability dropped.
    port: optional('containerPort', (v) => reader.integer('containerPort', v, 1024, 65535)) ?? CONTAINER_PORT,
    healthPath: optional('healthPath', (v) => match('healthPath', v, 'an absolute URL path such as /health (no query string)', SERVICE_HEALTH_PATH)) ?? SERVICE_HEALTH_PATH,
    user: optional('containerUser', (v) => match('containerUser', v, 'a numeric uid or uid:gid other than 0 (root), such as 1000 or 1000:1000', SERVICE_USER)) ?? SERVICE_USER,
    wgetHealthCheck: optional('containerHealthCheck', (v) => reader.boolean('containerHealthCheck', v)) ?? true,
  };

  const desiredCount = optional('desiredCount', (v) => reader.integer('desiredCount', v, 1, MAX_DESIRED)) ?? defaults.desiredCount;
  const maxCount = optional('maxCount', (v) => readMaxCount(v, desiredCount)) ?? defaults.maxCount(desiredCount);
  const cpu = optional('cpu', readCpu) ?? defaults.cpu;
  const memory = readMemory(context('memory'), cpu, defaults.memory);

  if (oidcProviderArn !== undefined && githubRepo === undefined) {
    reader.fail(
      'githubRepo',
      undefined,
      'owner/name whenever githubOidcProviderArn is set (the provider is only used by the deploy role)',
      'octo-org/auto-pipe',
    );
  }

  return {
    profile,
    region,
    repositoryName: `auto-pipe-${profile}`,
    image:
      imageTag === undefined
        ? { kind: 'placeholder', uri: PLACEHOLDER_IMAGE, container: { port: CONTAINER_PORT, healthPath: PLACEHOLDER_HEALTH_PATH, user: PLACEHOLDER_USER, wgetHealthCheck: true } }
        : { kind: 'registry', tag: imageTag, container },
    github:
      githubRepo === undefined
        ? undefined
        : {
            repo: githubRepo,
            branch: githubBranch,
            oidcProviderArn,
            environment: defaults.deployEnvironment,
            ids: ownerId === undefined || repoId === undefined ? undefined : { owner: ownerId, repo: repoId },
          },
    alarmEmail,
    domain,
    desiredCount,
    maxCount,
    cpu,
    memory,
    retainData: defaults.retainData,
    logRetention: defaults.logRetention,
    natGateways: defaults.natGateways,
    keepTaggedImages: defaults.keepTaggedImages,
    terminationProtection: defaults.terminationProtection,
    tags: { project: 'auto-pipe', profile },
  };
}

/** The regions aws-cdk-lib's region-info knows, so a typo never reaches CloudFormation. */
function readRegion(value: unknown): string {
  const regions = RegionInfo.regions.map((r) => r.name).filter((name) => /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(name)).sort();
  if (typeof value === 'string' && regions.includes(value)) return value;
  return reader.fail('region', value, `one of the ${regions.length} AWS region codes aws-cdk-lib's region-info knows, such as us-east-1 or eu-west-1`, DEFAULT_REGION);
}

function match(key: string, value: unknown, format: string, example: string): string {
  return reader.matching(key, value, PATTERNS[key as keyof typeof PATTERNS], format, example);
}

const DOMAIN_KEYS = ['domainName', 'hostedZoneId', 'hostedZoneName'] as const;

/**
 * The HTTPS name: all three domain keys or none. prod needs one, or an explicit allowHttp=true
 * (a production service on plain HTTP sends its users' data in clear text).
 */
function readDomain(profile: Profile, context: ContextReader, region: string): ServiceDomain | undefined {
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

/**
 * Fargate rejects other cpu/memory pairs only at deploy time; catch them at synth. When only
 * cpu is overridden, memory follows: the profile's value if the pair is valid, else the least.
 */
function readMemory(value: unknown, cpu: number, profileDefault: number): number {
  const valid = FARGATE_MEMORY[cpu];
  if (value === undefined) return valid.includes(profileDefault) ? profileDefault : valid[0];
  const memory = toNumber(value);
  if (valid.includes(memory as number)) return memory as number;
  return reader.fail('memory', value, `for cpu ${cpu}, MiB ${describeChoices(valid)} (the Fargate task size table)`, String(valid[0]));
}

/** CLI flags arrive as strings, cdk.json values as numbers. */
function toNumber(value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
}

function rejectUnknownKeys(context: ContextReader, keys: readonly string[]): void {
  // Feature flags and the CLI's own settings all contain a ':'; Auto-Pipe's keys never do.
  for (const key of keys) {
    if (key.includes(':') || (CONTEXT_KEYS as readonly string[]).includes(key)) continue;
    const known = CONTEXT_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
    const value = context(key);
    throw new ConfigError(
      key,
      value,
      `one of the Auto-Pipe context keys: ${CONTEXT_KEYS.join(', ')}`,
      known === undefined
        ? `remove -c ${key}=... (or "${key}" from cdk.json's "context"); see the README for what each key does`
        : `context keys are case-sensitive: npx cdk synth -c ${known}=${String(value)}`,
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
