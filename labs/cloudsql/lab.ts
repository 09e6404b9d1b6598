import { defineLab, GCP_SHARED_TESTS } from '../cli/lab';
import { exercises } from './exercises';

export const lab = defineLab({
  id: 'cloudsql',
  title: 'A private Cloud SQL Postgres with Pulumi',
  tool: 'Pulumi',
  cloud: 'GCP',
  level: 'intermediate',
  minutes: 75,
  source: { kind: 'pulumi', program: 'cloudsql' },
  uses: ['Pulumi program gcp/ with lab=cloudsql'],
  code: ['gcp/', 'Pulumi.yaml', 'Pulumi.cloudsql-dev.yaml'],
  tests: ['test/gcp/cloudsql', ...GCP_SHARED_TESTS, 'test/labs/cloudsql'],
  exercises,
});
