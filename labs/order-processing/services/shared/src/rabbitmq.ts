/**
 * RabbitMQ as both the front end (publisher) and the RabbitMQ consumer use it: the same variables,
 * the same login (the app user's credentials from the mounted Secret files), the same queue
 * declaration, and a connection that reconnects by itself and says whether it is up.
 */
import { type Channel, type ChannelModel, connect, type Options } from 'amqplib';
import { host, name, port, secretFile, type ConfigOf } from './env';
import { errorText, type Logger } from './log';

export const RABBITMQ_ENV = {
  host: host('RABBITMQ_HOST', 'rabbitmq'),
  port: port('RABBITMQ_PORT', '5672'),
  vhost: name('RABBITMQ_VHOST', /^[^\s]{1,255}$/, 'a virtual host name (no spaces)', 'order-processing'),
  // RabbitMQ reserves names starting with amq.
  queue: name('RABBITMQ_QUEUE', /^(?!amq\.)[A-Za-z0-9._:-]{1,255}$/, 'a queue name (letters, digits and ._:-, not starting with amq.)', 'orders'),
  username: secretFile('RABBITMQ_USERNAME_FILE', 'app-username', 'the RabbitMQ user name', '/var/run/secrets/order-processing/rabbitmq/username'),
  password: secretFile('RABBITMQ_PASSWORD_FILE', 'app-password', 'the RabbitMQ password', '/var/run/secrets/order-processing/rabbitmq/password'),
};
export type RabbitMqSettings = ConfigOf<typeof RABBITMQ_ENV>;

/**
 * A durable quorum queue (replicated, survives a broker restart), declared identically by the
 * publisher and the consumer: RabbitMQ refuses a second declaration with other arguments.
 */
export const ORDERS_QUEUE_OPTIONS: Options.AssertQueue = { durable: true, arguments: { 'x-queue-type': 'quorum' } };

export function declareOrdersQueue(channel: Channel, queue: string): Promise<unknown> {
  return channel.assertQueue(queue, ORDERS_QUEUE_OPTIONS);
}

/** The AMQP login: the app user in its own vhost. The name appears in the management UI's connection list. */
export function connectOptions(settings: RabbitMqSettings): Options.Connect {
  return {
    protocol: 'amqp',
    hostname: settings.host,
    port: settings.port,
    vhost: settings.vhost,
    username: settings.username,
    password: settings.password,
    // Dead peers (a node that vanished with its pod) are noticed within a minute.
    heartbeat: 30,
  };
}

/** Reconnection: quick first retries, then every 5 s at most, forever (the pod stays unready meanwhile). */
export const RECOVERY = { initialDelay: 200, maxDelay: 5_000, factor: 2, jitter: 0.2, maxRetries: Infinity };

export interface RabbitMqLink {
  /** True between a successful (re)connect with its setup and the next disconnect. */
  isUp(): boolean;
  close(): Promise<void>;
}

/**
 * Connects in the background and runs `setup` on every (re)connection (create channels, declare the
 * queue, start consuming). A channel that closes on an error closes its connection, so the whole setup
 * runs again on a fresh one.
 */
export async function openRabbitMq(
  settings: RabbitMqSettings,
  connectionName: string,
  log: Logger,
  setup: (model: ChannelModel) => Promise<void>,
): Promise<RabbitMqLink> {
  let up = false;
  const where = { host: settings.host, port: settings.port, vhost: settings.vhost };
  const connection = await connect(connectOptions(settings), {
    clientProperties: { connection_name: connectionName },
    timeout: 5_000,
    recovery: { ...RECOVERY, waitForConnect: false, setup },
  });
  connection.on('connect', () => {
    up = true;
    log.info('connected to RabbitMQ', where);
  });
  connection.on('disconnect', (err: Error) => {
    up = false;
    log.warn('lost the RabbitMQ connection; reconnecting', { ...where, error: errorText(err) });
  });
  connection.on('connect-failed', (err: Error) => log.warn('cannot connect to RabbitMQ; retrying', { ...where, error: errorText(err) }));
  connection.on('error', (err: Error) => log.warn('RabbitMQ connection error', { error: errorText(err) }));
  connection.on('blocked', (reason: string) => log.warn('RabbitMQ blocked publishing', { reason }));
  connection.on('unblocked', () => log.info('RabbitMQ unblocked publishing'));
  return {
    isUp: () => up,
    close: async () => {
      up = false;
      await connection.close();
    },
  };
}

/** When `channel` closes while its connection stays open (a channel error), closes the connection to start over. */
export function restartOnChannelClose(channel: Channel, model: ChannelModel, log: Logger, isClosing: () => boolean): void {
  channel.on('error', (err: Error) => log.warn('RabbitMQ channel error', { error: errorText(err) }));
  channel.on('close', () => {
    if (!isClosing()) model.close().catch(() => undefined);
  });
}
