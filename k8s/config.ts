/**
 * Typed, validated configuration of the Kubernetes charts.
 *
 * Every knob is a flat setting (`webReplicas`, `kafkaMemoryLimit`, ...) with a default per profile.
 * A learner overrides one with an environment variable named after it (`K8S_WEB_REPLICAS=2`), which
 * works the same for `npm run k8s:synth`, `npm run k8s:check` and `npx cdk8s synth`; exercises and tests
 * pass `overrides` in-process. Everything is validated before a single construct is built.
 */
import { coversWholeInternet, formatNetwork, networkOf, parseIpv4Cidr } from '../common/cidr';
import { ConfigError, ConfigReader } from '../common/config';
import { PROFILES, type Profile } from '../common/profiles';
import { cpuMillis, formatCpu, formatMemory, mebibytes } from './quantity';

export { PROFILES, type Profile };

/** CPU in millicores and memory in MiB, as requested from and limited by the scheduler. */
export interface ResourceSettings {
  readonly cpuRequest: number;
  readonly cpuLimit: number;
  readonly memoryRequest: number;
  readonly memoryLimit: number;
}

export interface WorkloadSettings {
  readonly image: string;
  readonly replicas: number;
  readonly resources: ResourceSettings;
}

export interface ClusterSettings {
  /** GatewayClass of the charts' Gateways: `eg` for Envoy Gateway (kind, minikube), a `gke-l7-...` class on GKE. */
  readonly gatewayClass: string;
  /** Namespace of the gateway's proxy pods (Envoy Gateway's), the only in-cluster peer allowed to reach the front ends. */
  readonly gatewayNamespace: string;
  /**
   * Where a cloud load balancer's traffic comes from (GKE's: 35.191.0.0/16, 130.211.0.0/22): when set, the
   * front ends admit these ranges instead of the proxy pods of `gatewayNamespace`.
   */
  readonly gatewaySourceRanges: readonly string[];
  readonly clusterDomain: string;
  /** StorageClass of the brokers' volumes; undefined uses the cluster default. */
  readonly storageClass?: string;
  /**
   * prod: replicas of a workload must run on different nodes, so one node's failure or drain takes one
   * replica at most. dev only prefers it: a one-node kind or minikube cluster must schedule them all.
   */
  readonly replicasOnSeparateNodes: boolean;
}

export interface WebAppSettings extends WorkloadSettings {
  readonly namespace: string;
  readonly host: string;
  readonly port: number;
  /** The path the probes ask; the kit's NGINX serves /health, a learner's Flask or FastAPI app its own. */
  readonly healthPath: string;
  /** The numeric non-root user the image runs as (its Dockerfile's USER). */
  readonly user: number;
  readonly maxReplicas: number;
  readonly message: string;
  /** The Secret (type kubernetes.io/tls) its Gateway serves HTTPS with; undefined serves plain HTTP (dev). */
  readonly tlsSecret?: string;
}

export interface OrderProcessingSettings {
  readonly namespace: string;
  readonly host: string;
  /** As the web app's: HTTPS with this TLS Secret, or plain HTTP when undefined. */
  readonly tlsSecret?: string;
  readonly frontend: WorkloadSettings & { readonly port: number };
  readonly validator: WorkloadSettings & { readonly port: number };
  readonly rabbitmqConsumer: WorkloadSettings & { readonly healthPort: number };
  readonly kafkaConsumer: WorkloadSettings & { readonly healthPort: number };
  readonly rabbitmq: WorkloadSettings & { readonly storage: number; readonly credentialsSecret: string };
  readonly kafka: WorkloadSettings & { readonly storage: number; readonly clusterId: string };
  /** prod keeps broker volumes when a StatefulSet is deleted or scaled down; dev deletes them. */
  readonly retainData: boolean;
}

export interface KitConfig {
  readonly profile: Profile;
  readonly cluster: ClusterSettings;
  readonly webApp: WebAppSettings;
  readonly orderProcessing: OrderProcessingSettings;
}

const WORKLOADS = ['web', 'frontend', 'validator', 'rabbitmqConsumer', 'kafkaConsumer', 'rabbitmq', 'kafka'] as const;
type Workload = (typeof WORKLOADS)[number];

/** One workload's defaults: image, replicas, [request, limit] for CPU and memory. */
interface WorkloadDefaults {
  readonly image: string;
  readonly replicas: number;
  readonly cpu: readonly [string, string];
  readonly memory: readonly [string, string];
}

// Learner-built images (course step 6) carry a fixed tag so `kind load docker-image` and
// imagePullPolicy IfNotPresent find exactly what was built.
const IMAGES: Record<Workload, string> = {
  web: 'nginxinc/nginx-unprivileged:1.29.4-alpine',
  frontend: 'order-frontend:0.1.0',
  validator: 'order-validator:0.1.0',
  rabbitmqConsumer: 'order-rabbitmq-consumer:0.1.0',
  kafkaConsumer: 'order-kafka-consumer:0.1.0',
  rabbitmq: 'rabbitmq:4.1.4-management',
  kafka: 'apache/kafka:3.9.0',
};

// dev fits a 2-CPU / 4 GiB kind or minikube node next to the system pods; prod is highly available.
const WORKLOAD_DEFAULTS: Record<Profile, Record<Workload, Omit<WorkloadDefaults, 'image'>>> = {
  dev: {
    web: { replicas: 1, cpu: ['50m', '200m'], memory: ['32Mi', '64Mi'] },
    frontend: { replicas: 1, cpu: ['100m', '500m'], memory: ['128Mi', '256Mi'] },
    validator: { replicas: 1, cpu: ['50m', '250m'], memory: ['96Mi', '192Mi'] },
    rabbitmqConsumer: { replicas: 1, cpu: ['50m', '250m'], memory: ['64Mi', '128Mi'] },
    kafkaConsumer: { replicas: 1, cpu: ['50m', '250m'], memory: ['64Mi', '128Mi'] },
    rabbitmq: { replicas: 1, cpu: ['200m', '1'], memory: ['384Mi', '512Mi'] },
    kafka: { replicas: 1, cpu: ['250m', '1'], memory: ['768Mi', '1Gi'] },
  },
  prod: {
    web: { replicas: 3, cpu: ['100m', '500m'], memory: ['64Mi', '128Mi'] },
    frontend: { replicas: 3, cpu: ['250m', '1'], memory: ['256Mi', '512Mi'] },
    validator: { replicas: 3, cpu: ['100m', '500m'], memory: ['128Mi', '256Mi'] },
    rabbitmqConsumer: { replicas: 2, cpu: ['100m', '500m'], memory: ['128Mi', '256Mi'] },
    kafkaConsumer: { replicas: 2, cpu: ['100m', '500m'], memory: ['128Mi', '256Mi'] },
    rabbitmq: { replicas: 3, cpu: ['500m', '2'], memory: ['1Gi', '2Gi'] },
    kafka: { replicas: 3, cpu: ['500m', '2'], memory: ['2Gi', '2Gi'] },
  },
};

type Value = string | number;

const SHARED_DEFAULTS: Record<string, Value> = {
  gatewayClass: 'eg',
  gatewayNamespace: 'envoy-gateway-system',
  gatewaySourceRanges: '',
  clusterDomain: 'cluster.local',
  storageClass: '',
  webNamespace: 'web-app',
  webHost: 'web-app.localhost',
  webPort: 8080,
  webHealthPath: '/health',
  // nginx-unprivileged's user.
  webUser: 101,
  webMessage: 'Hello from iac-lab-kit on Kubernetes',
  ordersNamespace: 'order-processing',
  ordersHost: 'orders.localhost',
  frontendPort: 5000,
  validatorPort: 50051,
  consumerHealthPort: 8080,
  rabbitmqSecret: 'rabbitmq-credentials',
  // A fixed KRaft cluster id (22 characters of base64url) keeps the YAML deterministic; any value works once.
  kafkaClusterId: 'b3JkZXItcHJvY2Vzc2luZw',
};

const PROFILE_DEFAULTS: Record<Profile, Record<string, Value>> = {
  // dev serves plain HTTP on a laptop; prod serves HTTPS with the TLS Secret you create (see the guides).
  dev: { webMaxReplicas: 3, rabbitmqStorage: '1Gi', kafkaStorage: '2Gi', webTlsSecret: '', ordersTlsSecret: '' },
  prod: { webMaxReplicas: 10, rabbitmqStorage: '8Gi', kafkaStorage: '20Gi', webTlsSecret: 'web-app-tls', ordersTlsSecret: 'order-processing-tls' },
};

function defaultsFor(profile: Profile): Record<string, Value> {
  const settings: Record<string, Value> = { ...SHARED_DEFAULTS, ...PROFILE_DEFAULTS[profile] };
  for (const workload of WORKLOADS) {
    const d = WORKLOAD_DEFAULTS[profile][workload];
    settings[`${workload}Image`] = IMAGES[workload];
    settings[`${workload}Replicas`] = d.replicas;
    settings[`${workload}CpuRequest`] = d.cpu[0];
    settings[`${workload}CpuLimit`] = d.cpu[1];
    settings[`${workload}MemoryRequest`] = d.memory[0];
    settings[`${workload}MemoryLimit`] = d.memory[1];
  }
  return settings;
}

/** Every setting a learner can override, in documentation order. */
export const SETTING_KEYS: readonly string[] = Object.keys(defaultsFor('dev'));

/** `webCpuRequest` -> `K8S_WEB_CPU_REQUEST`. */
export function envName(key: string): string {
  return `K8S_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The exact command that sets `key`, printed in every configuration error. */
export function fixCommand(key: string, example: string): string {
  return `${envName(key)}=${shellWord(example)} npm run k8s:synth   (the same variable works for npx cdk8s synth)`;
}

const reader = new ConfigReader(fixCommand);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// [registry[:port]/]path, then a tag (not `latest`: it moves under you) and/or a sha256 digest.
const IMAGE = /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::(?!latest(?:@|$))\w[\w.-]{0,127}(?:@sha256:[a-f0-9]{64})?|@sha256:[a-f0-9]{64})$/;

function image(workload: Workload, value: unknown): string {
  const key = `${workload}Image`;
  if (typeof value === 'string' && IMAGE.test(value)) return value;
  return reader.fail(key, value, 'an image reference pinned by a tag other than latest (or a digest), e.g. name:1.2.3', IMAGES[workload]);
}

function cpu(key: string, value: unknown): number {
  return cpuMillis(value) ?? reader.fail(key, value, 'a CPU quantity in cores or millicores, e.g. 250m or 0.5', '250m');
}

function memory(key: string, value: unknown): number {
  return mebibytes(value) ?? reader.fail(key, value, 'a memory quantity in Mi or Gi, e.g. 256Mi or 1Gi', '256Mi');
}

function resources(workload: Workload, raw: Record<string, unknown>): ResourceSettings {
  const r = {
    cpuRequest: cpu(`${workload}CpuRequest`, raw[`${workload}CpuRequest`]),
    cpuLimit: cpu(`${workload}CpuLimit`, raw[`${workload}CpuLimit`]),
    memoryRequest: memory(`${workload}MemoryRequest`, raw[`${workload}MemoryRequest`]),
    memoryLimit: memory(`${workload}MemoryLimit`, raw[`${workload}MemoryLimit`]),
  };
  // The API server rejects a request above its limit; say so before kubectl does.
  if (r.cpuRequest > r.cpuLimit) {
    reader.fail(`${workload}CpuRequest`, raw[`${workload}CpuRequest`], `at most ${workload}CpuLimit (${formatCpu(r.cpuLimit)})`, formatCpu(r.cpuLimit));
  }
  if (r.memoryRequest > r.memoryLimit) {
    reader.fail(
      `${workload}MemoryRequest`,
      raw[`${workload}MemoryRequest`],
      `at most ${workload}MemoryLimit (${formatMemory(r.memoryLimit)})`,
      formatMemory(r.memoryLimit),
    );
  }
  return r;
}

function workload(name: Workload, raw: Record<string, unknown>, maxReplicas = 10): WorkloadSettings {
  return {
    image: image(name, raw[`${name}Image`]),
    replicas: reader.integer(`${name}Replicas`, raw[`${name}Replicas`], 1, maxReplicas),
    resources: resources(name, raw),
  };
}

/** Brokers form a quorum (KRaft controllers, RabbitMQ quorum queues): an odd member count. */
function broker(name: 'rabbitmq' | 'kafka', raw: Record<string, unknown>): WorkloadSettings {
  const settings = workload(name, raw, 5);
  if (settings.replicas % 2 === 0) reader.fail(`${name}Replicas`, raw[`${name}Replicas`], '1, 3 or 5 (an odd quorum)', '3');
  return settings;
}

function port(key: string, value: unknown): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535) return n;
  return reader.fail(key, value, 'a port number from 1 to 65535', String(SHARED_DEFAULTS[key]));
}

function label(key: string, value: unknown): string {
  return reader.matching(key, value, DNS_LABEL, 'a DNS label: lowercase letters, digits and -, at most 63 characters', String(SHARED_DEFAULTS[key]));
}

function subdomain(key: string, value: unknown, example = String(SHARED_DEFAULTS[key])): string {
  return reader.matching(key, value, DNS_SUBDOMAIN, 'a DNS name: lowercase letters, digits, - and .', example);
}

/** Empty means none (plain HTTP); otherwise the name of a Secret. */
function optionalSubdomain(key: string, value: unknown, example: string): string | undefined {
  return value === '' ? undefined : subdomain(key, value, example);
}

/** Comma-separated IPv4 CIDR blocks, network addresses only, that together leave most of the internet out. */
function cidrList(key: string, value: unknown): string[] {
  if (value === '') return [];
  const example = '35.191.0.0/16,130.211.0.0/22';
  const cidrs = typeof value === 'string' ? value.split(',').map((c) => c.trim()) : [];
  const blocks = cidrs.map(parseIpv4Cidr);
  if (cidrs.length === 0 || blocks.some((b) => b === undefined || b.prefix === 0)) {
    return reader.fail(key, value, `comma-separated IPv4 CIDR blocks narrower than /0, e.g. ${example} (GKE's load balancers)`, example);
  }
  const withHostBits = blocks.find((b) => networkOf(b!) !== b!.address);
  if (withHostBits) return reader.fail(key, value, `network addresses with no host bits set (${formatNetwork(withHostBits)})`, example);
  if (coversWholeInternet(cidrs)) return reader.fail(key, value, 'blocks that leave most of the internet out: together these admit every address, as 0.0.0.0/0 would', example);
  return cidrs;
}

function storage(key: string, value: unknown): number {
  return mebibytes(value) ?? reader.fail(key, value, 'a volume size in Mi or Gi, e.g. 2Gi', '2Gi');
}

/** Profile defaults with `overrides` applied, validated and shaped for the charts. */
export function resolveConfig(profile: unknown = 'dev', overrides: Record<string, unknown> = {}): KitConfig {
  const chosen = reader.oneOf('profile', profile, PROFILES);
  for (const key of Object.keys(overrides)) {
    if (!SETTING_KEYS.includes(key)) unknownSetting(key, overrides[key]);
  }
  const raw: Record<string, unknown> = { ...defaultsFor(chosen), ...overrides };

  const web = workload('web', raw);
  const maxReplicas = reader.integer('webMaxReplicas', raw.webMaxReplicas, web.replicas, 20);
  const message = reader.matching('webMessage', raw.webMessage, /^[^\n\r<>&"'\\]{1,200}$/, 'one line of text, up to 200 characters, without < > & " \' or \\', 'Hello');
  const storageClass = raw.storageClass === '' ? undefined : subdomain('storageClass', raw.storageClass, 'standard');

  return {
    profile: chosen,
    cluster: {
      gatewayClass: subdomain('gatewayClass', raw.gatewayClass),
      gatewayNamespace: label('gatewayNamespace', raw.gatewayNamespace),
      gatewaySourceRanges: cidrList('gatewaySourceRanges', raw.gatewaySourceRanges),
      clusterDomain: subdomain('clusterDomain', raw.clusterDomain),
      storageClass,
      replicasOnSeparateNodes: chosen === 'prod',
    },
    webApp: {
      ...web,
      namespace: label('webNamespace', raw.webNamespace),
      host: subdomain('webHost', raw.webHost),
      port: port('webPort', raw.webPort),
      healthPath: reader.matching('webHealthPath', raw.webHealthPath, /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,255}$/, 'an absolute URL path such as /healthz (no query string)', '/healthz'),
      user: reader.integer('webUser', raw.webUser, 1, 2147483647),
      maxReplicas,
      message,
      tlsSecret: optionalSubdomain('webTlsSecret', raw.webTlsSecret, 'web-app-tls'),
    },
    orderProcessing: {
      namespace: label('ordersNamespace', raw.ordersNamespace),
      host: subdomain('ordersHost', raw.ordersHost),
      tlsSecret: optionalSubdomain('ordersTlsSecret', raw.ordersTlsSecret, 'order-processing-tls'),
      frontend: { ...workload('frontend', raw), port: port('frontendPort', raw.frontendPort) },
      validator: { ...workload('validator', raw), port: port('validatorPort', raw.validatorPort) },
      rabbitmqConsumer: { ...workload('rabbitmqConsumer', raw), healthPort: port('consumerHealthPort', raw.consumerHealthPort) },
      kafkaConsumer: { ...workload('kafkaConsumer', raw), healthPort: port('consumerHealthPort', raw.consumerHealthPort) },
      rabbitmq: {
        ...broker('rabbitmq', raw),
        storage: storage('rabbitmqStorage', raw.rabbitmqStorage),
        credentialsSecret: subdomain('rabbitmqSecret', raw.rabbitmqSecret),
      },
      kafka: {
        ...broker('kafka', raw),
        storage: storage('kafkaStorage', raw.kafkaStorage),
        clusterId: reader.matching('kafkaClusterId', raw.kafkaClusterId, /^[A-Za-z0-9_-]{22}$/, '22 characters of base64url (kafka-storage.sh random-uuid prints one)', 'b3JkZXItcHJvY2Vzc2luZw'),
      },
      retainData: chosen === 'prod',
    },
  };
}

function unknownSetting(name: string, value: unknown): never {
  const closest = closestSetting(name);
  throw new ConfigError(
    name,
    value,
    `one of the settings listed in README.md, "Kubernetes settings"${closest ? ` (did you mean ${closest}?)` : ''}`,
    closest ? `rename it to ${closest}` : 'remove it',
  );
}

function closestSetting(name: string): string | undefined {
  const asEnv = name.startsWith('K8S_');
  const candidates = ['profile', ...SETTING_KEYS].map((k) => (asEnv ? envName(k) : k));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best && best.distance <= 3 ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

export interface EnvironmentChoice {
  /** The profiles to synthesize: the one named by K8S_PROFILE, or both. */
  readonly profiles: readonly Profile[];
  readonly overrides: Record<string, string>;
}

/** Reads K8S_PROFILE and the K8S_<SETTING> overrides; an unknown K8S_ variable is a typo, not silence. */
export function configFromEnvironment(env: NodeJS.ProcessEnv): EnvironmentChoice {
  const byEnvName = new Map(SETTING_KEYS.map((key) => [envName(key), key]));
  const overrides: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('K8S_') || name === 'K8S_PROFILE' || value === undefined) continue;
    const key = byEnvName.get(name);
    if (!key) unknownSetting(name, value);
    overrides[key] = value;
  }
  const profile = env.K8S_PROFILE;
  const profiles = profile === undefined || profile === '' ? PROFILES : [reader.oneOf('profile', profile, PROFILES)];
  return { profiles, overrides };
}
