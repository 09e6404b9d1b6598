/** Reading a lab's CloudFormation execution policy (the one the guide bootstraps CDK with), for its tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';

export interface Statement {
  readonly Sid: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** The IAM service prefix CloudFormation needs for each CloudFormation service namespace. */
const IAM_PREFIX: Readonly<Record<string, string>> = {
  ApplicationAutoScaling: 'application-autoscaling',
  CertificateManager: 'acm',
  CloudWatch: 'cloudwatch',
  EC2: 'ec2',
  ECR: 'ecr',
  ECS: 'ecs',
  ElastiCache: 'elasticache',
  ElasticLoadBalancingV2: 'elasticloadbalancing',
  IAM: 'iam',
  KMS: 'kms',
  Logs: 'logs',
  RDS: 'rds',
  Route53: 'route53',
  S3: 's3',
  SecretsManager: 'secretsmanager',
  SNS: 'sns',
};

export type PolicyStatement = Statement & { readonly actions: string[]; readonly resources: string[] };

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

export function readExecutionPolicy(path: string): PolicyStatement[] {
  const policy = JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as { Statement: Statement[] };
  return policy.Statement.map((s) => ({ ...s, actions: list(s.Action), resources: list(s.Resource) }));
}

/** The CloudFormation service namespaces of `resources` that no Allow statement of the policy covers. */
export function uncoveredServices(statements: readonly PolicyStatement[], resources: readonly { readonly Type: string }[]): string[] {
  const services = [...new Set(resources.map((r) => r.Type.split('::')[1]))].filter((service) => service !== 'CDK').sort();
  // A new service: add its IAM prefix to IAM_PREFIX and its actions to the policy.
  return services.filter((service) => {
    const prefix = IAM_PREFIX[service];
    return prefix === undefined || !statements.some((s) => s.Effect === 'Allow' && s.actions.some((a) => a.startsWith(`${prefix}:`)));
  });
}
