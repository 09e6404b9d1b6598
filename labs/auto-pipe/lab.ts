import { EXAMPLE_DOMAIN } from '../../aws/example-domain';
import { defineLab } from '../cli/lab';
import { exercises } from './exercises';

export const lab = defineLab({
  id: 'auto-pipe',
  title: 'Auto-Pipe: GitHub Actions to ECS Fargate with AWS CDK',
  tool: 'AWS CDK',
  cloud: 'AWS',
  level: 'intermediate',
  minutes: 120,
  // prod serves HTTPS on a name of the learner's: offline it is built with the documentation example.
  source: { kind: 'cdk', app: 'auto-pipe', requiredContext: { prod: EXAMPLE_DOMAIN } },
  uses: ['AutoPipeRegistry-<profile>', 'AutoPipeService-<profile>'],
  code: ['aws/', 'labs/auto-pipe/service/', '.github/workflows/auto-pipe.yml', 'cdk.json'],
  // test/aws/ holds the AWS labs' shared parts and Auto-Pipe; the e-commerce lab's own tests are apart.
  tests: ['test/aws/(?!ecommerce/)', 'test/labs/auto-pipe'],
  example: { githubRepo: 'your-org/auto-pipe' },
  exercises,
});
