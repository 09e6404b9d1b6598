/**
 * The e-commerce service's image (labs/ecommerce-backend/service/Dockerfile), as
 * `docker build -t ecommerce-backend:<tag> labs/ecommerce-backend/service` would build it, checked
 * offline: the Dockerfile read as BuildKit reads it, the context as .dockerignore leaves it, the
 * lockfile as npm ci judges it, and the contract's image facts (user, port, commands, CA bundle).
 * test/integration/ecommerce-image.integration.test.ts then builds it (test/docker-build.ts) and runs
 * both commands from the result against real servers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { DEFAULT_DB_CA_FILE, DEFAULT_PORT } from '../../labs/ecommerce-backend/service/src/config';
import { buildContext, parseDockerfile } from '../docker-build';

const SERVICE = join(REPO_ROOT, 'labs/ecommerce-backend/service');
const dockerfile = parseDockerfile(readFileSync(join(SERVICE, 'Dockerfile'), 'utf8'));
const [build, runtime] = dockerfile.stages;
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const manifest = json(join(SERVICE, 'package.json'));
const lock = json(join(SERVICE, 'package-lock.json'));
const kitManifest = json(join(REPO_ROOT, 'package.json'));
const kitLock = json(join(REPO_ROOT, 'package-lock.json'));
const lines = (stage: typeof build, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

describe('Dockerfile', () => {
  test('builds in one stage and runs from a clean one, both on the Node Active LTS (26) on Alpine from ECR Public', () => {
    expect(dockerfile.directives).toEqual({ syntax: 'docker/dockerfile:1' });
    expect(dockerfile.globalArgs).toEqual({ NODE_IMAGE: 'public.ecr.aws/docker/library/node:26-alpine' });
    expect(dockerfile.stages.map((s) => [s.from, s.name])).toEqual([
      ['public.ecr.aws/docker/library/node:26-alpine', 'build'],
      ['public.ecr.aws/docker/library/node:26-alpine', undefined],
    ]);
  });

  test('installs exactly the lockfile (npm ci) before copying sources, so a code change reuses the dependency layer', () => {
    expect(build.instructions.map((i) => `${i.keyword} ${i.text}`)).toEqual([
      'WORKDIR /build',
      'COPY package.json package-lock.json ./',
      'RUN npm ci --no-audit --no-fund',
      'COPY tsconfig.json ./',
      'COPY src ./src',
      'RUN npm run build && npm prune --omit=dev --no-audit --no-fund',
    ]);
    expect(manifest.scripts.build).toBe('tsc -p tsconfig.json');
  });

  test('the runtime stage holds compiled code, production dependencies, the migrations and the CA bundle, and no package manager', () => {
    expect(lines(runtime, 'COPY').map((i) => `${i.flags.from ?? 'context'}: ${i.args.join(' ')}`)).toEqual([
      'build: /build/node_modules ./node_modules',
      'build: /build/dist ./dist',
      'context: migrations ./migrations',
    ]);
    expect(lines(runtime, 'RUN')[0].text).toMatch(/^rm -rf \/usr\/local\/lib\/node_modules \/usr\/local\/bin\/npm \/usr\/local\/bin\/npx /);
    expect(lines(runtime, 'ENV').map((i) => i.text)).toEqual(['NODE_ENV=production']);
    expect(lines(runtime, 'WORKDIR').map((i) => i.text)).toEqual(['/app']);
  });

  test('bakes in the RDS global CA bundle at DB_CA_FILE\'s default, pinned by SHA-256, read-only', () => {
    const [add] = lines(runtime, 'ADD');
    expect(add.args).toEqual(['https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem', DEFAULT_DB_CA_FILE]);
    expect(add.flags).toEqual({ checksum: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), chmod: '444' });
  });

  test('runs as uid:gid 1000:1000 (the contract\'s user), listens on PORT\'s default, and health-checks /healthz', () => {
    expect(lines(runtime, 'USER').map((i) => i.text)).toEqual(['1000:1000']);
    expect(lines(runtime, 'EXPOSE').map((i) => i.text)).toEqual([String(DEFAULT_PORT)]);
    expect(lines(runtime, 'HEALTHCHECK')[0].text).toContain(`wget -q -O /dev/null http://127.0.0.1:${DEFAULT_PORT}/healthz`);
  });

  test('its command is the server, and the migration step is compiled beside it (dist/migrate.js)', () => {
    expect(lines(runtime, 'CMD').map((i) => i.args)).toEqual([['node', 'dist/server.js']]);
    const tsconfig = json(join(SERVICE, 'tsconfig.json'));
    expect(tsconfig.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist', module: 'commonjs' });
    expect(readdirSync(join(SERVICE, 'src'))).toEqual(expect.arrayContaining(['server.ts', 'migrate.ts']));
    expect(manifest.scripts).toMatchObject({ start: 'node dist/server.js', migrate: 'node dist/migrate.js' });
  });
});

describe('build context (labs/ecommerce-backend/service after .dockerignore)', () => {
  const context = buildContext(SERVICE);

  test('holds every source the COPY lines name and nothing built locally', () => {
    for (const source of ['package.json', 'package-lock.json', 'tsconfig.json']) expect(context).toContain(source);
    expect(context).toEqual(expect.arrayContaining([expect.stringMatching(/^src\/.+\.ts$/), expect.stringMatching(/^migrations\/\d{3}_\w+\.sql$/)]));
    expect(context.filter((file) => /^(node_modules|dist)\//.test(file))).toEqual([]);
    const ignored = readFileSync(join(SERVICE, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist']));
  });
});

describe('dependencies', () => {
  const runtimeDeps = Object.keys(manifest.dependencies);

  test('are pinned exactly, and the lockfile matches package.json as npm ci requires', () => {
    for (const field of ['dependencies', 'devDependencies']) {
      for (const version of Object.values<string>(manifest[field])) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(lock.packages[''][field]).toEqual(manifest[field]);
    }
    for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      expect([name, lock.packages[`node_modules/${name}`].version]).toEqual([name, version]);
    }
  });

  test('agree with the kit\'s: the tests run the very package versions the image runs', () => {
    for (const [name, version] of Object.entries<string>({ ...manifest.dependencies, ...manifest.devDependencies })) {
      const kitVersion = kitManifest.dependencies[name] ?? kitManifest.devDependencies[name];
      expect([name, kitVersion]).toEqual([name, version]);
    }
    // Transitive ones too: same version and integrity hash, so the same bytes.
    const imageRuntime = Object.entries<{ version: string; integrity: string; dev?: boolean }>(lock.packages).filter(([path, entry]) => path !== '' && !entry.dev);
    expect(imageRuntime.length).toBeGreaterThan(runtimeDeps.length);
    for (const [path, entry] of imageRuntime) {
      expect([path, kitLock.packages[path]?.version, kitLock.packages[path]?.integrity]).toEqual([path, entry.version, entry.integrity]);
    }
  });

  test('every module the service imports at run time is a production dependency or part of Node', () => {
    const imported = new Set<string>();
    for (const file of readdirSync(join(SERVICE, 'src'))) {
      const source = readFileSync(join(SERVICE, 'src', file), 'utf8');
      for (const [, kind, spec] of source.matchAll(/^import (type )?[^;]*? from '([^']+)';/gm)) {
        if (kind === undefined && !spec.startsWith('.')) imported.add(spec);
      }
    }
    const packages = [...imported].filter((spec) => !spec.startsWith('node:'));
    expect(packages.sort()).toEqual(runtimeDeps.sort());
  });

  test('none needs an install script (npm 11 skips them, so one would break silently in the image)', () => {
    const scripted = Object.entries<{ hasInstallScript?: boolean }>(lock.packages).filter(([, entry]) => entry.hasInstallScript);
    expect(scripted).toEqual([]);
  });
});
