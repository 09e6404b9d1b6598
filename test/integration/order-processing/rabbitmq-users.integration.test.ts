/**
 * The chart's RabbitMQ users on a real broker: the `definitions` setup step's script, as the chart
 * synthesizes it, run with `sh` on credential files like the learner's Secret (with characters JSON
 * must escape), and the broker importing its output at boot the way the chart configures it. What
 * differs from the pod: the directories (replaced by scratch ones), and Debian's RabbitMQ instead of
 * the official image.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { ORDERS_QUEUE_OPTIONS } from '../../../labs/order-processing/services/shared/src/rabbitmq';
import { synthCharts } from '../../../k8s/synth';
import { type RunningRabbitMq, startRabbitMq } from '../servers/rabbitmq';

jest.setTimeout(120_000);

const VHOST = 'order-processing';
const SECRET = { username: 'orders-admin', password: 'admin "quoted" \\ back$lash`', 'app-username': 'orders-app', 'app-password': 'app-pass-"42"' };
let broker: RunningRabbitMq;
let scratch: string;
let definitionsFile: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rabbitmq-users-'));
  const [credentials, definitions] = [join(scratch, 'credentials'), join(scratch, 'definitions')];
  mkdirSync(credentials);
  mkdirSync(definitions);
  for (const [key, value] of Object.entries(SECRET)) writeFileSync(join(credentials, key), value);
  // The step exactly as the chart writes it into the StatefulSet, its two directories aside.
  const orderProcessing = synthCharts({ profile: 'dev' }).find((c) => c.chart === 'order-processing')!.manifests;
  const rabbitmq = orderProcessing.find((m) => m.kind === 'StatefulSet' && m.metadata.name === 'rabbitmq')!;
  const step = rabbitmq.spec.template.spec.initContainers.find((c: { name: string }) => c.name === 'definitions');
  expect(step.command.slice(0, 2)).toEqual(['sh', '-c']);
  const script = (step.command[2] as string).replaceAll('/var/run/secrets/rabbitmq-credentials', credentials).replaceAll('/etc/rabbitmq/definitions', definitions);
  execFileSync('sh', ['-c', script]);
  definitionsFile = join(definitions, 'definitions.json');
  broker = await startRabbitMq({ definitions: readFileSync(definitionsFile, 'utf8') });
});

afterAll(async () => {
  await broker?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const url = (user: string, password: string, vhost: string) => `amqp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${broker.host}:${broker.port}/${encodeURIComponent(vhost)}`;

test('the step writes the definitions readable by their owner only', () => {
  expect(statSync(definitionsFile).mode & 0o777).toBe(0o600);
});

test('no default user is seeded: the broker has exactly the administrator and the apps\' user, with their tags', async () => {
  const users = JSON.parse(await broker.rabbitmqctl(['list_users', '--formatter', 'json'])) as { user: string; tags: string[] }[];
  expect(users.map(({ user, tags }) => ({ user, tags })).sort((a, b) => a.user.localeCompare(b.user))).toEqual([
    { user: 'orders-admin', tags: ['administrator'] },
    { user: 'orders-app', tags: [] },
  ]);
  const permissions = JSON.parse(await broker.rabbitmqctl(['list_user_permissions', 'orders-app', '--formatter', 'json']));
  // The orders queue only: declare it, publish to it through the default exchange, consume from it.
  expect(permissions).toEqual([{ vhost: VHOST, configure: '^orders$', write: '^(orders|amq\\.default)$', read: '^orders$' }]);
});

test('the apps\' user declares the orders quorum queue on its vhost, publishes and consumes', async () => {
  const connection = await connect(url(SECRET['app-username'], SECRET['app-password'], VHOST));
  try {
    const channel = await connection.createChannel();
    await channel.assertQueue('orders', ORDERS_QUEUE_OPTIONS);
    channel.sendToQueue('orders', Buffer.from('{"id":"o-1"}'), { persistent: true });
    let message: false | { content: Buffer } = false;
    for (let i = 0; i < 50 && !message; i++) {
      message = await channel.get('orders', { noAck: true });
      if (!message) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(message && message.content.toString()).toBe('{"id":"o-1"}');
  } finally {
    await connection.close();
  }
});

test('the apps\' user may not declare another queue or any exchange, nor read another queue', async () => {
  const refused = async (use: (channel: import('amqplib').Channel) => Promise<unknown>) => {
    const connection = await connect(url(SECRET['app-username'], SECRET['app-password'], VHOST));
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    try {
      await expect(use(channel)).rejects.toThrow(/ACCESS_REFUSED/);
    } finally {
      await connection.close().catch(() => undefined);
    }
  };
  await refused((channel) => channel.assertQueue('payments', ORDERS_QUEUE_OPTIONS));
  await refused((channel) => channel.assertExchange('orders-fanout', 'fanout'));
  // The administrator makes a queue the apps' user then tries to read.
  const admin = await connect(url(SECRET.username, SECRET.password, VHOST));
  await (await admin.createChannel()).assertQueue('audit', { durable: true });
  await admin.close();
  await refused((channel) => channel.checkQueue('audit').then(() => channel.get('audit')));
});

test('the apps\' user cannot open any other vhost; a wrong password is refused', async () => {
  await broker.rabbitmqctl(['add_vhost', 'other']);
  await expect(connect(url(SECRET['app-username'], SECRET['app-password'], 'other'))).rejects.toThrow(/got <ConnectionClose|NOT_ALLOWED|ACCESS_REFUSED/);
  await expect(connect(url(SECRET['app-username'], 'not-the-password', VHOST))).rejects.toThrow(/ACCESS_REFUSED|authentication/i);
});

test('the administrator logs in with a password full of characters JSON must escape', async () => {
  const connection = await connect(url(SECRET.username, SECRET.password, VHOST));
  await connection.close();
});
