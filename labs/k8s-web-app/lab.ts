import { defineLab, K8S_SHARED_TESTS } from '../cli/lab';
import { exercises } from './exercises';

export const lab = defineLab({
  id: 'k8s-web-app',
  title: 'The web app on Kubernetes with cdk8s',
  tool: 'cdk8s',
  cloud: 'Kubernetes',
  level: 'beginner',
  minutes: 60,
  source: { kind: 'cdk8s', chart: 'web-app' },
  uses: ['WebAppChart'],
  code: ['k8s/', 'cdk8s.yaml'],
  tests: ['test/k8s/web-app', ...K8S_SHARED_TESTS, 'test/labs/k8s-web-app'],
  exercises,
});
