import { defineLab, GCP_SHARED_TESTS } from '../cli/lab';
import { exercises } from './exercises';

export const lab = defineLab({
  id: 'gcp-platform',
  title: 'The chat platform: GKE, Cloud SQL and Memorystore together',
  tool: 'Pulumi',
  cloud: 'GCP',
  level: 'advanced',
  minutes: 150,
  source: { kind: 'pulumi', program: 'platform' },
  uses: ['Pulumi program gcp/ with lab=platform'],
  code: ['gcp/', 'Pulumi.yaml', 'Pulumi.platform-dev.yaml'],
  tests: ['test/gcp/platform', ...GCP_SHARED_TESTS, 'test/labs/gcp-platform'],
  exercises,
});
