/**
 * The e-commerce image, built offline from its Dockerfile (test/docker-build.ts:
 * the real context, the lockfile's packages, the image's own TypeScript), then run as ECS runs it:
 * its two commands, as uid 1000, from a tree nobody but root may write (the read-only root
 * filesystem), with the contract's environment pointing at real PostgreSQL and Redis over TLS.
 * What differs from a container: the host's Node (20, 22 or 24; the image has 26) and no kernel
 * isolation; and the RDS bundle cannot be downloaded here, so its file holds the test CA.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { DEFAULT_DB_CA_FILE } from '../../labs/ecommerce-backend/service/src/config';
import { type BuiltImage, buildImage, makeReadOnly } from '../docker-build';
import { type DataTier, type Env, startDataTier } from './ecommerce-backend';
import { freePort } from './servers/process';

jest.setTimeout(120_000);

const SERVICE = join(REPO_ROOT, 'labs/ecommerce-backend/service');
let tier: DataTier;
let image: BuiltImage;
let env: Env;

beforeAll(async () => {
  tier = await startDataTier();
  image = buildImage(SERVICE, {
    nodeModules: join(REPO_ROOT, 'node_modules'),
    kitLock: join(REPO_ROOT, 'package-lock.json'),
    download: () => tier.postgres.ca!,
  });
  makeReadOnly(image.root);
  // The contract's environment, with the database CA at the image's default path (the stand-in bundle).
  env = { ...tier.env, DB_CA_FILE: join(image.root, DEFAULT_DB_CA_FILE), LOG_LEVEL: 'info' };
});

afterAll(async () => {
  image?.remove();
  await tier?.stop();
});

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one of the image's commands (`node ...`) in its workdir, as its user when we are root. */
function start(command: readonly string[], environment: Env): { child: ChildProcess; exit: Promise<Exit> } {
  const [program, ...args] = command;
  expect(program).toBe('node');
  const [uid, gid] = (image.user ?? '').split(':').map(Number);
  const child = spawn(process.execPath, args, {
    cwd: join(image.root, image.workdir),
    env: { PATH: process.env.PATH, ...image.env, ...environment },
    ...(process.getuid?.() === 0 ? { uid, gid } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<Exit>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, exit };
}

const jsonLines = (text: string) => text.trim().split('\n').map((line) => JSON.parse(line) as { msg: string; [key: string]: unknown });

test('the runtime stage holds the compiled service, production dependencies only, the migrations and the CA bundle', () => {
  const files = image.files();
  expect([...new Set(files.map((file) => file.split('/').slice(0, 2).join('/')))].sort()).toEqual(['app/certs', 'app/dist', 'app/migrations', 'app/node_modules']);
  expect(files.filter((f) => f.startsWith('app/dist/')).sort()).toEqual(expect.arrayContaining(['app/dist/migrate.js', 'app/dist/server.js']));
  expect(files.filter((f) => f.startsWith('app/dist/') && !f.endsWith('.js'))).toEqual([]);
  const packages = new Set(files.filter((f) => f.startsWith('app/node_modules/')).map((f) => f.split('/').slice(2, f.split('/')[2].startsWith('@') ? 4 : 3).join('/')));
  expect(packages).toContain('pg');
  expect(packages).toContain('@redis/client');
  for (const devOnly of ['typescript', '@types/node', '@types/pg']) expect(packages).not.toContain(devOnly);
  expect(image.downloads).toEqual([{ url: 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem', dest: DEFAULT_DB_CA_FILE, flags: expect.objectContaining({ chmod: '444' }) }]);
});

test('the migration step (node dist/migrate.js) run twice at once: both exit 0 and the schema is applied once', async () => {
  const runs = await Promise.all([start(['node', 'dist/migrate.js'], env).exit, start(['node', 'dist/migrate.js'], env).exit]);
  for (const run of runs) expect(run).toMatchObject({ code: 0, stderr: '' });
  const applied = runs.flatMap((run) => jsonLines(run.stdout).filter((line) => line.msg === 'schema is current').flatMap((line) => line.applied as string[]));
  expect(applied.sort()).toEqual(['001_initial_schema', '002_demo_catalog']);
  const rows = await tier.admin.query('SELECT version FROM schema_migrations ORDER BY version');
  expect(rows.rows.map((row) => row.version)).toEqual(['001_initial_schema', '002_demo_catalog']);
});

test('the server (the image\'s CMD): JSON logs, ready against both stores, and on SIGTERM it finishes the request in flight and exits 0', async () => {
  const port = await freePort();
  const server = start(image.cmd, { ...env, PORT: String(port) });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let up = false; !up; ) up = await fetch(`${base}/healthz`).then((res) => res.ok, () => false);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready', checks: { database: 'ok', cache: 'ok' } });
    expect((await fetch(`${base}/products`)).status).toBe(200);

    // A login whose body is still on its way: `Expect: 100-continue` makes the server confirm it
    // has the request before we send SIGTERM, then we send the body.
    const body = JSON.stringify({ email: 'nobody@example.com', password: 'correct horse battery staple' });
    const socket = connect(port, '127.0.0.1');
    let response = '';
    socket.on('data', (chunk) => (response += chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(`POST /auth/login HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
    while (!response.includes('100 Continue')) await new Promise((resolve) => setTimeout(resolve, 20));

    server.child.kill('SIGTERM');
    // It stops accepting new connections...
    for (let refused = false; !refused; ) {
      refused = await new Promise<boolean>((resolve) => {
        const probe = connect(port, '127.0.0.1');
        probe.once('connect', () => (probe.destroy(), resolve(false)));
        probe.once('error', () => resolve(true));
      });
    }
    // ...and still answers the one in flight, closing its connection after.
    socket.write(body);
    await closed;
    expect(response).toMatch(/HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(response).toMatch(/\r\nconnection: close\r\n/i);

    const exit = await server.exit;
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    const logs = jsonLines(exit.stdout);
    expect(logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['listening', 'cache connected', 'stopping', 'stopped']));
    expect(logs.find((line) => line.msg === 'stopping')).toMatchObject({ signal: 'SIGTERM' });
  } finally {
    server.child.kill('SIGKILL');
  }
});

test('the server after RDS rotated the password: the first new connection is refused, it logs why and exits 1 so ECS starts a task with the current secret', async () => {
  const port = await freePort();
  const server = start(image.cmd, { ...env, PORT: String(port) });
  const rotated = `rotated-${Date.now()}`;
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let up = false; !up; ) up = await fetch(`${base}/healthz`).then((res) => res.ok, () => false);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // What a rotation does: a new password for the login, while the task holds the old one. Its
    // open connections keep working (the password is checked at login only), so drop them too.
    await tier.admin.query(`ALTER ROLE shop PASSWORD '${rotated}'`);
    await tier.admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'shop'");
    const answer = await fetch(`${base}/readyz`);
    expect({ status: answer.status, body: await answer.json() }).toEqual({ status: 503, body: { status: 'unavailable', checks: { database: 'authentication failed', cache: 'ok' } } });

    const exit = await server.exit;
    expect(exit).toMatchObject({ code: 1, stderr: '' });
    const logs = jsonLines(exit.stdout);
    expect(logs.find((line) => line.level === 'error')).toMatchObject({ msg: expect.stringMatching(/^database refused the password/) });
    expect(logs.map((line) => line.msg)).toContain('stopped');
  } finally {
    server.child.kill('SIGKILL');
    await tier.admin.query(`ALTER ROLE shop PASSWORD '${env.DB_PASSWORD}'`);
  }
});

test.each([
  ['node dist/server.js', 'SESSION_SECRET'],
  ['node dist/migrate.js', 'DB_PASSWORD'],
])('%s with %s missing: one line on stderr naming it, exit 2', async (command, variable) => {
  const incomplete = Object.fromEntries(Object.entries(env).filter(([name]) => name !== variable));
  const exit = await start(command.split(' '), incomplete).exit;
  expect(exit.code).toBe(2);
  expect(exit.stderr).toMatch(new RegExp(`^Invalid environment variable ${variable}: it is not set\\. Fix: set ${variable}, e\\.g\\. ${variable}=[^\\n]+\\n$`));
  expect(exit.stdout).toBe('');
});
