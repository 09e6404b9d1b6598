import { ConfigError } from '../../common/config';
import { SETTING_KEYS, configFromEnvironment, envName, resolveConfig } from '../../k8s/config';
import { synthCharts } from '../../k8s/synth';

/** The message a learner sees for `overrides`, as `npm run k8s:synth` prints it. */
function errorFor(overrides: Record<string, unknown>, profile: unknown = 'dev'): string {
  try {
    resolveConfig(profile, overrides);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(overrides)}`);
}

describe('profiles', () => {
  test('dev is small and deletes data; prod is highly available and keeps it', () => {
    const dev = resolveConfig('dev');
    const prod = resolveConfig('prod');
    expect([dev.webApp.replicas, dev.orderProcessing.kafka.replicas, dev.orderProcessing.rabbitmq.replicas]).toEqual([1, 1, 1]);
    expect([prod.webApp.replicas, prod.orderProcessing.kafka.replicas, prod.orderProcessing.rabbitmq.replicas]).toEqual([3, 3, 3]);
    expect(dev.orderProcessing.retainData).toBe(false);
    expect(prod.orderProcessing.retainData).toBe(true);
  });

  test('overrides replace defaults and arrive typed, whether numbers or the strings an environment gives', () => {
    const config = resolveConfig('dev', { webReplicas: '2', webMaxReplicas: 4, kafkaMemoryLimit: '2Gi', webCpuRequest: '0.1' });
    expect(config.webApp.replicas).toBe(2);
    expect(config.webApp.maxReplicas).toBe(4);
    expect(config.orderProcessing.kafka.resources.memoryLimit).toBe(2048);
    expect(config.webApp.resources.cpuRequest).toBe(100);
  });

  test('an empty storageClass means the cluster default', () => {
    expect(resolveConfig('dev').cluster.storageClass).toBeUndefined();
    expect(resolveConfig('dev', { storageClass: 'standard' }).cluster.storageClass).toBe('standard');
  });
});

describe('environment', () => {
  test('every setting has a K8S_ variable named after it', () => {
    expect(envName('webCpuRequest')).toBe('K8S_WEB_CPU_REQUEST');
    expect(envName('rabbitmqConsumerImage')).toBe('K8S_RABBITMQ_CONSUMER_IMAGE');
    expect(new Set(SETTING_KEYS.map(envName)).size).toBe(SETTING_KEYS.length);
  });

  test('K8S_PROFILE narrows to one profile; unset means both; other K8S_ variables are overrides', () => {
    expect(configFromEnvironment({}).profiles).toEqual(['dev', 'prod']);
    expect(configFromEnvironment({ K8S_PROFILE: 'prod', K8S_WEB_REPLICAS: '4', PATH: '/bin' })).toEqual({
      profiles: ['prod'],
      overrides: { webReplicas: '4' },
    });
  });

  test('a misspelled K8S_ variable is an error that suggests the right name', () => {
    expect(() => configFromEnvironment({ K8S_WEB_REPLICA: '2' })).toThrow(
      'Invalid K8S_WEB_REPLICA: received "2"; expected one of the settings listed in README.md, "Kubernetes settings" (did you mean K8S_WEB_REPLICAS?).\n  Fix: rename it to K8S_WEB_REPLICAS',
    );
  });

  test('an unknown profile names the valid ones and the exact command', () => {
    expect(() => configFromEnvironment({ K8S_PROFILE: 'staging' })).toThrow(
      'Invalid profile: received "staging"; expected one of dev, prod.\n  Fix: K8S_PROFILE=dev npm run k8s:synth   (the same variable works for npx cdk8s synth)',
    );
  });
});

describe('bad input fails before anything is built, naming key, value, valid form and fix', () => {
  test('unknown profile in-process', () => {
    expect(errorFor({}, 'qa')).toBe('Invalid profile: received "qa"; expected one of dev, prod.\n  Fix: K8S_PROFILE=dev npm run k8s:synth   (the same variable works for npx cdk8s synth)');
  });

  test('unknown setting in-process', () => {
    expect(errorFor({ webReplica: 2 })).toContain('Invalid webReplica: received 2; expected one of the settings listed in README.md, "Kubernetes settings" (did you mean webReplicas?)');
  });

  test.each([
    ['webReplicas', 0],
    ['webReplicas', 11],
    ['frontendReplicas', 'two'],
    ['validatorReplicas', 1.5],
  ])('replica count %s=%p', (key, value) => {
    expect(errorFor({ [key]: value })).toMatch(new RegExp(`^Invalid ${key}: received .*; expected an integer from 1 to 10\\.\\n  Fix: K8S_[A-Z_]+=1 npm run k8s:synth`));
  });

  test('a broker quorum must be odd', () => {
    expect(errorFor({ kafkaReplicas: 2 })).toMatch(/^Invalid kafkaReplicas: received 2; expected 1, 3 or 5 \(an odd quorum\)\.\n {2}Fix: K8S_KAFKA_REPLICAS=3 npm run k8s:synth/);
  });

  test.each([
    ['a health path without its slash', { webHealthPath: 'healthz' }, 'Invalid webHealthPath: received "healthz"; expected an absolute URL path such as /healthz (no query string).\n  Fix: K8S_WEB_HEALTH_PATH=/healthz npm run k8s:synth   (the same variable works for npx cdk8s synth)'],
    ['root as the image user', { webUser: 0 }, 'Invalid webUser: received 0; expected an integer from 1 to 2147483647.\n  Fix: K8S_WEB_USER=1 npm run k8s:synth   (the same variable works for npx cdk8s synth)'],
  ])('a learner\'s image: %s', (_case, overrides, message) => {
    expect(errorFor(overrides)).toBe(message);
  });

  test('a learner\'s Flask image on its own port, health path and user is probed and run as such', () => {
    const web = synthCharts({ overrides: { webImage: 'flask-app:0.1.0', webPort: 5000, webHealthPath: '/healthz', webUser: 10001 } })[0].manifests.find((m) => m.kind === 'Deployment')!;
    const pod = web.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 });
    expect(pod.containers[0]).toMatchObject({ image: 'flask-app:0.1.0', ports: [{ containerPort: 5000 }], readinessProbe: { httpGet: { path: '/healthz', port: 5000 } }, livenessProbe: { httpGet: { path: '/healthz', port: 5000 } } });
  });

  const fix = (value: string) => `  Fix: K8S_${value} npm run k8s:synth   (the same variable works for npx cdk8s synth)`;
  test.each([
    ['not a CIDR block', 'gke', 'comma-separated IPv4 CIDR blocks narrower than /0, e.g. 35.191.0.0/16,130.211.0.0/22 (GKE\'s load balancers)'],
    ['the whole internet', '0.0.0.0/0', 'comma-separated IPv4 CIDR blocks narrower than /0, e.g. 35.191.0.0/16,130.211.0.0/22 (GKE\'s load balancers)'],
    ['host bits set', '35.191.0.1/16', 'network addresses with no host bits set (35.191.0.0/16)'],
    ['halves that make the whole internet', '0.0.0.0/1,128.0.0.0/1', 'blocks that leave most of the internet out: together these admit every address, as 0.0.0.0/0 would'],
  ])('gateway source ranges: %s', (_case, value, expected) => {
    expect(errorFor({ gatewaySourceRanges: value })).toBe(
      `Invalid gatewaySourceRanges: received "${value}"; expected ${expected}.\n${fix('GATEWAY_SOURCE_RANGES=35.191.0.0/16,130.211.0.0/22')}`,
    );
  });

  test.each([
    ['gatewayClass', 'Envoy Gateway'],
    ['webTlsSecret', 'web_app_tls'],
  ])('%s=%p is not a Kubernetes name', (key, value) => {
    expect(errorFor({ [key]: value })).toMatch(new RegExp(`^Invalid ${key}: received "${value}"; expected a DNS name: lowercase letters, digits, - and \\.\\.`));
  });

  test('the autoscaler maximum cannot be below the minimum', () => {
    expect(errorFor({ webReplicas: 3, webMaxReplicas: 2 })).toMatch(/^Invalid webMaxReplicas: received 2; expected an integer from 3 to 20\./);
  });

  test.each(['2 cores', '0', '0m', '1.2345', '-1', '250M'])('CPU quantity %p that Kubernetes would reject or that is not whole millicores', (value) => {
    expect(errorFor({ webCpuLimit: value })).toContain(`Invalid webCpuLimit: received "${value}"; expected a CPU quantity in cores or millicores, e.g. 250m or 0.5.\n  Fix: K8S_WEB_CPU_LIMIT=250m npm run k8s:synth`);
  });

  test.each(['64MB', '0Mi', '1.5Gi', '512'])('memory quantity %p', (value) => {
    expect(errorFor({ kafkaMemoryRequest: value })).toContain(`Invalid kafkaMemoryRequest: received "${value}"; expected a memory quantity in Mi or Gi, e.g. 256Mi or 1Gi.`);
  });

  test('a request above its limit, which the API server would reject', () => {
    expect(errorFor({ frontendCpuRequest: '2' })).toBe(
      'Invalid frontendCpuRequest: received "2"; expected at most frontendCpuLimit (500m).\n  Fix: K8S_FRONTEND_CPU_REQUEST=500m npm run k8s:synth   (the same variable works for npx cdk8s synth)',
    );
    expect(errorFor({ rabbitmqMemoryRequest: '1Gi' })).toContain('expected at most rabbitmqMemoryLimit (512Mi)');
  });

  test.each(['nginx', 'apache/kafka', 'nginx:latest', 'registry.local:5000/team/app', 'Order-Frontend:1.0', 'nginx:'])('image reference %p without a pinned tag', (value) => {
    expect(errorFor({ webImage: value })).toBe(
      `Invalid webImage: received "${value}"; expected an image reference pinned by a tag other than latest (or a digest), e.g. name:1.2.3.\n  Fix: K8S_WEB_IMAGE=nginxinc/nginx-unprivileged:1.29.4-alpine npm run k8s:synth   (the same variable works for npx cdk8s synth)`,
    );
  });

  test.each(['order-frontend:0.2.0', 'localhost:5000/order-frontend:dev-1', `app@sha256:${'a'.repeat(64)}`])('image reference %p is accepted', (value) => {
    expect(resolveConfig('dev', { frontendImage: value }).orderProcessing.frontend.image).toBe(value);
  });

  test.each([0, 70000, 'http'])('port %p out of range', (value) => {
    expect(errorFor({ frontendPort: value })).toMatch(/^Invalid frontendPort: received .*; expected a port number from 1 to 65535\.\n {2}Fix: K8S_FRONTEND_PORT=5000 npm run k8s:synth/);
  });

  test('a broker volume size is a quantity in Mi or Gi', () => {
    expect(errorFor({ kafkaStorage: '20GB' })).toBe(
      'Invalid kafkaStorage: received "20GB"; expected a volume size in Mi or Gi, e.g. 2Gi.\n  Fix: K8S_KAFKA_STORAGE=2Gi npm run k8s:synth   (the same variable works for npx cdk8s synth)',
    );
  });

  test('namespace and host names must be DNS names', () => {
    expect(errorFor({ ordersNamespace: 'Orders_NS' })).toBe(
      'Invalid ordersNamespace: received "Orders_NS"; expected a DNS label: lowercase letters, digits and -, at most 63 characters.\n  Fix: K8S_ORDERS_NAMESPACE=order-processing npm run k8s:synth   (the same variable works for npx cdk8s synth)',
    );
    expect(errorFor({ webNamespace: 'a'.repeat(64) })).toContain('Fix: K8S_WEB_NAMESPACE=web-app npm run k8s:synth');
    expect(errorFor({ webHost: 'web app' })).toContain('Invalid webHost: received "web app"; expected a DNS name: lowercase letters, digits, - and .');
  });

  test('the page message is one line of plain text (it is written into HTML)', () => {
    expect(errorFor({ webMessage: '<script>' })).toContain('Fix: K8S_WEB_MESSAGE=Hello npm run k8s:synth');
  });

  test('a Kafka cluster id has the KRaft format', () => {
    expect(errorFor({ kafkaClusterId: 'short' })).toContain('expected 22 characters of base64url (kafka-storage.sh random-uuid prints one)');
  });

  test('synthCharts reports the same error and builds nothing', () => {
    expect(() => synthCharts({ overrides: { webReplicas: 0 } })).toThrow(ConfigError);
  });
});
