import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterSettings, OrderProcessingSettings, Profile } from './config';
import { HardenedWorkload, HardenedWorkloadProps } from './hardened-workload';
import { GatewayEntrance } from './gateway-entrance';
import { gatewayPeers } from './gateway-proxy';
import { KAFKA_PORT, KafkaBroker } from './kafka-broker';
import { chartLabels, configHashAnnotation } from './metadata';
import { AMQP_PORT, RabbitMqBroker } from './rabbitmq-broker';
import { SecureNamespace } from './secure-namespace';

export interface OrderProcessingChartProps {
  readonly profile: Profile;
  readonly cluster: ClusterSettings;
  readonly settings: OrderProcessingSettings;
}

// The apps' images run as this uid (labs/order-processing/services: USER 10001:10001).
const APP_USER = 10001;
/** The apps' health contract: alive while the process answers; ready while every dependency is up. */
const LIVENESS_PATH = '/healthz';
const READINESS_PATH = '/readyz';
/** Where the apps read the RabbitMQ login: files of the mounted Secret, never variables. */
const RABBITMQ_SECRET_DIR = '/var/run/secrets/order-processing/rabbitmq';
/** The virtual host the broker creates on first start, with the login user's permissions on it. */
export const RABBITMQ_VHOST = 'order-processing';
/** The queue orders go through: the only one the apps' RabbitMQ user may use. */
export const RABBITMQ_QUEUE = 'orders';

/**
 * The course's integrated project: a front end takes orders over HTTP, validates them with a gRPC
 * service, publishes them to RabbitMQ (immediate work) and Kafka (analytics), and a consumer drains
 * each broker. Only those flows are open; everything else in the namespace is denied both ways.
 */
export class OrderProcessingChart extends Chart {
  readonly settingsMap: kplus.ConfigMap;
  readonly frontend: HardenedWorkload;
  readonly validator: HardenedWorkload;
  readonly rabbitmqConsumer: HardenedWorkload;
  readonly kafkaConsumer: HardenedWorkload;
  readonly rabbitmq: RabbitMqBroker;
  readonly kafka: KafkaBroker;
  readonly frontendService: kplus.Service;
  readonly validatorService: kplus.Service;
  readonly entrance: GatewayEntrance;

  constructor(scope: Construct, id: string, props: OrderProcessingChartProps) {
    super(scope, id, { labels: chartLabels('order-processing', props.profile) });
    const { settings: s, cluster } = props;
    const namespace = s.namespace;
    new SecureNamespace(this, 'Namespace', { name: namespace });

    // Created by the learner (see the lab guide), never synthesized: no credential ever lands in dist/ or git.
    const credentials = kplus.Secret.fromSecretName(this, 'Credentials', s.rabbitmq.credentialsSecret);
    const brokerStorage = {
      storageClass: cluster.storageClass,
      retainData: s.retainData,
      clusterDomain: cluster.clusterDomain,
      namespace,
      replicasOnSeparateNodes: cluster.replicasOnSeparateNodes,
    };
    this.rabbitmq = new RabbitMqBroker(this, 'RabbitMq', { ...brokerStorage, settings: s.rabbitmq, storageMebibytes: s.rabbitmq.storage, credentials, vhost: RABBITMQ_VHOST, queue: RABBITMQ_QUEUE });
    this.kafka = new KafkaBroker(this, 'Kafka', { ...brokerStorage, settings: s.kafka, storageMebibytes: s.kafka.storage, clusterId: s.kafka.clusterId });

    // What the apps read (labs/order-processing/services/*/src/config.ts), one ConfigMap for all of
    // them; each container gets exactly the keys its app reads.
    const appSettings = {
      RABBITMQ_HOST: this.rabbitmq.service.name,
      RABBITMQ_PORT: String(AMQP_PORT),
      RABBITMQ_VHOST,
      RABBITMQ_QUEUE,
      RABBITMQ_USERNAME_FILE: `${RABBITMQ_SECRET_DIR}/username`,
      RABBITMQ_PASSWORD_FILE: `${RABBITMQ_SECRET_DIR}/password`,
      KAFKA_BOOTSTRAP_SERVERS: `${this.kafka.service.name}:${KAFKA_PORT}`,
      KAFKA_TOPIC: 'orders',
      KAFKA_GROUP_ID: 'order-analytics',
      VALIDATOR_ADDRESS: `order-validator:${s.validator.port}`,
    };
    type SettingKey = keyof typeof appSettings;
    this.settingsMap = new kplus.ConfigMap(this, 'AppSettings', { metadata: { name: 'order-processing-settings', namespace }, data: appSettings });
    const fromSettings = (...keys: SettingKey[]) => Object.fromEntries(keys.map((key) => [key, kplus.EnvValue.fromConfigMap(this.settingsMap, key)]));
    const RABBITMQ_KEYS: SettingKey[] = ['RABBITMQ_HOST', 'RABBITMQ_PORT', 'RABBITMQ_VHOST', 'RABBITMQ_QUEUE', 'RABBITMQ_USERNAME_FILE', 'RABBITMQ_PASSWORD_FILE'];
    const KAFKA_KEYS: SettingKey[] = ['KAFKA_BOOTSTRAP_SERVERS', 'KAFKA_TOPIC'];
    // Only the apps' login, read-only, as the files `username` and `password`: the administrator's
    // login and the Erlang cookie in the same Secret stay with the broker.
    const rabbitmqLogin = kplus.Volume.fromSecret(this, 'RabbitMqLogin', credentials, {
      name: 'rabbitmq-login',
      items: { 'app-username': { path: 'username' }, 'app-password': { path: 'password' } },
    });
    const app = (id: string, name: string, component: string, props: Omit<HardenedWorkloadProps, 'name' | 'component' | 'namespace'>) =>
      new HardenedWorkload(this, id, {
        ...props,
        name,
        component,
        namespace,
        user: APP_USER,
        replicasOnSeparateNodes: cluster.replicasOnSeparateNodes,
        podAnnotations: configHashAnnotation(appSettings),
      });
    const healthProbes = (port: number) => ({
      startup: { httpGet: LIVENESS_PATH, port },
      readiness: { httpGet: READINESS_PATH, port },
      liveness: { httpGet: LIVENESS_PATH, port },
    });

    this.frontend = app('Frontend', 'order-frontend', 'frontend', {
      settings: s.frontend,
      ports: [{ number: s.frontend.port, name: 'http' }],
      ...healthProbes(s.frontend.port),
      envVariables: { PORT: kplus.EnvValue.fromValue(String(s.frontend.port)), ...fromSettings('VALIDATOR_ADDRESS', ...RABBITMQ_KEYS, ...KAFKA_KEYS) },
    });
    this.frontend.container.mount(RABBITMQ_SECRET_DIR, rabbitmqLogin, { readOnly: true });
    // gRPC probes call grpc.health.v1.Health/Check: the validator implements the standard health service.
    this.validator = app('Validator', 'order-validator', 'validator', {
      settings: s.validator,
      ports: [{ number: s.validator.port, name: 'grpc' }],
      readiness: { grpc: s.validator.port },
      liveness: { grpc: s.validator.port },
      envVariables: { PORT: kplus.EnvValue.fromValue(String(s.validator.port)) },
    });
    const consumer = (settings: typeof s.rabbitmqConsumer, ...keys: SettingKey[]) => ({
      settings,
      ports: [{ number: settings.healthPort, name: 'health' }],
      ...healthProbes(settings.healthPort),
      envVariables: { HEALTH_PORT: kplus.EnvValue.fromValue(String(settings.healthPort)), ...fromSettings(...keys) },
    });
    this.rabbitmqConsumer = app('RabbitMqConsumer', 'order-rabbitmq-consumer', 'consumer', consumer(s.rabbitmqConsumer, ...RABBITMQ_KEYS));
    this.rabbitmqConsumer.container.mount(RABBITMQ_SECRET_DIR, rabbitmqLogin, { readOnly: true });
    this.kafkaConsumer = app('KafkaConsumer', 'order-kafka-consumer', 'consumer', consumer(s.kafkaConsumer, ...KAFKA_KEYS, 'KAFKA_GROUP_ID'));

    const frontend = this.frontend.workload as kplus.Deployment;
    this.frontendService = frontend.exposeViaService({
      name: 'order-frontend',
      ports: [{ name: 'http', port: 80, targetPort: s.frontend.port }],
    });
    this.validatorService = (this.validator.workload as kplus.Deployment).exposeViaService({
      name: 'order-validator',
      ports: [{ name: 'grpc', port: s.validator.port, targetPort: s.validator.port }],
    });
    this.entrance = new GatewayEntrance(this, 'Entrance', {
      name: 'order-frontend',
      namespace,
      host: s.host,
      gatewayClass: cluster.gatewayClass,
      service: this.frontendService,
      port: 80,
      tlsSecret: s.tlsSecret,
    });

    // The only flows of the system; the namespace and every pod deny the rest.
    for (const peer of gatewayPeers(this, cluster)) frontend.connections.allowFrom(peer, { isolation: kplus.PodConnectionsIsolation.POD });
    frontend.connections.allowTo(this.validator.workload, { ports: [kplus.NetworkPolicyPort.tcp(s.validator.port)] });
    this.rabbitmq.allowClient(frontend);
    this.kafka.allowClient(frontend);
    this.rabbitmq.allowClient(this.rabbitmqConsumer.workload);
    this.kafka.allowClient(this.kafkaConsumer.workload);
  }
}
