/**
 * The CloudFormation execution policy the e-commerce guide bootstraps CDK with (next to Auto-Pipe's):
 * it lets CloudFormation create every resource of both profiles, and scopes what it can to this lab.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/dist';
import { readExecutionPolicy, uncoveredServices } from '../execution-policy';
import { ECOMMERCE_PROFILES, synthEcommerce } from './synth';

const POLICY_FILE = 'aws/ecommerce/cloudformation-execution-policy.json';
const statements = readExecutionPolicy(POLICY_FILE);
// Both profiles with every resource they can have: an alarm subscription, prod's HTTPS.
const synth = synthEcommerce(ECOMMERCE_PROFILES.map((context) => ({ ...context, alarmEmail: 'ops@example.com' })), { validate: false });
const STACKS = ['EcommerceRegistry-dev', 'EcommerceBackend-dev', 'EcommerceRegistry-prod', 'EcommerceBackend-prod'];
const resources = STACKS.flatMap((id) => Object.values(synth.json(id).Resources).map((r) => ({ stack: id, ...r })));

test('every resource type of both profiles is one the policy lets CloudFormation manage', () => {
  expect(uncoveredServices(statements, resources)).toEqual([]);
});

test('IAM only on the stacks\' own roles and the services\' linked roles; KMS only through the data services', () => {
  expect(statements.flatMap((s) => s.actions).filter((a) => a === '*' || a.startsWith('iam:*') || a === 'sts:*' || a === 'kms:*')).toEqual([]);
  for (const s of statements.filter((st) => st.actions.some((a) => a.startsWith('iam:')))) {
    if (s.actions.every((a) => a === 'iam:CreateServiceLinkedRole')) {
      expect(s.Condition?.StringEquals?.['iam:AWSServiceName']).toEqual(expect.arrayContaining(['rds.amazonaws.com', 'elasticache.amazonaws.com']));
    } else {
      expect(s.resources).toEqual(['arn:aws:iam::*:role/Ecommerce*']);
    }
  }
  expect(statements.filter((s) => s.actions.some((a) => a.startsWith('kms:'))).map((s) => s.Condition)).toEqual([
    { StringLike: { 'kms:ViaService': ['ecr.*.amazonaws.com', 'rds.*.amazonaws.com', 'secretsmanager.*.amazonaws.com'] } },
  ]);
});

test('its name patterns hold for every resource it scopes: roles, buckets, repositories and secrets', () => {
  expect(STACKS.every((id) => id.startsWith('Ecommerce'))).toBe(true);
  expect(resources.filter((r) => r.Type === 'AWS::IAM::Role' && r.Properties?.RoleName !== undefined)).toEqual([]);
  expect(resources.filter((r) => r.Type === 'AWS::S3::Bucket').map((r) => [r.stack, r.Properties?.BucketName])).toEqual([['EcommerceBackend-prod', undefined]]);
  expect(resources.filter((r) => r.Type === 'AWS::ECR::Repository').map((r) => r.Properties?.RepositoryName)).toEqual(['ecommerce-backend-dev', 'ecommerce-backend-prod']);
  const secretNames = resources.filter((r) => r.Type === 'AWS::SecretsManager::Secret').map((r) => r.Properties?.Name);
  expect(secretNames).toEqual(['ecommerce-dev/cache-auth-token', 'ecommerce-dev/session-secret', 'ecommerce-prod/cache-auth-token', 'ecommerce-prod/session-secret']);
  const secretScope = statements.find((s) => s.actions.includes('secretsmanager:*'))!.resources;
  expect(secretScope).toEqual(['arn:aws:secretsmanager:*:*:secret:ecommerce-*', 'arn:aws:secretsmanager:*:*:secret:rds!db-*']);
});

test('the guide bootstraps CDK with it, next to Auto-Pipe\'s', () => {
  const guide = readFileSync(join(REPO_ROOT, 'labs/ecommerce-backend/README.md'), 'utf8');
  expect(guide).toContain(`--policy-document file://${POLICY_FILE}`);
  expect(guide).toContain('--cloudformation-execution-policies arn:aws:iam::<account-id>:policy/EcommerceCloudFormationExecution');
});
