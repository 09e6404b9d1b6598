import { type Manifest, selects } from '../../k8s/checks/manifest';
import type { Exercise } from '../cli/lab';
import {
  allowsPort,
  autoscalersOf,
  describePeer,
  formatPorts,
  mainContainer,
  manifestsOf,
  named,
  onlyPort,
  peerSelects,
  podLabels,
  portNamesOf,
  rulesFor,
  utilizationTarget,
  workloads,
} from '../cli/manifest-checks';

// What the chart builds with its default settings, which is what a check synthesizes.
const CHART = 'k8s/order-processing-chart.ts';
const VALIDATOR = 'order-validator';
const NOTIFIER = 'order-notification-consumer';
const NOTIFIER_IMAGE = 'order-notification-consumer:0.1.0';
const CONSUMER_HEALTH_PORT = 8080;
const AMQP_PORT = 5672;
const SETTINGS_MAP = 'order-processing-settings';
const RABBITMQ_SETTINGS = ['RABBITMQ_HOST', 'RABBITMQ_PORT', 'RABBITMQ_VHOST', 'RABBITMQ_QUEUE', 'RABBITMQ_USERNAME_FILE', 'RABBITMQ_PASSWORD_FILE'];
const RABBITMQ_SECRET_DIR = '/var/run/secrets/order-processing/rabbitmq';
const CREDENTIALS = 'rabbitmq-credentials';
const DNS_PORT = 53;

function validatorScalingProblems(manifests: readonly Manifest[]): string[] {
  const validator = named(manifests, 'Deployment', VALIDATOR);
  if (validator === undefined) return [`there is no Deployment ${VALIDATOR} any more: the exercise builds on it, restore it in ${CHART}`];
  const [autoscaler] = autoscalersOf(manifests, validator);
  if (autoscaler === undefined) {
    return [`no HorizontalPodAutoscaler scales Deployment ${VALIDATOR} yet: pass \`autoscaling\` to the validator's app(...) in ${CHART}`];
  }
  const problems: string[] = [];
  const min = autoscaler.spec?.minReplicas ?? 1;
  const max = autoscaler.spec?.maxReplicas;
  if (min !== 1) problems.push(`the validator's autoscaler starts at ${min} replicas in dev: make it 1 (the validator's replica setting)`);
  if (max !== 4) problems.push(`the validator's autoscaler scales up to ${max} replicas: make it 4`);
  const cpu = utilizationTarget(autoscaler, 'cpu');
  if (cpu !== 70) problems.push(`the validator's autoscaler must scale on CPU at 70% average utilization (it has ${cpu === undefined ? 'no CPU metric' : `${cpu}%`})`);
  if (validator.spec?.replicas !== undefined) {
    problems.push(`Deployment ${VALIDATOR} still fixes replicas: ${validator.spec.replicas}: leave the count to the autoscaler, or every kubectl apply resets it`);
  }
  return problems;
}

/** What the consumer's container must have to run: its image, the health probes, the RabbitMQ settings and login file. */
function notifierContainerProblems(consumer: Manifest): string[] {
  const problems: string[] = [];
  const container = mainContainer(consumer);
  if (container.image !== NOTIFIER_IMAGE) problems.push(`${NOTIFIER} runs image ${container.image}: it should run ${NOTIFIER_IMAGE}`);
  const portNames = portNamesOf(consumer);
  for (const [probe, path] of [['readinessProbe', '/readyz'], ['livenessProbe', '/healthz']]) {
    const get = container[probe]?.httpGet;
    const port = typeof get?.port === 'string' ? portNames[get.port] : get?.port;
    if (get?.path !== path || port !== CONSUMER_HEALTH_PORT) {
      problems.push(`${NOTIFIER}'s ${probe} should ask GET ${path} on the consumer port ${CONSUMER_HEALTH_PORT}, like order-rabbitmq-consumer's`);
    }
  }
  const settings = new Set(
    (container.env ?? []).filter((e: Manifest) => e.valueFrom?.configMapKeyRef?.name === SETTINGS_MAP).map((e: Manifest) => e.name as string),
  );
  const missing = RABBITMQ_SETTINGS.filter((key) => !settings.has(key));
  if (missing.length > 0) {
    problems.push(`${NOTIFIER} does not get ${missing.join(', ')} from ConfigMap ${SETTINGS_MAP} yet: build it with consumer(..., ...RABBITMQ_KEYS), like order-rabbitmq-consumer`);
  }
  const mount = (container.volumeMounts ?? []).find((m: Manifest) => m.mountPath === RABBITMQ_SECRET_DIR);
  const volume = mount && (consumer.spec.template.spec.volumes ?? []).find((v: Manifest) => v.name === mount.name);
  if (mount?.readOnly !== true || volume?.secret?.secretName !== CREDENTIALS) {
    problems.push(`${NOTIFIER} cannot log in to RabbitMQ yet: mount Secret ${CREDENTIALS} read-only at ${RABBITMQ_SECRET_DIR} (the login files the app reads), as order-rabbitmq-consumer does`);
  } else {
    // The apps' own login only: the administrator's and the Erlang cookie stay with the broker.
    const keys = volume.secret.items?.map((item: Manifest) => `${item.key}->${item.path}`).sort();
    if (JSON.stringify(keys) !== JSON.stringify(['app-password->password', 'app-username->username'])) {
      problems.push(
        `${NOTIFIER} mounts ${keys === undefined ? `every key of Secret ${CREDENTIALS}, the administrator's login and the Erlang cookie included` : `keys ${keys.join(', ')}`}: ` +
          'mount only app-username and app-password, as the files username and password (the rabbitmq-login volume order-rabbitmq-consumer uses)',
      );
    }
  }
  return problems;
}

/** The consumer may reach RabbitMQ on AMQP (and DNS), RabbitMQ admits it, and nothing else opens for it. */
function notifierNetworkProblems(manifests: readonly Manifest[], consumer: Manifest, rabbitmq: Manifest): string[] {
  const problems: string[] = [];
  const others = workloads(manifests).filter((w) => w !== consumer);
  let reachesBroker = false;
  for (const rule of rulesFor(manifests, consumer, 'egress')) {
    // DNS is the helper's own rule, whatever peer it names (see exercise 3).
    if (rule.ports.length > 0 && rule.ports.every((p) => p.port === DNS_PORT && p.endPort === undefined)) continue;
    const namespace = rule.policy.metadata.namespace;
    for (const peer of rule.peers.length ? rule.peers : [undefined]) {
      const reached = peer === undefined ? others : others.filter((w) => peerSelects(peer, namespace, w));
      const toBrokerOnly = peer !== undefined && !peer.ipBlock && reached.length === 1 && reached[0] === rabbitmq;
      if (toBrokerOnly && onlyPort(rule.ports, 'TCP', AMQP_PORT, portNamesOf(rabbitmq))) reachesBroker = true;
      else {
        const target = peer !== undefined && reached.length > 0 ? reached.map((w) => w.metadata.name).join(', ') : describePeer(peer);
        problems.push(`NetworkPolicy ${rule.policy.metadata.name} lets ${NOTIFIER} reach ${target} on ${formatPorts(rule.ports)}: it needs RabbitMQ on TCP ${AMQP_PORT} only`);
      }
    }
  }
  if (!reachesBroker) problems.push(`no NetworkPolicy lets ${NOTIFIER} reach RabbitMQ on exactly TCP ${AMQP_PORT} yet: call this.rabbitmq.allowClient(...) with its workload`);
  let admitted = false;
  for (const workload of others) {
    for (const rule of rulesFor(manifests, workload, 'ingress')) {
      if (!(rule.peers.length === 0 || rule.peers.some((peer) => peerSelects(peer, rule.policy.metadata.namespace, consumer)))) continue;
      if (workload === rabbitmq && allowsPort(rule.ports, 'TCP', AMQP_PORT, portNamesOf(rabbitmq))) admitted = true;
      if (workload !== rabbitmq || !onlyPort(rule.ports, 'TCP', AMQP_PORT, portNamesOf(rabbitmq))) {
        problems.push(`NetworkPolicy ${rule.policy.metadata.name} admits ${NOTIFIER} to ${workload.metadata.name} on ${formatPorts(rule.ports)}: it may reach RabbitMQ on TCP ${AMQP_PORT} only`);
      }
    }
  }
  if (!admitted) problems.push(`RabbitMQ's NetworkPolicies do not admit ${NOTIFIER} on TCP ${AMQP_PORT}: allowClient opens both sides, use it rather than a rule of your own`);
  for (const rule of rulesFor(manifests, consumer, 'ingress')) {
    problems.push(`NetworkPolicy ${rule.policy.metadata.name} lets ${rule.peers.map(describePeer).join(', ') || describePeer(undefined)} reach ${NOTIFIER}: nothing needs to connect to it`);
  }
  return problems;
}

function notifierProblems(manifests: readonly Manifest[]): string[] {
  const consumer = named(manifests, 'Deployment', NOTIFIER);
  if (consumer === undefined) return [`no Deployment ${NOTIFIER} yet: build it in ${CHART} with app(...) and consumer(...), like rabbitmqConsumer`];
  const rabbitmq = named(manifests, 'StatefulSet', 'rabbitmq');
  if (rabbitmq === undefined) return [`there is no StatefulSet rabbitmq any more: the exercise builds on it, restore it in ${CHART}`];
  const budgeted = manifests.some(
    (m) => m.kind === 'PodDisruptionBudget' && m.metadata?.namespace === consumer.metadata.namespace && selects(m.spec?.selector, podLabels(consumer)),
  );
  return [
    ...notifierContainerProblems(consumer),
    ...(budgeted ? [] : [`no PodDisruptionBudget covers ${NOTIFIER}'s pods: build it with app(...), whose HardenedWorkload adds one`]),
    ...notifierNetworkProblems(manifests, consumer, rabbitmq),
  ];
}

const PROMETHEUS_PORT = 15692;
const MANAGEMENT_PORT = 15672;
const MONITORING = { 'kubernetes.io/metadata.name': 'monitoring' };
const PROMETHEUS_POD = { 'app.kubernetes.io/name': 'prometheus' };

/** True when `peer` selects Prometheus's pods in namespace monitoring, and nothing wider. */
function isPrometheus(peer: Manifest): boolean {
  return (
    peer.ipBlock === undefined &&
    selects(peer.namespaceSelector, MONITORING) &&
    !selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': 'default' }) &&
    selects(peer.podSelector, PROMETHEUS_POD) &&
    !selects(peer.podSelector, {})
  );
}

function prometheusProblems(manifests: readonly Manifest[]): string[] {
  const rabbitmq = named(manifests, 'StatefulSet', 'rabbitmq');
  if (rabbitmq === undefined) return [`there is no StatefulSet rabbitmq any more: the exercise builds on it, restore it in k8s/rabbitmq-broker.ts`];
  const problems: string[] = [];
  const portNames = portNamesOf(rabbitmq);
  if (!Object.values(portNames).includes(PROMETHEUS_PORT)) {
    problems.push(`RabbitMQ's container declares no port ${PROMETHEUS_PORT} yet: add it (name it prometheus) next to amqp in k8s/rabbitmq-broker.ts`);
  }
  const annotations = rabbitmq.spec.template.metadata?.annotations ?? {};
  if (annotations['prometheus.io/scrape'] !== 'true' || annotations['prometheus.io/port'] !== String(PROMETHEUS_PORT)) {
    problems.push(`RabbitMQ's pods do not say where to scrape: annotate them prometheus.io/scrape: "true" and prometheus.io/port: "${PROMETHEUS_PORT}"`);
  }
  let admitted = false;
  for (const rule of rulesFor(manifests, rabbitmq, 'ingress')) {
    const opensMetrics = allowsPort(rule.ports, 'TCP', PROMETHEUS_PORT, portNames);
    const opensManagement = allowsPort(rule.ports, 'TCP', MANAGEMENT_PORT, portNames);
    if (!opensMetrics && !opensManagement) continue;
    for (const peer of rule.peers.length ? rule.peers : [undefined]) {
      if (opensManagement) {
        problems.push(`NetworkPolicy ${rule.policy.metadata.name} opens the management port ${MANAGEMENT_PORT} to ${describePeer(peer)}: Prometheus needs ${PROMETHEUS_PORT} only, and the management UI stays reachable from nowhere`);
      } else if (peer === undefined || !isPrometheus(peer)) {
        problems.push(`NetworkPolicy ${rule.policy.metadata.name} lets ${describePeer(peer)} reach RabbitMQ's metrics: admit only the Prometheus pods (app.kubernetes.io/name: prometheus) of namespace monitoring`);
      } else if (onlyPort(rule.ports, 'TCP', PROMETHEUS_PORT, portNames)) admitted = true;
      else problems.push(`NetworkPolicy ${rule.policy.metadata.name} admits Prometheus on ${formatPorts(rule.ports)}: it needs TCP ${PROMETHEUS_PORT} only`);
    }
  }
  if (!admitted) {
    problems.push(`no NetworkPolicy admits Prometheus (pods app.kubernetes.io/name: prometheus in namespace monitoring) to RabbitMQ on TCP ${PROMETHEUS_PORT} yet: use connections.allowFrom on the broker's workload`);
  }
  // Objects written into monitoring (connections without isolation POD) are refused for every chart: check.ts.
  return problems;
}

export const exercises: readonly Exercise[] = [
  {
    number: 1,
    title: 'Autoscale the validator',
    check: (input) => validatorScalingProblems(manifestsOf(input)),
  },
  {
    number: 2,
    title: 'Add a notification consumer',
    check: (input) => notifierProblems(manifestsOf(input)),
  },
  {
    number: 3,
    title: 'Let Prometheus scrape RabbitMQ',
    check: (input) => prometheusProblems(manifestsOf(input)),
  },
];
