import { defineLab } from '../cli/lab';
import { exercises } from './exercises';

export const lab = defineLab({
  id: 'auto-pipe',
  title: 'Auto-Pipe: GitHub Actions to ECS Fargate with AWS CDK',
  tool: 'AWS CDK',
  cloud: 'AWS',
  level: 'intermediate',
  minutes: 120,
  source: { kind: 'cdk' },
  uses: ['AutoPipeRegistry-<profile>', 'AutoPipeService-<profile>'],
  code: ['aws/', 'labs/auto-pipe/service/', '.github/workflows/auto-pipe.yml', 'cdk.json'],
  tests: ['test/aws/', 'test/labs/auto-pipe'],
  example: { githubRepo: 'your-org/auto-pipe' },
  exercises,
});
