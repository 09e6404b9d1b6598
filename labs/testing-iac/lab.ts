import { defineLab } from '../cli/lab';
import { exercises } from './exercises';

export const lab = defineLab({
  id: 'testing-iac',
  title: 'Testing infrastructure as code: snapshots, assertions, policies and mocks',
  tool: 'Jest',
  cloud: 'none',
  level: 'intermediate',
  minutes: 90,
  source: { kind: 'kit' },
  uses: ['the whole kit'],
  code: ['test/', 'jest.config.js'],
  tests: ['test/'],
  exercises,
});
