import { defineLab, K8S_SHARED_TESTS } from '../cli/lab';
import { exercises } from './exercises';

export const lab = defineLab({
  id: 'order-processing',
  title: 'The order-processing system: RabbitMQ, Kafka and gRPC on Kubernetes',
  tool: 'cdk8s',
  cloud: 'Kubernetes',
  level: 'advanced',
  minutes: 180,
  source: { kind: 'cdk8s', chart: 'order-processing' },
  uses: ['OrderProcessingChart'],
  code: ['k8s/', 'cdk8s.yaml'],
  tests: ['test/k8s/order-processing', ...K8S_SHARED_TESTS, 'test/labs/order-processing'],
  exercises,
});
