/** The README section and the two lab guides stay in step with the code they document (their format: test/labs/guide.test.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { CHECKS } from '../../k8s/checks';
import { SETTING_KEYS, envName } from '../../k8s/config';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const readme = read('README.md');
const section = readme.slice(readme.indexOf('## Kubernetes (cdk8s)'), readme.indexOf('\n## ', readme.indexOf('## Kubernetes (cdk8s)') + 1));

test('the README explains every check of the gate', () => {
  for (const id of Object.keys(CHECKS)) expect(section).toContain(`| \`${id}\` |`);
});

test('the README lists every setting, directly or through its workload row', () => {
  const perWorkload = /^(web|frontend|validator|rabbitmqConsumer|kafkaConsumer|rabbitmq|kafka)(Image|Replicas|CpuRequest|CpuLimit|MemoryRequest|MemoryLimit)$/;
  for (const key of SETTING_KEYS) {
    const match = perWorkload.exec(key);
    expect(section).toContain(match ? `| \`${envName(match[1]).slice('K8S_'.length)}\` |` : `| \`${envName(key)}\` |`);
  }
});

test.each(['labs/k8s-web-app/README.md', 'labs/order-processing/README.md'])('%s applies what npm run k8s:synth writes', (path) => {
  expect(read(path)).toContain('kubectl apply -f dist/k8s/dev/');
});
