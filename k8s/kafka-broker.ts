import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { BrokerProps, brokerPodDnsName, brokerVolume } from './broker';
import { HardenedWorkload } from './hardened-workload';
import { configHashAnnotation } from './metadata';
import { MIB } from './quantity';

export interface KafkaBrokerProps extends BrokerProps {
  /** The KRaft cluster id every node formats its storage with. */
  readonly clusterId: string;
}

export const KAFKA_PORT = 9092;
const CONTROLLER_PORT = 9093;
// The official image's appuser.
const KAFKA_USER = 1000;
const SEGMENT_MEBIBYTES = 64;

/**
 * Apache Kafka from the official image in KRaft mode (no ZooKeeper): every node is broker and
 * controller, with its own volume. The image writes its generated configuration and logs under
 * /opt/kafka, so those get emptyDirs and the root filesystem stays read-only.
 */
export class KafkaBroker extends Construct {
  readonly broker: HardenedWorkload;
  /** The ClusterIP Service clients bootstrap from (`kafka:9092`). */
  readonly service: kplus.Service;
  readonly config: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: KafkaBrokerProps) {
    super(scope, id);
    const name = 'kafka';
    const fqdn = (pod: string) => brokerPodDnsName(name, props, pod);
    const replicas = props.settings.replicas;
    const voters = Array.from({ length: replicas }, (_, i) => `${i}@${fqdn(`${name}-${i}`)}:${CONTROLLER_PORT}`);
    const replication = String(Math.min(3, replicas));
    const minInSync = replicas > 1 ? '2' : '1';
    // The image turns KAFKA_FOO_BAR into foo.bar in its generated server.properties.
    const data = {
      CLUSTER_ID: props.clusterId,
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://:${KAFKA_PORT},CONTROLLER://:${CONTROLLER_PORT}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: voters.join(','),
      // A subfolder: a fresh ext4 volume holds lost+found, which Kafka would take for a broken partition.
      KAFKA_LOG_DIRS: '/var/lib/kafka/data/logs',
      KAFKA_DEFAULT_REPLICATION_FACTOR: replication,
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: replication,
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: replication,
      KAFKA_MIN_INSYNC_REPLICAS: minInSync,
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: minInSync,
      // No GC log files: kafka-server-start.sh adds -loggc (rotated files up to 1 GB under /opt/kafka/logs,
      // a small emptyDir here) unless EXTRA_ARGS is set; the image's own log4j config logs to the console.
      EXTRA_ARGS: '-name kafkaServer',
      // The volume must never fill, whatever the lab's traffic: the orders topic (one partition, auto-created)
      // keeps at most half the volume, deleted in 64 MiB segments (the default 1 GiB segment alone would
      // take half of dev's 2 GiB); the rest is the offsets topic (compacted) and room to roll a segment.
      KAFKA_LOG_SEGMENT_BYTES: String(SEGMENT_MEBIBYTES * MIB),
      KAFKA_LOG_RETENTION_BYTES: String(Math.floor(props.storageMebibytes / 2) * MIB),
      // Half the container limit for the heap; the rest is page cache and JVM overhead.
      KAFKA_HEAP_OPTS: `-Xms${Math.floor(props.settings.resources.memoryLimit / 2)}m -Xmx${Math.floor(props.settings.resources.memoryLimit / 2)}m`,
    };
    this.config = new kplus.ConfigMap(this, 'Config', { metadata: { name: `${name}-config`, namespace: props.namespace }, data });

    this.broker = new HardenedWorkload(this, 'Broker', {
      name,
      component: 'broker',
      namespace: props.namespace,
      settings: props.settings,
      replicasOnSeparateNodes: props.replicasOnSeparateNodes,
      user: KAFKA_USER,
      ports: [
        { number: KAFKA_PORT, name: 'kafka' },
        { number: CONTROLLER_PORT, name: 'controller' },
      ],
      startupSeconds: 180,
      readiness: { tcp: KAFKA_PORT },
      liveness: { tcp: KAFKA_PORT },
      envVariables: {
        POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
        // The StatefulSet ordinal (label set by Kubernetes 1.28+), so kafka-0 is node 0 of the voters above.
        KAFKA_NODE_ID: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_LABEL, { key: 'apps.kubernetes.io/pod-index' }),
        KAFKA_ADVERTISED_LISTENERS: kplus.EnvValue.fromValue(`PLAINTEXT://${fqdn('$(POD_NAME)')}:${KAFKA_PORT}`),
      },
      writableDirs: ['/opt/kafka/config', '/opt/kafka/logs'],
      persistentVolume: brokerVolume(props, '/var/lib/kafka/data'),
      podAnnotations: configHashAnnotation(data),
    });
    this.broker.container.env.copyFrom(kplus.Env.fromConfigMap(this.config));
    // Brokers replicate over the client listener and elect a controller over the controller listener.
    this.broker.workload.connections.allowFrom(this.broker.workload, {
      ports: [kplus.NetworkPolicyPort.tcp(KAFKA_PORT), kplus.NetworkPolicyPort.tcp(CONTROLLER_PORT)],
    });

    this.service = new kplus.Service(this, 'Service', {
      metadata: { name, namespace: props.namespace },
      selector: this.broker.workload,
      ports: [{ name: 'kafka', port: KAFKA_PORT, targetPort: KAFKA_PORT }],
    });
  }

  /** Lets `client` produce and consume, and nothing else. */
  allowClient(client: kplus.Deployment | kplus.StatefulSet): void {
    client.connections.allowTo(this.broker.workload, { ports: [kplus.NetworkPolicyPort.tcp(KAFKA_PORT)] });
  }
}
