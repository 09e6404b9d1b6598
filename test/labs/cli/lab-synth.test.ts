/**
 * `lab synth`, run as a learner runs it, into the test run's own dist/ (test/setup/global-setup.js).
 * Apart from lab-command.test.ts: it starts a real preview, a second of CPU that file does not need.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR } from '../../../common/dist';
import { lab } from './run-lab';

test('synth writes each lab into dist/<lab>/<profile>/ and lists what it wrote', async () => {
  const { code, out } = await lab('synth', 'cloudsql', '--profile', 'prod');
  expect(code).toBe(0);
  expect(out).toMatch(/^cloudsql \(prod\): \d+ resources$/m);
  expect(out).toContain('dist/cloudsql/prod/plan.json');
  expect(JSON.parse(readFileSync(join(DIST_DIR, 'cloudsql/prod/plan.json'), 'utf8'))).toMatchObject({ lab: 'cloudsql', profile: 'prod' });
  const k8s = await lab('synth', 'k8s-web-app');
  expect(k8s.out).toContain('dist/k8s-web-app/dev/web-app.k8s.yaml');
  expect(k8s.out).toContain('dist/k8s-web-app/prod/web-app.k8s.yaml');
});
