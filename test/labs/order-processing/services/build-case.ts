/**
 * One Dockerfile's test (each service has its own file, so each stays well under 10 s): the image
 * builds offline as `docker build` builds it from the line the guide gives (test/docker-build.ts:
 * COPY sources from the filtered context, npm ci from the lockfile, the compiler on the copied files,
 * npm prune), runs as the contract's numeric UID, and its CMD, run in the built image's filesystem
 * with only its production dependencies, starts the app: it refuses a bad environment with one line
 * and exit 2, and otherwise starts and stops cleanly on SIGTERM with JSON logs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppDescription } from '../../../../labs/order-processing/services/shared/src/service';
import { freePort } from '../../../integration/servers/process';
import type { BuiltImage } from '../../../docker-build';
import { buildService, documentedBuildCommand, dockerfileOf, REPO_ROOT, type ServiceName } from './image-build';

const GUIDE = readFileSync(join(REPO_ROOT, 'labs/order-processing/README.md'), 'utf8');

/** The contract's UID:GID, which the chart's runAsUser/runAsGroup set too. */
export const APP_USER = '10001:10001';

export function dockerfileTests(service: ServiceName, description: AppDescription): void {
  let image: BuiltImage;
  beforeAll(() => {
    image = buildService(service);
    // About 3 s on an idle 2-core machine (most of it the compiler); generous for a loaded one.
  }, 30_000);
  afterAll(() => image?.remove());

  const buildLine = `docker build -t ${service}:0.1.0 -f labs/order-processing/services/${service}/Dockerfile labs/order-processing/services`;

  test('the guide builds it with the build context the Dockerfile expects (the services folder)', () => {
    expect(documentedBuildCommand(dockerfileOf(service))).toBe(buildLine);
    expect({ inTheGuide: GUIDE.includes(buildLine), buildLine }).toEqual({ inTheGuide: true, buildLine });
  });

  test(`builds: every COPY source is in the context, the compiler passes on the copied files, the CMD's file is produced`, () => {
    expect(image.cmd).toEqual(['node', `${service}/src/main.js`]);
    expect(image.workdir).toBe('/app');
    const files = image.files();
    expect(files).toContain(`app/${service}/src/main.js`);
    // The shared module was copied into the build stage and compiled with the app.
    expect(files).toContain('app/shared/src/service.js');
    expect(files.filter((f) => f.startsWith('app/proto/'))).toEqual(['app/proto/grpc/health/v1/health.proto', 'app/proto/orders/v1/orders.proto']);
    // Production dependencies only: the compiler was pruned (@types/node stays: protobufjs depends on it).
    expect(files.some((f) => f.startsWith('app/node_modules/typescript/'))).toBe(false);
    // No sources, no package manifests of the build: compiled JavaScript and the protos.
    expect(files.filter((f) => !f.startsWith('app/node_modules/') && !f.startsWith('app/proto/') && !f.endsWith('.js'))).toEqual([]);
  });

  test(`runs as ${APP_USER}, numeric, so the kubelet can check runAsNonRoot`, () => {
    expect(image.user).toBe(APP_USER);
  });

  test('EXPOSE is the port the app listens on by default in the chart (the listener variable\'s example)', () => {
    const ports = description.listeners.map((listener) => description.env.find((v) => v.name === listener.variable)!.example);
    expect(image.exposed).toEqual(ports);
  });

  const start = (env: Record<string, string>) => {
    const child = spawn(process.execPath, [image.cmd[1]], { cwd: join(image.root, image.workdir), env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, stdout: () => stdout, stderr: () => stderr };
  };

  test('the image\'s CMD, with no environment, prints one line naming the first required variable and exits 2', async () => {
    const first = description.env.find((v) => v.required)!;
    const run = start({});
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toBe(`${service}: Missing ${first.name}: expected ${first.expected}. Fix: set ${first.name}, e.g. ${first.name}=${first.example}\n`);
    expect(run.stdout()).toBe('');
  }, 15_000);

  test('the image\'s CMD, with the environment it describes (dependencies unreachable), starts, logs JSON, and exits 0 on SIGTERM', async () => {
    const secrets = mkdtempSync(join(tmpdir(), 'iac-lab-kit-secrets-'));
    try {
      const closed = String(await freePort());
      // Every dependency on loopback, where nothing answers: the app must start anyway and wait, unready.
      const unreachable: Record<string, string> = {
        RABBITMQ_HOST: '127.0.0.1',
        RABBITMQ_PORT: closed,
        VALIDATOR_ADDRESS: `127.0.0.1:${closed}`,
        KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${closed}`,
      };
      const env: Record<string, string> = { LOG_LEVEL: 'info' };
      for (const variable of description.env.filter((v) => v.required)) {
        env[variable.name] = unreachable[variable.name] ?? variable.example;
        if (variable.secretKey) {
          env[variable.name] = join(secrets, variable.secretKey);
          writeFileSync(env[variable.name], `${variable.secretKey}-value\n`);
        }
      }
      for (const listener of description.listeners) env[listener.variable] = String(await freePort());
      const run = start(env);
      const started = await new Promise<boolean>((resolve) => {
        const timer = setInterval(() => {
          if (/listening/.test(run.stdout())) {
            clearInterval(timer);
            resolve(true);
          }
        }, 20);
        void run.exited.then(() => {
          clearInterval(timer);
          resolve(false);
        });
      });
      expect({ started, stderr: run.stderr() }).toEqual({ started: true, stderr: '' });
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      const lines = run.stdout().trim().split('\n').map((line) => JSON.parse(line));
      expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
      expect(lines.every((line) => typeof line.time === 'string' && typeof line.level === 'string' && typeof line.msg === 'string')).toBe(true);
    } finally {
      rmSync(secrets, { recursive: true, force: true });
    }
  }, 15_000);
}
