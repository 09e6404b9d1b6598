/**
 * The CloudFormation execution policy the guide bootstraps CDK with (instead of AdministratorAccess):
 * it must let CloudFormation create every resource of both profiles, and nothing it could use to
 * grant itself more (IAM only on the stacks' own roles and GitHub's OIDC provider).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { readExecutionPolicy, uncoveredServices } from './execution-policy';
import { LAB_PROFILES, synthAutoPipe } from './synth';

const POLICY_FILE = 'aws/auto-pipe/cloudformation-execution-policy.json';
const statements = readExecutionPolicy(POLICY_FILE);

// Both profiles with every resource they can have: a deploy role, an alarm subscription, prod's HTTPS.
const synth = synthAutoPipe(
  LAB_PROFILES.map((context) => ({ ...context, alarmEmail: 'ops@example.com' })),
  { validate: false },
);
const STACKS = ['AutoPipeRegistry-dev', 'AutoPipeService-dev', 'AutoPipeRegistry-prod', 'AutoPipeService-prod'];
const resources = STACKS.flatMap((id) => Object.values(synth.json(id).Resources).map((r) => ({ stack: id, ...r })));

test('every resource type of both profiles is one the policy lets CloudFormation manage', () => {
  expect(uncoveredServices(statements, resources)).toEqual([]);
});

test('it allows nothing to everything, and IAM only on the stacks\' roles, GitHub\'s provider and three service-linked roles', () => {
  expect(statements.flatMap((s) => s.actions).filter((a) => a === '*' || a.startsWith('iam:*') || a === 'sts:*')).toEqual([]);
  for (const s of statements.filter((st) => st.actions.some((a) => a.startsWith('iam:')))) {
    if (s.actions.every((a) => a === 'iam:CreateServiceLinkedRole')) {
      expect(s.Condition?.StringEquals?.['iam:AWSServiceName']).toEqual(['ecs.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'ecs.application-autoscaling.amazonaws.com']);
    } else {
      expect(s.resources).toEqual([expect.stringMatching(/^arn:aws:iam::\*:(role\/AutoPipe\*|oidc-provider\/token\.actions\.githubusercontent\.com)$/)]);
    }
  }
  expect(statements.filter((s) => s.actions.some((a) => a.startsWith('kms:'))).map((s) => s.Condition)).toEqual([{ StringLike: { 'kms:ViaService': 'ecr.*.amazonaws.com' } }]);
});

test('its name patterns hold for every resource it scopes: roles and buckets named after their stack, repositories auto-pipe-*', () => {
  expect(STACKS.every((id) => id.startsWith('AutoPipe'))).toBe(true);
  // Without explicit names CloudFormation names roles <stack>-<id>-<suffix> and buckets the same in lower case.
  expect(resources.filter((r) => r.Type === 'AWS::IAM::Role' && r.Properties?.RoleName !== undefined)).toEqual([]);
  expect(resources.filter((r) => r.Type === 'AWS::S3::Bucket').map((r) => [r.stack, r.Properties?.BucketName])).toEqual([['AutoPipeService-prod', undefined]]);
  expect(resources.filter((r) => r.Type === 'AWS::ECR::Repository').map((r) => r.Properties?.RepositoryName)).toEqual(['auto-pipe-dev', 'auto-pipe-prod']);
});

test('the guide bootstraps CDK with it', () => {
  const guide = readFileSync(join(REPO_ROOT, 'labs/auto-pipe/README.md'), 'utf8');
  expect(guide).toContain(`--policy-document file://${POLICY_FILE}`);
  expect(guide).toContain('--cloudformation-execution-policies arn:aws:iam::<account-id>:policy/AutoPipeCloudFormationExecution');
});
