import { defineLab, GCP_SHARED_TESTS } from '../cli/lab';
import { exercises } from './exercises';

export const lab = defineLab({
  id: 'gke',
  title: 'A hardened GKE cluster with Pulumi',
  tool: 'Pulumi',
  cloud: 'GCP',
  level: 'intermediate',
  minutes: 90,
  source: { kind: 'pulumi', program: 'gke' },
  uses: ['Pulumi program gcp/ with lab=gke'],
  code: ['gcp/', 'Pulumi.yaml', 'Pulumi.gke-dev.yaml'],
  tests: ['test/gcp/gke', ...GCP_SHARED_TESTS, 'test/labs/gke'],
  exercises,
});
