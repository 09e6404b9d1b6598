import { EXAMPLE_DOMAIN } from '../../aws/example-domain';
import { defineLab } from '../cli/lab';
import { exercises } from './exercises';

export const lab = defineLab({
  id: 'ecommerce-backend',
  title: 'The e-commerce backend: ECS Fargate, RDS for PostgreSQL and ElastiCache with AWS CDK',
  tool: 'AWS CDK',
  cloud: 'AWS',
  level: 'intermediate',
  minutes: 150,
  // prod serves HTTPS on a name of the learner's: offline it is built with the documentation example.
  source: { kind: 'cdk', app: 'ecommerce-backend', requiredContext: { prod: EXAMPLE_DOMAIN } },
  uses: ['EcommerceRegistry-<profile>', 'EcommerceBackend-<profile>'],
  code: ['aws/', 'labs/ecommerce-backend/service/', 'cdk.json'],
  tests: ['test/aws/ecommerce/', 'test/ecommerce-backend/', 'test/labs/ecommerce-backend'],
  exercises,
});
