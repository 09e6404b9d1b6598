import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAutoPipeApp } from '../../aws/auto-pipe/app';
import { EXAMPLE_DOMAIN, FARGATE_MEMORY, readAutoPipeConfigs } from '../../aws/auto-pipe/config';
import { ConfigError } from '../../common/config';
import { REPO_ROOT } from '../../common/dist';
import { configMessage, testContext } from './synth';

const messageFor = (context: Record<string, unknown>) => configMessage(readAutoPipeConfigs, context);

const REGIONS = "one of the 39 AWS region codes aws-cdk-lib's region-info knows, such as us-east-1 or eu-west-1";
const EMAIL_EXPECTED = 'expected an email address such as ops@example.com (no spaces, quotes or comments).';
const fix = (key: string, example: string) =>
  `\n  Fix: npx cdk synth -c ${key}=${example}   (or set "${key}" under "context" in cdk.json)`;

describe('every invalid context value names the key, the value, what is valid, and the fix', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['unknown env', { env: 'staging' }, 'Invalid env: received "staging"; expected one of dev, prod.' + fix('env', 'dev')],
    [
      'cpu not in the Fargate table',
      { cpu: '300' },
      'Invalid cpu: received "300"; expected a Fargate CPU value: one of 256, 512, 1024, 2048, 4096, 8192, 16384 (1024 = 1 vCPU).' + fix('cpu', '256'),
    ],
    [
      'memory Fargate rejects for the cpu',
      { cpu: '256', memory: '4096' },
      'Invalid memory: received "4096"; expected for cpu 256, MiB 512, 1024 or 2048 (the Fargate task size table).' + fix('memory', '512'),
    ],
    [
      'memory between the Fargate steps',
      { cpu: 1024, memory: '3000' },
      'Invalid memory: received "3000"; expected for cpu 1024, MiB from 2048 to 8192 in steps of 1024 (the Fargate task size table).' + fix('memory', '2048'),
    ],
    ['desiredCount of 0', { desiredCount: '0' }, 'Invalid desiredCount: received "0"; expected an integer from 1 to 10.' + fix('desiredCount', '1')],
    ['desiredCount above 10', { desiredCount: 11 }, 'Invalid desiredCount: received 11; expected an integer from 1 to 10.' + fix('desiredCount', '1')],
    ['desiredCount not a number', { desiredCount: 'two' }, 'Invalid desiredCount: received "two"; expected an integer from 1 to 10.' + fix('desiredCount', '1')],
    [
      'maxCount below desiredCount',
      { desiredCount: '3', maxCount: '2' },
      'Invalid maxCount: received "2"; expected an integer from desiredCount (3) to 20.' + fix('maxCount', '3'),
    ],
    ['malformed alarmEmail', { alarmEmail: 'ops-at-example.com' }, 'Invalid alarmEmail: received "ops-at-example.com"; expected an email address such as ops@example.com (no spaces, quotes or comments).' + fix('alarmEmail', 'you@example.com')],
    ['empty alarmEmail', { alarmEmail: '' }, 'Invalid alarmEmail: received ""; expected an email address such as ops@example.com (no spaces, quotes or comments).' + fix('alarmEmail', 'you@example.com')],
    [
      'githubRepo without an owner',
      { githubRepo: 'auto-pipe' },
      'Invalid githubRepo: received "auto-pipe"; expected a GitHub repository as owner/name.' + fix('githubRepo', 'octo-org/auto-pipe'),
    ],
    [
      'githubRepo given as a URL',
      { githubRepo: 'https://github.com/octo-org/auto-pipe' },
      'Invalid githubRepo: received "https://github.com/octo-org/auto-pipe"; expected a GitHub repository as owner/name.' + fix('githubRepo', 'octo-org/auto-pipe'),
    ],
    [
      'githubRepo with a wildcard, which would trust every repository of the owner',
      { githubRepo: 'octo-org/*' },
      'Invalid githubRepo: received "octo-org/*"; expected a GitHub repository as owner/name.' + fix('githubRepo', 'octo-org/auto-pipe'),
    ],
    [
      'githubBranch with a wildcard',
      { githubRepo: 'octo-org/auto-pipe', githubBranch: 'feature/*' },
      'Invalid githubBranch: received "feature/*"; expected a branch name as git shows it, without refs/heads/ and without wildcards.' + fix('githubBranch', 'main'),
    ],
    [
      'imageTag as context, as the kit once took it: the tag is the service stack\'s parameter, which a deploy without it keeps',
      { env: 'prod', imageTag: '3f2c1a9e' },
      'Invalid imageTag: received "3f2c1a9e"; expected no imageTag context: the tag is the AutoPipeService-prod stack\'s ImageTag parameter, which a later deploy without it keeps.' +
        '\n  Fix: npx cdk deploy AutoPipeService-prod --parameters AutoPipeService-prod:ImageTag=3f2c1a9e   (and remove "imageTag" from cdk.json\'s "context")',
    ],
    [
      'prod without a domain: it serves HTTPS on its own name, or says allowHttp',
      { env: 'prod' },
      'Invalid domainName: received nothing (the key is not set); expected a name in a Route 53 hosted zone of the account, with hostedZoneId and hostedZoneName: prod serves HTTPS on its own name.' +
        '\n  Fix: npx cdk deploy --all -c env=prod -c domainName=api.example.com -c hostedZoneId=Z0123456789ABCDEFGHIJ -c hostedZoneName=example.com   (or -c allowHttp=true to serve plain HTTP, not for production)',
    ],
    [
      'a domain without its hosted zone',
      { domainName: 'api.example.com' },
      'Invalid hostedZoneId: received nothing (the key is not set); expected set together with domainName (the name, and the hosted zone it is created in).' + fix('hostedZoneId', 'Z0123456789ABCDEFGHIJ'),
    ],
    [
      'a domain outside its hosted zone',
      { domainName: 'api.example.org', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' },
      'Invalid domainName: received "api.example.org"; expected a name in the hosted zone example.com (the alias record is created there), such as api.example.com.' + fix('domainName', 'api.example.com'),
    ],
    [
      'a domain in upper case or with the final dot',
      { domainName: 'API.example.com.', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' },
      'Invalid domainName: received "API.example.com."; expected a DNS name in lower case, such as api.example.com.' + fix('domainName', 'api.example.com'),
    ],
    [
      'a hosted zone id with its /hostedzone/ prefix',
      { domainName: 'api.example.com', hostedZoneId: '/hostedzone/Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' },
      'Invalid hostedZoneId: received "/hostedzone/Z0123456789ABCDEFGHIJ"; expected a Route 53 hosted zone id (aws route53 list-hosted-zones, without /hostedzone/).' + fix('hostedZoneId', 'Z0123456789ABCDEFGHIJ'),
    ],
    [
      'a certificate without a domain: the service would be reached by a name the certificate does not hold',
      { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d' },
      "Invalid domainName: received nothing (the key is not set); expected the name the certificate is for, whenever certificateArn is set (the service is reached by that name, not the load balancer's)." + fix('domainName', 'api.example.com'),
    ],
    ['a privileged containerPort, which a non-root container cannot bind', { containerPort: '80' }, 'Invalid containerPort: received "80"; expected an integer from 1024 to 65535.' + fix('containerPort', '1024')],
    ['a relative healthPath', { healthPath: 'health' }, 'Invalid healthPath: received "health"; expected an absolute URL path such as /health (no query string).' + fix('healthPath', '/health')],
    ['a healthPath with a query string', { healthPath: '/health?full=1' }, 'Invalid healthPath: received "/health?full=1"; expected an absolute URL path such as /health (no query string).' + fix('healthPath', '/health')],
    ['root as containerUser', { containerUser: '0' }, 'Invalid containerUser: received "0"; expected a numeric uid or uid:gid other than 0 (root), such as 1000 or 1000:1000.' + fix('containerUser', '1000')],
    ['a user name as containerUser', { containerUser: 'app' }, 'Invalid containerUser: received "app"; expected a numeric uid or uid:gid other than 0 (root), such as 1000 or 1000:1000.' + fix('containerUser', '1000')],
    ['containerHealthCheck not a boolean', { containerHealthCheck: 'off' }, 'Invalid containerHealthCheck: received "off"; expected true or false.' + fix('containerHealthCheck', 'true')],
    ['allowHttp not a boolean', { env: 'prod', allowHttp: 'yes' }, 'Invalid allowHttp: received "yes"; expected true or false.' + fix('allowHttp', 'true')],
    [
      'malformed certificateArn',
      { certificateArn: 'arn:aws:acm:us-east-1:123:certificate/x' },
      'Invalid certificateArn: received "arn:aws:acm:us-east-1:123:certificate/x"; expected an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<uuid>.' +
        fix('certificateArn', 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d'),
    ],
    [
      'certificateArn from another region',
      { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d' },
      'Invalid certificateArn: received "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"; ' +
        "expected a certificate in the stacks' region us-east-1 (an ALB can only use certificates from its own region)." +
        fix('certificateArn', 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d'),
    ],
    [
      'githubOidcProviderArn of another provider',
      { githubRepo: 'octo-org/auto-pipe', githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/gitlab.com' },
      'Invalid githubOidcProviderArn: received "arn:aws:iam::123456789012:oidc-provider/gitlab.com"; ' +
        "expected the ARN of the account's GitHub OIDC provider, arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com." +
        fix('githubOidcProviderArn', 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'),
    ],
    [
      'githubOidcProviderArn without githubRepo',
      { githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' },
      'Invalid githubRepo: received nothing (the key is not set); expected owner/name whenever githubOidcProviderArn is set (the provider is only used by the deploy role).' +
        fix('githubRepo', 'octo-org/auto-pipe'),
    ],
    ['malformed region', { region: 'us-east' }, `Invalid region: received "us-east"; expected ${REGIONS}.` + fix('region', 'us-east-1')],
    ['a region that looks right but does not exist', { region: 'us-east-7' }, `Invalid region: received "us-east-7"; expected ${REGIONS}.` + fix('region', 'us-east-1')],
    [
      'alarmEmail with a space and quotes, which SNS would reject',
      { alarmEmail: '"ops team"@example.com' },
      `Invalid alarmEmail: received ""ops team"@example.com"; ${EMAIL_EXPECTED}` + fix('alarmEmail', 'you@example.com'),
    ],
    ['alarmEmail with a numeric top-level domain', { alarmEmail: 'ops@example.123' }, `Invalid alarmEmail: received "ops@example.123"; ${EMAIL_EXPECTED}` + fix('alarmEmail', 'you@example.com')],
    ['alarmEmail with two dots in a row', { alarmEmail: 'ops..team@example.com' }, `Invalid alarmEmail: received "ops..team@example.com"; ${EMAIL_EXPECTED}` + fix('alarmEmail', 'you@example.com')],
    [
      'githubBranch given as a ref, which would make the trust subject ref:refs/heads/refs/heads/main',
      { githubRepo: 'octo-org/auto-pipe', githubBranch: 'refs/heads/main' },
      'Invalid githubBranch: received "refs/heads/main"; expected a branch name as git shows it, without refs/heads/ and without wildcards.' + fix('githubBranch', 'main'),
    ],
    ['githubOwnerId that is not a number', { githubRepo: 'octo-org/auto-pipe', githubOwnerId: 'octo-org', githubRepoId: '42' }, 'Invalid githubOwnerId: received "octo-org"; expected an integer from 1 to 9007199254740991.' + fix('githubOwnerId', '1')],
    [
      'githubRepoId without githubOwnerId',
      { githubRepo: 'octo-org/auto-pipe', githubRepoId: '42' },
      "Invalid githubOwnerId: received nothing (the key is not set); expected a number whenever githubRepoId is set (the immutable subject needs both): gh api repos/<owner>/<name> --jq '.owner.id, .id'." + fix('githubOwnerId', '123456'),
    ],
    [
      'a key with the wrong case, which CDK would silently ignore',
      { desiredcount: '2' },
      'Invalid desiredcount: received "2"; expected one of the Auto-Pipe context keys: env, region, alarmEmail, githubRepo, githubBranch, githubOidcProviderArn, githubOwnerId, githubRepoId, domainName, hostedZoneId, hostedZoneName, certificateArn, allowHttp, containerPort, healthPath, containerUser, containerHealthCheck, desiredCount, maxCount, cpu, memory.' +
        '\n  Fix: context keys are case-sensitive: npx cdk synth -c desiredCount=2',
    ],
    [
      'an unknown key',
      { replicas: '2' },
      'Invalid replicas: received "2"; expected one of the Auto-Pipe context keys: env, region, alarmEmail, githubRepo, githubBranch, githubOidcProviderArn, githubOwnerId, githubRepoId, domainName, hostedZoneId, hostedZoneName, certificateArn, allowHttp, containerPort, healthPath, containerUser, containerHealthCheck, desiredCount, maxCount, cpu, memory.' +
        '\n  Fix: remove -c replicas=... (or "replicas" from cdk.json\'s "context"); see the README for what each key does',
    ],
  ])('%s', (_case, context, message) => {
    expect(messageFor(context)).toBe(message);
  });
});

describe('valid context', () => {
  test('feature flags and CLI settings (keys with a colon) are not mistaken for typos', () => {
    expect(messageFor({ '@aws-cdk/core:explicitStackTags': true, 'aws:cdk:version-reporting': true, env: 'dev' })).toBe('');
  });

  test('every cpu/memory pair in the Fargate table is accepted, as strings or numbers', () => {
    for (const [cpu, memories] of Object.entries(FARGATE_MEMORY)) {
      for (const memory of memories) {
        expect(messageFor({ cpu, memory: String(memory) })).toBe('');
        expect(messageFor({ cpu: Number(cpu), memory })).toBe('');
      }
    }
  });

  test('overriding only cpu keeps the profile memory when Fargate allows it, else takes the least it allows', () => {
    const memoryFor = (context: Record<string, unknown>) =>
      readAutoPipeConfigs((key) => context[key], Object.keys(context)).map((c) => c.memory);
    expect(memoryFor({ cpu: '512' })).toEqual([1024]);
    expect(memoryFor({ cpu: '512', env: 'prod', allowHttp: 'true' })).toEqual([1024]);
    expect(memoryFor({ cpu: '2048' })).toEqual([4096]);
  });

  test('no env selects dev, so a deploy without it never touches prod; env=prod selects prod', () => {
    expect(readAutoPipeConfigs(() => undefined, []).map((c) => c.profile)).toEqual(['dev']);
    const prod = { env: 'prod', ...EXAMPLE_DOMAIN } as Record<string, string>;
    expect(readAutoPipeConfigs((k) => prod[k], Object.keys(prod)).map((c) => c.profile)).toEqual(['prod']);
  });

  test('prod with allowHttp=true serves plain HTTP; a domain is then optional', () => {
    const context: Record<string, string> = { env: 'prod', allowHttp: 'true' };
    expect(readAutoPipeConfigs((k) => context[k], Object.keys(context))[0].domain).toBeUndefined();
  });
});

test('createAutoPipeApp validates before building: a bad value throws a ConfigError, not a CDK error', () => {
  expect(() => createAutoPipeApp({ context: testContext({ env: 'dev', cpu: '256', memory: '4096' }) })).toThrow(ConfigError);
});

test('`cdk synth -c desiredCount=0` prints one clear message, no stack trace, and exits 2', () => {
  // What the CDK CLI runs (cdk.json "app"), with the context it would pass.
  const outdir = mkdtempSync(join(tmpdir(), 'auto-pipe-entry-'));
  try {
    const run = spawnSync(process.execPath, ['--require', './common/register.js', 'aws/app.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ env: 'dev', desiredCount: '0' }) },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(`Invalid desiredCount: received "0"; expected an integer from 1 to 10.${fix('desiredCount', '1')}`);
    expect(run.stdout).toBe('');
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
