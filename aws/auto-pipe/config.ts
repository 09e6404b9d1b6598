/**
 * Auto-Pipe's typed configuration: two profiles defined by the app, overridable with CDK
 * context (`-c key=value` or cdk.json's "context"). Everything is validated here, before
 * any construct exists, so a user mistake is one clear message and never a half-built app.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { PROFILES, type Profile } from '../../common/profiles';
import {
  type AwsLabConfig, type ContainerContract, type ContextReader, DEFAULT_REGION, DOMAIN_CONTEXT_KEYS, FARGATE_MEMORY, MAX_TASKS, optional as optionalValue, readAlarmEmail, readDomain, readFargateSize,
  readRegion, reader, rejectImageTagContext, rejectUnknownKeys, type ServiceDomain,
} from '../config';
import { EXAMPLE_DOMAIN } from '../example-domain';

export { EXAMPLE_DOMAIN, FARGATE_MEMORY, PROFILES, type ContainerContract, type ContextReader, type Profile, type ServiceDomain };

/** The Auto-Pipe service (labs/auto-pipe/service) answers its health check here. */
export const SERVICE_HEALTH_PATH = '/health';
/** The kit's service listens on this port as a non-root user. */
export const CONTAINER_PORT = 8080;
/** The kit's service image runs as this user (its Dockerfile's USER). */
export const SERVICE_USER = '1000';

/** The stack the pipeline deploys, which runs the image. */
export function serviceStackName(profile: Profile): string {
  return `AutoPipeService-${profile}`;
}

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

/** Everything one profile's stacks need, validated. */
export interface AutoPipeConfig extends AwsLabConfig {
  /** Absent until `githubRepo` is set: no repository is trusted by default. */
  readonly github?: GitHubDeployer;
  readonly desiredCount: number;
  /** Auto scaling is on when this is above desiredCount. */
  readonly maxCount: number;
  /** Fargate task CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  /** Fargate task memory in MiB. */
  readonly memory: number;
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

const DEFAULT_GITHUB_BRANCH = 'main';

/** Every context key the app reads; any other key without a ':' is a typo. */
export const CONTEXT_KEYS = [
  'env',
  'region',
  'alarmEmail',
  'githubRepo',
  'githubBranch',
  'githubOidcProviderArn',
  'githubOwnerId',
  'githubRepoId',
  ...DOMAIN_CONTEXT_KEYS,
  'containerPort',
  'healthPath',
  'containerUser',
  'containerHealthCheck',
  'desiredCount',
  'maxCount',
  'cpu',
  'memory',
] as const;

const PATTERNS = {
  // GitHub owners: letters, digits, single hyphens, up to 39; repository names: letters, digits, . _ -
  githubRepo: /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/,
  // A git branch name without wildcards, so the role's trust can never widen by accident.
  githubBranch: /^(?!refs\/|\/|.*\/$|.*\/\/|.*\.\.|.*\.lock$)[A-Za-z0-9._/-]{1,255}$/,
  githubOidcProviderArn: /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
  // An absolute URL path without query or fragment, as an ALB health check accepts it.
  healthPath: /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,1023}$/,
  // A numeric uid or uid:gid other than root's: ECS cannot check a user name against runAsNonRoot.
  containerUser: /^(?!0(:|$))\d{1,10}(:\d{1,10})?$/,
};

/**
 * Validates the whole context and returns the selected profile's config: dev unless `env` says
 * prod, so a `cdk deploy --all` without it never touches production. Throws a ConfigError on
 * the first mistake.
 */
export function readAutoPipeConfigs(context: ContextReader, keys: readonly string[]): AutoPipeConfig[] {
  const env = context('env');
  const profile = env === undefined ? 'dev' : reader.oneOf('env', env, PROFILES);
  rejectImageTagContext(context, serviceStackName(profile));
  rejectUnknownKeys('Auto-Pipe', CONTEXT_KEYS, context, keys);
  return [readProfile(profile, context)];
}

function readProfile(profile: Profile, context: ContextReader): AutoPipeConfig {
  const defaults = PROFILE_DEFAULTS[profile];
  const optional = <T>(key: string, read: (value: unknown) => T): T | undefined => optionalValue(context, key, read);

  const region = optional('region', readRegion) ?? DEFAULT_REGION;
  const alarmEmail = optional('alarmEmail', readAlarmEmail);
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

  // Your image's contract (a FastAPI app: containerPort=8000, healthPath=/health), which the
  // placeholder served before the first ImageTag honours too.
  const container: ContainerContract = {
    // Unprivileged ports only: the container runs as non-root with every capability dropped.
    port: optional('containerPort', (v) => reader.integer('containerPort', v, 1024, 65535)) ?? CONTAINER_PORT,
    healthPath: optional('healthPath', (v) => match('healthPath', v, 'an absolute URL path such as /health (no query string)', SERVICE_HEALTH_PATH)) ?? SERVICE_HEALTH_PATH,
    user: optional('containerUser', (v) => match('containerUser', v, 'a numeric uid or uid:gid other than 0 (root), such as 1000 or 1000:1000', SERVICE_USER)) ?? SERVICE_USER,
    wgetHealthCheck: optional('containerHealthCheck', (v) => reader.boolean('containerHealthCheck', v)) ?? true,
  };

  const { desiredCount, maxCount, cpu, memory } = readFargateSize(context, defaults);

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
    container,
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

function match(key: keyof typeof PATTERNS, value: unknown, format: string, example: string): string {
  return reader.matching(key, value, PATTERNS[key], format, example);
}
