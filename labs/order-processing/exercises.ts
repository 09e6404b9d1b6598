import { type Manifest, selects } from '../../k8s/checks/manifest';
import type { Exercise } from '../cli/lab';
import {
  allowsPort,
  autoscalersOf,
  describePeer,
  formatPorts,
  gateProblems,
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
const NOTIFIER = 'notification-consumer';
const NOTIFIER_IMAGE = 'order-notification-consumer:0.1.0';
const CONSUMER_HEALTH_PORT = 8080;
const AMQP_PORT = 5672;
const SETTINGS_MAP = 'order-processing-settings';
const CREDENTIALS = 'rabbitmq-credentials';
const DNS_PORT = 53;

async function validatorScalingProblems(manifests: readonly Manifest[]): Promise<string[]> {
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
  return [...problems, ...(await gateProblems(manifests, 'dev'))];
}

/** What the consumer's container must have to run: its image, /health probes, the settings and the RabbitMQ login. */
function notifierContainerProblems(consumer: Manifest): string[] {
  const problems: string[] = [];
  const container = mainContainer(consumer);
  if (container.image !== NOTIFIER_IMAGE) problems.push(`${NOTIFIER} runs image ${container.image}: it should run ${NOTIFIER_IMAGE}`);
  const portNames = portNamesOf(consumer);
  for (const probe of ['readinessProbe', 'livenessProbe']) {
    const get = container[probe]?.httpGet;
    const port = typeof get?.port === 'string' ? portNames[get.port] : get?.port;
    if (get?.path !== '/health' || port !== CONSUMER_HEALTH_PORT) {
      problems.push(`${NOTIFIER}'s ${probe} should ask GET /health on the consumer port ${CONSUMER_HEALTH_PORT}, like rabbitmq-consumer's`);
    }
  }
  if (!(container.envFrom ?? []).some((from: Manifest) => from.configMapRef?.name === SETTINGS_MAP)) {
    problems.push(`${NOTIFIER} does not read ConfigMap ${SETTINGS_MAP} (RABBITMQ_HOST, RABBITMQ_PORT, ...): build it with app(...)`);
  }
  const fromSecret = (name: string) => (container.env ?? []).find((e: Manifest) => e.name === name)?.valueFrom?.secretKeyRef;
  const login = [
    ['RABBITMQ_USER', 'username'],
    ['RABBITMQ_PASSWORD', 'password'],
  ].filter(([variable, key]) => fromSecret(variable)?.name !== CREDENTIALS || fromSecret(variable)?.key !== key);
  if (login.length > 0) {
    const needed = login.map(([variable, key]) => `${variable} from key ${key} of Secret ${CREDENTIALS}`).join(' and ');
    problems.push(`${NOTIFIER} cannot log in to RabbitMQ yet: it needs ${needed}, the same login as rabbitmq-consumer`);
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

async function notifierProblems(manifests: readonly Manifest[]): Promise<string[]> {
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
    ...(await gateProblems(manifests, 'dev')),
  ];
}

/** A peer that names the kube-dns pods of kube-system and nothing wider. */
function isKubeDns(peer: Manifest): boolean {
  const namespaces = peer.namespaceSelector;
  const pods = peer.podSelector;
  const namespace = (name: string) => ({ 'kubernetes.io/metadata.name': name });
  return (
    peer.ipBlock === undefined &&
    selects(namespaces, namespace('kube-system')) &&
    !selects(namespaces, namespace('default')) &&
    selects(pods, { 'k8s-app': 'kube-dns' }) &&
    !selects(pods, {})
  );
}

async function dnsProblems(manifests: readonly Manifest[]): Promise<string[]> {
  // Grouped by what is wrong, so six workloads with the same rule read as one problem.
  const outside = new Map<string, Set<string>>();
  const unresolved = new Map<string, string[]>();
  for (const workload of workloads(manifests)) {
    const name = workload.metadata.name;
    const reachesKubeDns = { UDP: false, TCP: false };
    for (const rule of rulesFor(manifests, workload, 'egress')) {
      if (!allowsPort(rule.ports, 'UDP', DNS_PORT) && !allowsPort(rule.ports, 'TCP', DNS_PORT)) continue;
      for (const peer of rule.peers.length ? rule.peers : [undefined]) {
        if (peer !== undefined && isKubeDns(peer)) {
          reachesKubeDns.UDP ||= allowsPort(rule.ports, 'UDP', DNS_PORT);
          reachesKubeDns.TCP ||= allowsPort(rule.ports, 'TCP', DNS_PORT);
        } else if (peer === undefined || peer.ipBlock !== undefined || peer.namespaceSelector !== undefined) {
          // A peer of the workload's own namespace is a pod of this chart, not a resolver.
          const where = describePeer(peer);
          outside.set(where, (outside.get(where) ?? new Set()).add(name));
        }
      }
    }
    const missing = (['UDP', 'TCP'] as const).filter((protocol) => !reachesKubeDns[protocol]);
    const ports = missing.map((protocol) => `${protocol} ${DNS_PORT}`).join(' and ');
    if (missing.length > 0) unresolved.set(ports, [...(unresolved.get(ports) ?? []), name]);
  }
  return [
    ...[...outside].map(
      ([where, names]) => `the NetworkPolicies of ${[...names].join(', ')} allow port ${DNS_PORT} to ${where}: allow DNS only to the kube-dns pods (k8s-app: kube-dns) of namespace kube-system`,
    ),
    ...[...unresolved].map(
      ([ports, names]) =>
        `${names.join(', ')} cannot ask kube-dns on ${ports} yet, so they would not resolve Service names: allow UDP and TCP ${DNS_PORT} to the kube-dns pods of kube-system in HardenedWorkload`,
    ),
    ...(await gateProblems(manifests, 'dev')),
  ];
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
    title: 'Resolve names only through the cluster DNS',
    check: (input) => dnsProblems(manifestsOf(input)),
  },
];
