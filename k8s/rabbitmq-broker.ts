import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { BrokerProps, brokerPodDnsName, brokerVolume } from './broker';
import { HardenedWorkload } from './hardened-workload';
import { configHashAnnotation } from './metadata';

export interface RabbitMqBrokerProps extends BrokerProps {
  /**
   * The Secret the learner creates: `username` and `password` (the administrator, for the management
   * UI and operators), `app-username` and `app-password` (the apps' login), and `erlang-cookie`.
   */
  readonly credentials: kplus.ISecret;
  /** The virtual host the apps use. */
  readonly vhost: string;
  /** The one queue the apps use: their user may declare, publish to and consume from it, and nothing else. */
  readonly queue: string;
}

export const AMQP_PORT = 5672;
const MANAGEMENT_PORT = 15672;
const EPMD_PORT = 4369;
const DISTRIBUTION_PORT = 25672;
const COOKIE_DIR = '/var/run/secrets/rabbitmq-cookie';
// The official image's rabbitmq user.
const RABBITMQ_USER = 999;
const CREDENTIALS_DIR = '/var/run/secrets/rabbitmq-credentials';
const DEFINITIONS_DIR = '/etc/rabbitmq/definitions';
/** The users, vhost and permissions every node imports at boot, written by the `definitions` setup step. */
export const DEFINITIONS_FILE = `${DEFINITIONS_DIR}/definitions.json`;

/**
 * RabbitMQ from the official image (with the management plugin) as a StatefulSet: one volume per node
 * (its home and database), a static peer list so nodes cluster without Kubernetes API access, the
 * Erlang cookie and default user from the learner's Secret, config from a ConfigMap, and the root
 * filesystem read-only.
 */
export class RabbitMqBroker extends Construct {
  readonly broker: HardenedWorkload;
  /** The ClusterIP Service clients use: AMQP only. The management UI is reached with `kubectl port-forward`. */
  readonly service: kplus.Service;
  readonly config: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: RabbitMqBrokerProps) {
    super(scope, id);
    const name = 'rabbitmq';
    const fqdn = (pod: string) => brokerPodDnsName(name, props, pod);
    const nodes = Array.from({ length: props.settings.replicas }, (_, i) => `rabbit@${fqdn(`${name}-${i}`)}`);
    const data = {
      '10-iac-lab-kit.conf': [
        `listeners.tcp.default = ${AMQP_PORT}`,
        `management.tcp.port = ${MANAGEMENT_PORT}`,
        // Logs go to stdout only: the root filesystem is read-only.
        'log.console = true',
        'log.file = false',
        // Size memory alarms from the container limit, not from the node's memory.
        `total_memory_available_override_value = ${props.settings.resources.memoryLimit * 2 ** 20}`,
        'cluster_formation.peer_discovery_backend = classic_config',
        ...nodes.map((node, i) => `cluster_formation.classic_config.nodes.${i + 1} = ${node}`),
        // Users, vhost and permissions from the definitions file at every boot (so a changed Secret takes
        // effect with the next restart); with definitions to import, RabbitMQ seeds no default user.
        'definitions.import_backend = local_filesystem',
        `definitions.local.path = ${DEFINITIONS_FILE}`,
        '',
      ].join('\n'),
    };
    this.config = new kplus.ConfigMap(this, 'Config', { metadata: { name: `${name}-config`, namespace: props.namespace }, data });

    this.broker = new HardenedWorkload(this, 'Broker', {
      name,
      component: 'broker',
      namespace: props.namespace,
      settings: props.settings,
      replicasOnSeparateNodes: props.replicasOnSeparateNodes,
      user: RABBITMQ_USER,
      ports: [
        { number: AMQP_PORT, name: 'amqp' },
        { number: MANAGEMENT_PORT, name: 'management' },
        { number: EPMD_PORT, name: 'epmd' },
        { number: DISTRIBUTION_PORT, name: 'cluster' },
      ],
      startup: { tcp: AMQP_PORT },
      startupSeconds: 180,
      readiness: { tcp: AMQP_PORT },
      // Starts a CLI node that pings the broker's Erlang VM: fails when the VM hangs, not only when the port closes.
      liveness: { command: ['rabbitmq-diagnostics', '-q', 'ping'] },
      shutdown: drainBeforeStop(props.settings.replicas),
      envVariables: {
        POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
        RABBITMQ_USE_LONGNAME: kplus.EnvValue.fromValue('true'),
        RABBITMQ_NODENAME: kplus.EnvValue.fromValue(`rabbit@${fqdn('$(POD_NAME)')}`),
      },
      persistentVolume: brokerVolume(props, '/var/lib/rabbitmq'),
      podAnnotations: configHashAnnotation(data),
    });
    this.broker.container.mount('/etc/rabbitmq/conf.d', kplus.Volume.fromConfigMap(this, 'ConfigVolume', this.config, { name: 'config' }), {
      readOnly: true,
    });
    // The Erlang cookie as the file RabbitMQ and its CLI read ($HOME/.erlang.cookie, owner-only), not the
    // RABBITMQ_ERLANG_COOKIE variable the CLI calls deprecated: copied from the Secret at every start,
    // so a rotated Secret reaches every node with its next restart.
    const cookie = kplus.Volume.fromSecret(this, 'ErlangCookie', props.credentials, {
      name: 'erlang-cookie',
      items: { 'erlang-cookie': { path: 'erlang-cookie' } },
      // Readable by the pod's group (fsGroup, the rabbitmq user's): the copy is owner-only, as Erlang requires.
      defaultMode: 0o440,
    });
    this.broker.workload.addVolume(cookie);
    this.broker.addSetupStep('erlang-cookie', ['install', '-m', '0400', `${COOKIE_DIR}/erlang-cookie`, '/var/lib/rabbitmq/.erlang.cookie'], [
      { volume: 'data', path: '/var/lib/rabbitmq' },
      { volume: cookie.name, path: COOKIE_DIR, readOnly: true },
    ]);

    // The definitions, written from the Secret's files into an owner-only file of the pod's memory
    // (never the ConfigMap, never an environment variable): the administrator, and the apps' user with
    // rights on their queue only, in their vhost only, and no tags, so it can neither use the management
    // API nor touch another queue or vhost. Only this step sees the Secret; the broker reads the file.
    const login = kplus.Volume.fromSecret(this, 'Logins', props.credentials, {
      name: 'rabbitmq-logins',
      items: Object.fromEntries(['username', 'password', 'app-username', 'app-password'].map((key) => [key, { path: key }])),
      defaultMode: 0o440,
    });
    const definitions = kplus.Volume.fromEmptyDir(this, 'Definitions', 'definitions', { medium: kplus.EmptyDirMedium.MEMORY, sizeLimit: Size.mebibytes(1) });
    this.broker.workload.addVolume(login);
    this.broker.container.mount(DEFINITIONS_DIR, definitions, { readOnly: true });
    this.broker.addSetupStep('definitions', ['sh', '-c', definitionsScript(props.vhost, props.queue)], [
      { volume: login.name, path: CREDENTIALS_DIR, readOnly: true },
      { volume: definitions.name, path: DEFINITIONS_DIR },
    ]);

    // Cluster members talk to each other (and the liveness CLI to its own node) over EPMD and distribution.
    this.broker.workload.connections.allowFrom(this.broker.workload, {
      ports: [kplus.NetworkPolicyPort.tcp(EPMD_PORT), kplus.NetworkPolicyPort.tcp(DISTRIBUTION_PORT)],
    });

    this.service = new kplus.Service(this, 'Service', {
      metadata: { name, namespace: props.namespace },
      selector: this.broker.workload,
      ports: [{ name: 'amqp', port: AMQP_PORT, targetPort: AMQP_PORT }],
    });
  }

  /** Lets `client` open AMQP connections, and nothing else. */
  allowClient(client: kplus.Deployment | kplus.StatefulSet): void {
    client.connections.allowTo(this.broker.workload, { ports: [kplus.NetworkPolicyPort.tcp(AMQP_PORT)] });
  }
}

/**
 * Maintenance mode before the kubelet stops a node (`rabbitmq-upgrade drain`: it closes its clients,
 * who reconnect to a peer, and hands its queue leaders to the peers), as the RabbitMQ team recommends
 * and its cluster operator does (rabbitmq/cluster-operator#378). With peers it first waits until every
 * quorum queue keeps its majority without this node, so a rolling restart or a node drain never takes
 * two members of a queue at once; past the wait the node is drained and stopped anyway. A restarted
 * node leaves maintenance mode by itself ("Successful boot resets node maintenance state",
 * rabbitmq-server deps/rabbit/src/rabbit.erl, postlaunch). The grace period covers the waits and the
 * server's own stop.
 */
function drainBeforeStop(replicas: number): { preStop: string[]; gracePeriodSeconds: number } {
  if (replicas === 1) return { preStop: ['rabbitmq-upgrade', '-q', 'drain', '-t', '60'], gracePeriodSeconds: 90 };
  return { preStop: ['sh', '-c', 'rabbitmq-upgrade -q await_online_quorum_plus_one -t 300; rabbitmq-upgrade -q drain -t 120'], gracePeriodSeconds: 450 };
}

/**
 * The shell script of the `definitions` setup step: RabbitMQ's definitions JSON from the credential
 * files, each value escaped for JSON (backslash, double quote) and passed to printf as an argument,
 * never as its format; no here-document, which some shells write to a temporary file (the root
 * filesystem is read-only). The file is readable by its owner only.
 */
export function definitionsScript(vhost: string, queue: string): string {
  const file = (key: string) => `"$(json ${CREDENTIALS_DIR}/${key})"`;
  const everything = `'"configure":".*","write":".*","read":".*"'`;
  // Declaring the queue is `configure` on it; publishing through the default exchange is `write` on
  // amq.default (the default exchange's name in permission checks); consuming is `read` on the queue.
  // RabbitMQ checks a publish against the exchange only: through amq.default the apps could still route
  // to another queue by name, which only publishing through an exchange of their own would close.
  const own = `^${queue.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`.replace(/\\/g, '\\\\');
  const queueOnly = `'"configure":"${own}","write":"^(${own.slice(1, -1)}|amq\\\\.default)$","read":"${own}"'`;
  return [
    'set -eu',
    `json() { printf '"%s"' "$(sed -e 's/\\\\/\\\\\\\\/g' -e 's/"/\\\\"/g' "$1")"; }`,
    'umask 077',
    '{',
    `  printf '{"vhosts":[{"name":"%s"}],' '${vhost}'`,
    `  printf '"users":[{"name":%s,"password":%s,"tags":["administrator"]},' ${file('username')} ${file('password')}`,
    `  printf '{"name":%s,"password":%s,"tags":[]}],' ${file('app-username')} ${file('app-password')}`,
    `  printf '"permissions":[{"user":%s,"vhost":"%s",%s},' ${file('username')} '${vhost}' ${everything}`,
    `  printf '{"user":%s,"vhost":"%s",%s}]}\\n' ${file('app-username')} '${vhost}' ${queueOnly}`,
    `} > ${DEFINITIONS_FILE}`,
  ].join('\n');
}
