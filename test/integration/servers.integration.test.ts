/**
 * The harness itself: each server starts on loopback with its own data, admits only its
 * credentials (and only TLS when asked), and leaves nothing behind when stopped.
 */
import { existsSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { startPostgres } from './servers/postgres';
import { run } from './servers/process';
import { startRabbitMq } from './servers/rabbitmq';
import { startRedis } from './servers/redis';

/** Sends `request` and resolves the server's first answer, or '' when it closes without one. */
function exchange(port: number, request: string | Buffer, tls?: { ca: string }): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = tls ? tlsConnect({ host: '127.0.0.1', port, ca: tls.ca, servername: 'localhost' }) : tcpConnect({ host: '127.0.0.1', port });
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write(request));
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk);
    });
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(Buffer.alloc(0)));
  });
}

test('redis over TLS answers only after AUTH with its password, has no plain-text port, and is gone after stop', async () => {
  const redis = await startRedis({ tls: true });
  try {
    expect(redis.url).toMatch(/^rediss:\/\/:.+@127\.0\.0\.1:\d+$/);
    expect(String(await exchange(redis.port, 'PING\r\n', { ca: redis.ca! }))).toMatch(/^-NOAUTH/);
    expect(String(await exchange(redis.port, 'AUTH wrong-password\r\n', { ca: redis.ca! }))).toMatch(/^-WRONGPASS/);
    expect(String(await exchange(redis.port, `AUTH ${redis.password}\r\n`, { ca: redis.ca! }))).toBe('+OK\r\n');
    expect(String(await exchange(redis.port, 'PING\r\n'))).toBe('');
  } finally {
    await redis.stop();
  }
  expect(existsSync(redis.dir)).toBe(false);
}, 30_000);

test('postgres with TLS refuses plain-text clients and admits its user over TLS', async () => {
  const pg = await startPostgres({ tls: true });
  try {
    const psql = (sslmode: string) =>
      run('psql', ['-X', '-A', '-t', '-c', 'select ssl from pg_stat_ssl where pid = pg_backend_pid()'], {
        env: { ...process.env, PGHOST: pg.host, PGPORT: String(pg.port), PGUSER: pg.user, PGPASSWORD: pg.password, PGDATABASE: pg.database, PGSSLMODE: sslmode },
      });
    expect((await psql('require')).stdout.trim()).toBe('t');
    await expect(psql('disable')).rejects.toMatchObject({ stderr: expect.stringMatching(/no pg_hba.conf entry .* no encryption/) });
  } finally {
    await pg.stop();
  }
  expect(existsSync(pg.dir)).toBe(false);
}, 60_000);

test('rabbitmq speaks AMQP on loopback, creates a vhost user with only the permissions asked, and is gone after stop', async () => {
  const broker = await startRabbitMq();
  try {
    const answer = await exchange(broker.port, Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'));
    expect(answer[0]).toBe(1); // a method frame: Connection.Start
    const app = await broker.addUser('order-processing', { configure: '^orders$', write: '^orders$', read: '^orders$' });
    expect(app.url).toMatch(new RegExp(`^amqp://${app.username}:.+@127\\.0\\.0\\.1:${broker.port}/order-processing$`));
    const permissions = await broker.rabbitmqctl(['list_user_permissions', app.username, '--formatter', 'json']);
    expect(JSON.parse(permissions)).toEqual([{ vhost: 'order-processing', configure: '^orders$', write: '^orders$', read: '^orders$' }]);
  } finally {
    await broker.stop();
  }
  expect(existsSync(broker.dir)).toBe(false);
}, 120_000);
