/**
 * The e-commerce lab's configuration: every bad value is one message naming the key, the value,
 * what is valid and the fix, before any construct exists; `cdk synth` shows it without a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { addAwsLabStacks } from '../../../aws/labs';
import { createCdkApp } from '../../../aws/constructs/cdk-app';
import { POSTGRES_VERSIONS, readEcommerceConfig } from '../../../aws/ecommerce/config';
import { ConfigError } from '../../../common/config';
import { REPO_ROOT } from '../../../common/dist';
import { configMessage } from '../synth';

const messageFor = (context: Record<string, unknown>) => configMessage(readEcommerceConfig, context);
const fix = (key: string, example: string) => `\n  Fix: npx cdk synth -c ${key}=${example}   (or set "${key}" under "context" in cdk.json)`;

test.each<[string, Record<string, unknown>, string]>([
  [
    'imageTag as context: the tag is the backend stack\'s ImageTag parameter',
    { imageTag: 'v1.0.0' },
    'Invalid imageTag: received "v1.0.0"; expected no imageTag context: the tag is the EcommerceBackend-dev stack\'s ImageTag parameter, which a later deploy without it keeps.' +
      '\n  Fix: npx cdk deploy EcommerceBackend-dev --parameters EcommerceBackend-dev:ImageTag=v1.0.0   (and remove "imageTag" from cdk.json\'s "context")',
  ],
  [
    'a PostgreSQL major out of standard support',
    { postgresVersion: '14' },
    `Invalid postgresVersion: received "14"; expected a PostgreSQL major version RDS supports under standard support: 15, 16, 17, 18 (the minor version is RDS's current default, kept up to date by automatic minor upgrades).${fix('postgresVersion', '17')}`,
  ],
  [
    'a full version where the major is asked for',
    { postgresVersion: '17.2' },
    `Invalid postgresVersion: received "17.2"; expected a PostgreSQL major version RDS supports under standard support: 15, 16, 17, 18 (the minor version is RDS's current default, kept up to date by automatic minor upgrades).${fix('postgresVersion', '17')}`,
  ],
  [
    'an instance class without its db. prefix',
    { dbInstanceClass: 't4g.micro' },
    expect.stringMatching(/^Invalid dbInstanceClass: received "t4g.micro"; expected one of db\.t4g\.micro, .*db\.r7g\.4xlarge \(RDS classes start with db\.: db\.t4g\.micro\)\.\n {2}Fix: npx cdk synth -c dbInstanceClass=db\.t4g\.micro/) as unknown as string,
  ],
  [
    'an instance class RDS does not offer',
    { dbInstanceClass: 'db.t4g.nano' },
    expect.stringMatching(/^Invalid dbInstanceClass: received "db\.t4g\.nano"; expected one of db\.t4g\.micro, db\.t4g\.small/) as unknown as string,
  ],
  [
    'no backups in dev',
    { backupRetentionDays: '0' },
    `Invalid backupRetentionDays: received "0"; expected an integer from 1 to 35, the days of automated backups RDS keeps (0 would turn automated backups off).${fix('backupRetentionDays', '1')}`,
  ],
  [
    'less than a week of backups in prod',
    { env: 'prod', allowHttp: 'true', backupRetentionDays: 3 },
    `Invalid backupRetentionDays: received 3; expected an integer from 7 to 35, the days of automated backups RDS keeps (prod keeps at least a week of point-in-time recovery).${fix('backupRetentionDays', '14')}`,
  ],
  [
    'more backups than RDS keeps',
    { backupRetentionDays: '36' },
    `Invalid backupRetentionDays: received "36"; expected an integer from 1 to 35, the days of automated backups RDS keeps (0 would turn automated backups off).${fix('backupRetentionDays', '1')}`,
  ],
  [
    'a cache node type from the Redis docs of another era',
    { cacheNodeType: 'cache.t2.micro' },
    `Invalid cacheNodeType: received "cache.t2.micro"; expected one of cache.t4g.micro, cache.t4g.small, cache.t4g.medium, cache.m7g.large, cache.m7g.xlarge, cache.m7g.2xlarge, cache.r7g.large, cache.r7g.xlarge, cache.r7g.2xlarge.${fix('cacheNodeType', 'cache.t4g.micro')}`,
  ],
  ['storage below gp3\'s minimum', { dbStorageGiB: '10' }, `Invalid dbStorageGiB: received "10"; expected an integer from 20 to 1000.${fix('dbStorageGiB', '20')}`],
  [
    'an email that is not one',
    { alarmEmail: 'ops@example' },
    `Invalid alarmEmail: received "ops@example"; expected an email address such as ops@example.com (no spaces, quotes or comments).${fix('alarmEmail', 'you@example.com')}`,
  ],
  [
    'a typo of a key',
    { backupRetention: '7' },
    expect.stringMatching(/^Invalid backupRetention: received "7"; expected one of the e-commerce backend context keys: env, region, .*\n {2}Fix: did you mean backupRetentionDays\?: npx cdk synth -c backupRetentionDays=7$/) as unknown as string,
  ],
  [
    'prod without its HTTPS name',
    { env: 'prod' },
    expect.stringMatching(/^Invalid domainName: received nothing \(the key is not set\); expected a name in a Route 53 hosted zone of the account/) as unknown as string,
  ],
])('%s', (_case, context, message) => {
  expect(messageFor(context)).toEqual(message);
});

test('every supported PostgreSQL major is accepted', () => {
  for (const version of POSTGRES_VERSIONS) expect(messageFor({ postgresVersion: version })).toBe('');
});

test('-c lab= picks the lab: Auto-Pipe unless told, and a lab the app does not know is a one-line error', () => {
  const stacksOf = (context: Record<string, unknown>) => addAwsLabStacks(createCdkApp({ context, validate: false, controlTowerRules: false })).node.children.map((c) => c.node.id);
  expect(stacksOf({})).toEqual(['AutoPipeRegistry-dev', 'AutoPipeService-dev']);
  expect(stacksOf({ lab: 'ecommerce-backend' })).toEqual(['EcommerceRegistry-dev', 'EcommerceBackend-dev']);
  expect(() => stacksOf({ lab: 'ecommerce' })).toThrow(new ConfigError('lab', 'ecommerce', 'one of auto-pipe, ecommerce-backend', 'npx cdk synth -c lab=auto-pipe   (or set "lab" under "context" in cdk.json)'));
});

test('`cdk synth` runs cdk.json\'s app: a bad value prints the message and exits 2, without a stack trace', () => {
  const run = spawnSync(process.execPath, ['--require', './common/register.js', 'aws/app.ts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    // What the CDK CLI hands the app for `-c lab=ecommerce-backend -c backupRetentionDays=0`.
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ lab: 'ecommerce-backend', backupRetentionDays: '0' }), CDK_OUTDIR: '/nonexistent-never-written' },
  });
  expect({ status: run.status, stderr: run.stderr.trim(), stdout: run.stdout }).toEqual({
    status: 2,
    stderr: `Invalid backupRetentionDays: received "0"; expected an integer from 1 to 35, the days of automated backups RDS keeps (0 would turn automated backups off).${fix('backupRetentionDays', '1')}`,
    stdout: '',
  });
});
