import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterSettings, OrderProcessingSettings, Profile } from './config';
import { HardenedWorkload, HardenedWorkloadProps } from './hardened-workload';
import { ingressController } from './ingress-controller';
import { KAFKA_PORT, KafkaBroker } from './kafka-broker';
import { chartLabels, configHashAnnotation } from './metadata';
import { AMQP_PORT, RabbitMqBroker } from './rabbitmq-broker';
import { SecureNamespace } from './secure-namespace';

export interface OrderProcessingChartProps {
  readonly profile: Profile;
  readonly cluster: ClusterSettings;
  readonly settings: OrderProcessingSettings;
}

// The learner's images run as this uid whatever their Dockerfile says (Pod Security: non-root).
const APP_USER = 10001;
const HEALTH_PATH = '/health';

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
  readonly ingress: kplus.Ingress;

  constructor(scope: Construct, id: string, props: OrderProcessingChartProps) {
    super(scope, id, { labels: chartLabels('order-processing', props.profile) });
    const { settings: s, cluster } = props;
    const namespace = s.namespace;
    new SecureNamespace(this, 'Namespace', { name: namespace });

    // Created by the learner (see the lab guide), never synthesized: no credential ever lands in dist/ or git.
    const credentials = kplus.Secret.fromSecretName(this, 'Credentials', s.rabbitmq.credentialsSecret);
    const brokerStorage = { storageClass: cluster.storageClass, retainData: s.retainData, clusterDomain: cluster.clusterDomain, namespace };
    this.rabbitmq = new RabbitMqBroker(this, 'RabbitMq', { ...brokerStorage, settings: s.rabbitmq, storageMebibytes: s.rabbitmq.storage, credentials });
    this.kafka = new KafkaBroker(this, 'Kafka', { ...brokerStorage, settings: s.kafka, storageMebibytes: s.kafka.storage, clusterId: s.kafka.clusterId });

    // What the learner's apps read (course step 6), one ConfigMap for all of them.
    const appSettings = {
      RABBITMQ_HOST: this.rabbitmq.service.name,
      RABBITMQ_PORT: String(AMQP_PORT),
      RABBITMQ_QUEUE: 'orders',
      KAFKA_BOOTSTRAP_SERVERS: `${this.kafka.service.name}:${KAFKA_PORT}`,
      KAFKA_TOPIC: 'orders',
      VALIDATOR_ADDRESS: `order-validator:${s.validator.port}`,
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
    };
    this.settingsMap = new kplus.ConfigMap(this, 'AppSettings', { metadata: { name: 'order-processing-settings', namespace }, data: appSettings });
    const rabbitmqLogin = {
      RABBITMQ_USER: credentials.envValue('username'),
      RABBITMQ_PASSWORD: credentials.envValue('password'),
    };
    const app = (id: string, name: string, component: string, props: Omit<HardenedWorkloadProps, 'name' | 'component' | 'namespace'>) => {
      const workload = new HardenedWorkload(this, id, {
        ...props,
        name,
        component,
        namespace,
        user: APP_USER,
        podAnnotations: configHashAnnotation(appSettings),
      });
      workload.container.env.copyFrom(kplus.Env.fromConfigMap(this.settingsMap));
      return workload;
    };

    this.frontend = app('Frontend', 'order-frontend', 'frontend', {
      settings: s.frontend,
      ports: [{ number: s.frontend.port, name: 'http' }],
      readiness: { httpGet: HEALTH_PATH, port: s.frontend.port },
      liveness: { httpGet: HEALTH_PATH, port: s.frontend.port },
      envVariables: { PORT: kplus.EnvValue.fromValue(String(s.frontend.port)), ...rabbitmqLogin },
    });
    // gRPC probes call grpc.health.v1.Health/Check: the validator must implement the standard health service.
    this.validator = app('Validator', 'order-validator', 'validator', {
      settings: s.validator,
      ports: [{ number: s.validator.port, name: 'grpc' }],
      readiness: { grpc: s.validator.port },
      liveness: { grpc: s.validator.port },
      envVariables: { PORT: kplus.EnvValue.fromValue(String(s.validator.port)) },
    });
    const consumer = (settings: typeof s.rabbitmqConsumer) => ({
      settings,
      ports: [{ number: settings.healthPort, name: 'health' }],
      readiness: { httpGet: HEALTH_PATH, port: settings.healthPort },
      liveness: { httpGet: HEALTH_PATH, port: settings.healthPort },
      envVariables: { HEALTH_PORT: kplus.EnvValue.fromValue(String(settings.healthPort)) },
    });
    this.rabbitmqConsumer = app('RabbitMqConsumer', 'rabbitmq-consumer', 'consumer', {
      ...consumer(s.rabbitmqConsumer),
      envVariables: { ...consumer(s.rabbitmqConsumer).envVariables, ...rabbitmqLogin },
    });
    this.kafkaConsumer = app('KafkaConsumer', 'kafka-consumer', 'consumer', consumer(s.kafkaConsumer));

    const frontend = this.frontend.workload as kplus.Deployment;
    this.frontendService = frontend.exposeViaService({
      name: 'order-frontend',
      ports: [{ name: 'http', port: 80, targetPort: s.frontend.port }],
    });
    this.validatorService = (this.validator.workload as kplus.Deployment).exposeViaService({
      name: 'order-validator',
      ports: [{ name: 'grpc', port: s.validator.port, targetPort: s.validator.port }],
    });
    this.ingress = new kplus.Ingress(this, 'Ingress', {
      metadata: { name: 'order-frontend', namespace },
      className: cluster.ingressClass,
      rules: [{ host: s.host, path: '/', pathType: kplus.HttpIngressPathType.PREFIX, backend: kplus.IngressBackend.fromService(this.frontendService) }],
    });

    // The only flows of the system; the namespace and every pod deny the rest.
    frontend.connections.allowFrom(ingressController(this, cluster), { isolation: kplus.PodConnectionsIsolation.POD });
    frontend.connections.allowTo(this.validator.workload, { ports: [kplus.NetworkPolicyPort.tcp(s.validator.port)] });
    this.rabbitmq.allowClient(frontend);
    this.kafka.allowClient(frontend);
    this.rabbitmq.allowClient(this.rabbitmqConsumer.workload);
    this.kafka.allowClient(this.kafkaConsumer.workload);
  }
}
