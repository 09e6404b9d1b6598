/**
 * The shared module every app is built from: configuration from the environment (one line naming a
 * bad variable), JSON log lines, the health routes, graceful shutdown, the order's shape, and
 * idempotency by order id.
 */
import { EventEmitter } from 'node:events';
import { ConfigError, describeEnv, host, hostPort, hostPortList, name, port, readEnv, secretFile } from '../../../../labs/order-processing/services/shared/src/env';
import { closeServer, createHealthServer, listen } from '../../../../labs/order-processing/services/shared/src/http';
import { createLogger, LOG_LEVEL } from '../../../../labs/order-processing/services/shared/src/log';
import { parseOrder, parseOrderMessage } from '../../../../labs/order-processing/services/shared/src/order';
import { InMemoryProcessedOrders, processOnce } from '../../../../labs/order-processing/services/shared/src/processed-orders';
import { stopOnSignal } from '../../../../labs/order-processing/services/shared/src/service';
import { capture, ORDER } from './fixtures';

describe('configuration from the environment', () => {
  const spec = {
    port: port('PORT', '5000'),
    target: hostPort('VALIDATOR_ADDRESS', 'order-validator:50051'),
    nested: { brokers: hostPortList('KAFKA_BOOTSTRAP_SERVERS', 'kafka:9092'), host: host('RABBITMQ_HOST', 'rabbitmq') },
    queue: name('RABBITMQ_QUEUE', /^[a-z]+$/, 'a queue name', 'orders'),
    password: secretFile('RABBITMQ_PASSWORD_FILE', 'password', 'the password', '/run/secret/password'),
    logLevel: LOG_LEVEL,
  };
  const files = { readFile: (path: string) => ({ '/run/secret/password': 's3cret\n', '/run/secret/empty': ' \n' })[path] ?? fail(path) };
  function fail(path: string): never {
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
  }
  const good = {
    PORT: '5000',
    VALIDATOR_ADDRESS: 'order-validator:50051',
    KAFKA_BOOTSTRAP_SERVERS: 'kafka-0.kafka-headless:9092, kafka-1.kafka-headless:9092',
    RABBITMQ_HOST: 'rabbitmq',
    RABBITMQ_QUEUE: 'orders',
    RABBITMQ_PASSWORD_FILE: '/run/secret/password',
  };

  test('reads typed values, nested as declared; a Secret file without its trailing newline; LOG_LEVEL defaults to info', () => {
    expect(readEnv(spec, good, files)).toEqual({
      port: 5000,
      target: 'order-validator:50051',
      nested: { brokers: ['kafka-0.kafka-headless:9092', 'kafka-1.kafka-headless:9092'], host: 'rabbitmq' },
      queue: 'orders',
      password: 's3cret',
      logLevel: 'info',
    });
    expect(readEnv(spec, { ...good, LOG_LEVEL: 'debug' }, files).logLevel).toBe('debug');
    expect(readEnv(spec, { ...good, LOG_LEVEL: '' }, files).logLevel).toBe('info');
  });

  test.each([
    ['PORT', undefined, 'Missing PORT: expected a port number from 1 to 65535. Fix: set PORT, e.g. PORT=5000'],
    ['PORT', '', 'Invalid PORT: received ""; expected a port number from 1 to 65535. Fix: set PORT, e.g. PORT=5000'],
    ['PORT', '65536', 'Invalid PORT: received "65536"; expected a port number from 1 to 65535. Fix: set PORT, e.g. PORT=5000'],
    ['PORT', '80a', 'Invalid PORT: received "80a"'],
    ['VALIDATOR_ADDRESS', 'order-validator', 'Invalid VALIDATOR_ADDRESS: received "order-validator"; expected host:port.'],
    ['VALIDATOR_ADDRESS', 'http://order-validator:50051', 'Invalid VALIDATOR_ADDRESS: received "http://order-validator:50051"'],
    ['KAFKA_BOOTSTRAP_SERVERS', 'kafka:9092,', 'Invalid KAFKA_BOOTSTRAP_SERVERS: received "kafka:9092,"; expected a comma-separated list of host:port.'],
    ['RABBITMQ_HOST', 'rabbit mq', 'Invalid RABBITMQ_HOST: received "rabbit mq"; expected a host name'],
    ['RABBITMQ_HOST', 'rabbitmq:5672', 'Invalid RABBITMQ_HOST: received "rabbitmq:5672"'],
    ['RABBITMQ_QUEUE', 'Orders!', 'Invalid RABBITMQ_QUEUE: received "Orders!"; expected a queue name. Fix: set RABBITMQ_QUEUE, e.g. RABBITMQ_QUEUE=orders'],
    ['RABBITMQ_PASSWORD_FILE', 'password', 'Invalid RABBITMQ_PASSWORD_FILE: received "password"; expected the absolute path of a readable, non-empty file holding the password.'],
    ['RABBITMQ_PASSWORD_FILE', '/run/secret/missing', 'Invalid RABBITMQ_PASSWORD_FILE: cannot read "/run/secret/missing" (ENOENT); expected the absolute path'],
    ['RABBITMQ_PASSWORD_FILE', '/run/secret/empty', 'Invalid RABBITMQ_PASSWORD_FILE: "/run/secret/empty" is empty; expected'],
    ['LOG_LEVEL', 'verbose', 'Invalid LOG_LEVEL: received "verbose"; expected one of debug, info, warn, error. Fix: set LOG_LEVEL, e.g. LOG_LEVEL=info'],
  ])('%s=%j is one line naming the variable: %s', (variable, value, message) => {
    const env = { ...good, [variable]: value };
    if (value === undefined) delete env[variable as keyof typeof env];
    let error: unknown;
    try {
      readEnv(spec, env, files);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toContain(message);
    expect((error as ConfigError).message).not.toContain('\n');
  });

  test('describes every variable as data, in order, with the Secret key of file-valued ones', () => {
    expect(describeEnv(spec).map(({ name: n, required, secretKey }) => ({ n, required, secretKey }))).toEqual([
      { n: 'PORT', required: true, secretKey: undefined },
      { n: 'VALIDATOR_ADDRESS', required: true, secretKey: undefined },
      { n: 'KAFKA_BOOTSTRAP_SERVERS', required: true, secretKey: undefined },
      { n: 'RABBITMQ_HOST', required: true, secretKey: undefined },
      { n: 'RABBITMQ_QUEUE', required: true, secretKey: undefined },
      { n: 'RABBITMQ_PASSWORD_FILE', required: true, secretKey: 'password' },
      { n: 'LOG_LEVEL', required: false, secretKey: undefined },
    ]);
  });
});

describe('JSON logs', () => {
  test('one object per line: time, level, msg first, then the fields; errors as their message', () => {
    const { lines, write } = capture();
    const log = createLogger('info', write);
    log.info('order accepted', { orderId: 'o-1', error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    log.error('boom', { cause: new Error('it broke (EPIPE)') });
    expect(Object.keys(lines()[0])).toEqual(['time', 'level', 'msg', 'orderId', 'error']);
    expect(lines()[0]).toMatchObject({ level: 'info', msg: 'order accepted', orderId: 'o-1', error: 'connect ECONNREFUSED' });
    expect(lines()[1]).toMatchObject({ level: 'error', cause: 'it broke (EPIPE)' });
    expect(Date.parse(lines()[0].time as string)).not.toBeNaN();
  });

  test('lines below the level are not written', () => {
    const { lines, write } = capture();
    const log = createLogger('warn', write);
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines().map((l) => l.level)).toEqual(['warn', 'error']);
  });
});

describe('health routes', () => {
  const status = { rabbitmq: true, kafka: true };
  const server = createHealthServer(() => status, createLogger('error', () => undefined));
  let base: string;
  beforeAll(async () => {
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });
  afterAll(() => closeServer(server));

  test('/healthz is 200 while the process answers, whatever the dependencies', async () => {
    status.kafka = false;
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('/readyz is 200 only when every dependency is up, and names each', async () => {
    status.kafka = false;
    let res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not ready', checks: { rabbitmq: 'up', kafka: 'down' } });
    status.kafka = true;
    res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { rabbitmq: 'up', kafka: 'up' } });
  });

  test('other paths are 404 and other methods 405', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(404);
    const res = await fetch(`${base}/readyz`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('graceful shutdown', () => {
  class FakeProcess extends EventEmitter {
    exits: number[] = [];
    exit(code: number) {
      this.exits.push(code);
    }
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  test('SIGTERM stops the app once and exits 0 when it has stopped', async () => {
    const proc = new FakeProcess();
    const { lines, write } = capture();
    let stops = 0;
    stopOnSignal({ stop: async () => void (stops += 1) }, createLogger('info', write), proc);
    proc.emit('SIGTERM');
    proc.emit('SIGTERM');
    await settle();
    expect(stops).toBe(1);
    expect(proc.exits).toEqual([0]);
    expect(lines().map((l) => l.msg)).toEqual(['shutting down', 'stopped']);
    expect(lines()[0].signal).toBe('SIGTERM');
  });

  test('a failed stop exits 1 with the reason', async () => {
    const proc = new FakeProcess();
    const { lines, write } = capture();
    stopOnSignal({ stop: () => Promise.reject(new Error('channel closed')) }, createLogger('info', write), proc);
    proc.emit('SIGINT');
    await settle();
    expect(proc.exits).toEqual([1]);
    expect(lines()[1]).toMatchObject({ level: 'error', msg: 'shutdown failed', error: 'channel closed' });
  });

  test('a stop that outlasts the deadline exits 1 instead of waiting for the kubelet SIGKILL', async () => {
    const proc = new FakeProcess();
    const { lines, write } = capture();
    stopOnSignal({ stop: () => new Promise(() => undefined) }, createLogger('info', write), proc, 20);
    proc.emit('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(proc.exits).toEqual([1]);
    expect(lines()[1]).toMatchObject({ msg: 'shutdown did not finish in time; exiting', deadlineMs: 20 });
  });
});

describe('the order', () => {
  test('keeps exactly the order fields', () => {
    expect(parseOrder({ ...ORDER, note: 'ignored', items: [{ ...ORDER.items[0], colour: 'red' }] })).toEqual({ ok: true, value: { ...ORDER, items: [ORDER.items[0]] } });
  });

  test.each([
    ['the order must be a JSON object', []],
    ['id must be 1 to 128 letters', { ...ORDER, id: '' }],
    ['id must be 1 to 128 letters', { ...ORDER, id: 'a b' }],
    ['id must be 1 to 128 letters', { ...ORDER, id: 'x'.repeat(129) }],
    ['customer must be a string', { ...ORDER, customer: 7 }],
    ['items must be an array', { ...ORDER, items: {} }],
    ['items[0] must be an object', { ...ORDER, items: [null] }],
    ['items[0].sku must be a string', { ...ORDER, items: [{ ...ORDER.items[0], sku: 1 }] }],
    ['items[1].quantity must be a whole number', { ...ORDER, items: [ORDER.items[0], { ...ORDER.items[0], quantity: 1.5 }] }],
    ['items[0].quantity must be a whole number', { ...ORDER, items: [{ ...ORDER.items[0], quantity: 2 ** 31 }] }],
    ['items[0].unitPrice must be a number', { ...ORDER, items: [{ ...ORDER.items[0], unitPrice: '9.99' }] }],
    ['total must be a number', { ...ORDER, total: null }],
  ])('refused: %s', (error, value) => {
    expect(parseOrder(value)).toEqual({ ok: false, error: expect.stringContaining(error) });
  });

  test('messages are JSON orders', () => {
    expect(parseOrderMessage(Buffer.from(JSON.stringify(ORDER)))).toEqual({ ok: true, value: ORDER });
    expect(parseOrderMessage(Buffer.from('{not json'))).toEqual({ ok: false, error: 'the message is not JSON' });
    expect(parseOrderMessage(null)).toEqual({ ok: false, error: 'the message has no body' });
  });
});

describe('idempotency by order id', () => {
  test('an id is processed once; a failed attempt gives the id back for the redelivery', async () => {
    const store = new InMemoryProcessedOrders();
    const seen: string[] = [];
    expect(await processOnce(store, ORDER, (o) => void seen.push(o.id))).toBe('processed');
    expect(await processOnce(store, ORDER, (o) => void seen.push(o.id))).toBe('duplicate');
    const other = { ...ORDER, id: 'order-2' };
    await expect(processOnce(store, other, () => Promise.reject(new Error('smtp down')))).rejects.toThrow('smtp down');
    expect(await processOnce(store, other, (o) => void seen.push(o.id))).toBe('processed');
    expect(seen).toEqual(['order-1', 'order-2']);
  });

  test('remembers the most recent ids up to its capacity', () => {
    const store = new InMemoryProcessedOrders(2);
    expect(['a', 'b', 'c'].map((id) => store.claim(id))).toEqual([true, true, true]);
    expect(store.claim('c')).toBe(false);
    expect(store.claim('b')).toBe(false);
    expect(store.claim('a')).toBe(true);
  });
});
