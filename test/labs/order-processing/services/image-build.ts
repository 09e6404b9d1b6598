/**
 * An offline proof that a service's Dockerfile builds, for machines without a Docker engine. It does
 * what `docker build -f <service>/Dockerfile <services folder>` does with the build context, in a
 * scratch directory standing in for the image filesystems:
 * - every COPY source must exist in the build context and not be excluded by its .dockerignore
 *   (Docker fails the build on a missing source: "COPY failed: ... not found");
 * - WORKDIR and COPY lay the files out where the image has them (a directory source copies its
 *   contents, as Docker's COPY does);
 * - the build stage's RUN commands run for real where they can: the TypeScript compiler, on exactly
 *   the files the COPY lines put there (a file the Dockerfile forgets to copy fails the compile);
 * - two need the network or a fresh install, and are replaced by what proves their outcome:
 *   `npm ci` by checking the service's lockfile is what npm ci accepts (its root entry matches
 *   package.json) and pins the very versions the kit's node_modules holds, which then stands in;
 *   `npm prune --omit=dev` by checking the compiled code requires only runtime dependencies;
 * - any other RUN in the build stage fails the proof, so it cannot go stale silently.
 * The run stage's COPY --from=build sources must then exist in the build stage's filesystem, and the
 * CMD's file in the run stage's.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix, relative } from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
export const SERVICES_DIR = join(REPO_ROOT, 'labs/order-processing/services');
export const SERVICES = ['order-frontend', 'order-validator', 'order-rabbitmq-consumer', 'order-kafka-consumer'] as const;
export type ServiceName = (typeof SERVICES)[number];

const run = promisify(execFile);

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly from: string;
  readonly name?: string;
  readonly instructions: Instruction[];
}

/** Instructions by stage; continuation lines joined, comments dropped. */
export function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (keyword === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ from, name, instructions: [] });
    } else if (keyword === 'ARG' && stages.length === 0) {
      continue; // a global ARG, used in FROM
    } else {
      stages.at(-1)!.instructions.push({ keyword, args });
    }
  }
  return stages;
}

export function dockerfileOf(service: ServiceName): string {
  return readFileSync(join(SERVICES_DIR, service, 'Dockerfile'), 'utf8');
}

/** The `docker build` line a Dockerfile documents in its header comment. */
export function documentedBuildCommand(dockerfile: string): string | undefined {
  return /^#\s+(docker build .*)$/m.exec(dockerfile)?.[1];
}

export interface OfflineBuild {
  /** The run stage's /app, as the image has it. */
  readonly appDir: string;
  readonly user?: string;
  readonly expose: string[];
  readonly cmd: string[];
  /** Removes the scratch directory. */
  cleanup(): void;
}

/** Builds `service` offline as described above; throws with the reason a real build would fail. */
export async function buildOffline(service: ServiceName, dockerfile = dockerfileOf(service)): Promise<OfflineBuild> {
  const [build, runtime, ...more] = parseDockerfile(dockerfile);
  if (!build || !runtime || more.length > 0) throw new Error(`${service}/Dockerfile: expected two stages (build, run), found ${more.length + (runtime ? 2 : 1)}`);
  const scratch = mkdtempSync(join(tmpdir(), `iac-lab-kit-image-${service}-`));
  try {
    const fs = (stageRoot: string) => (path: string) => join(stageRoot, path);
    const buildFs = fs(join(scratch, 'build-stage'));
    const runFs = fs(join(scratch, 'run-stage'));
    let cwd = '/';
    for (const { keyword, args } of build.instructions) {
      if (keyword === 'WORKDIR') {
        cwd = posix.resolve(cwd, args);
        mkdirSync(buildFs(cwd), { recursive: true });
      } else if (keyword === 'COPY') {
        copyFromContext(args, buildFs, cwd);
      } else if (keyword === 'RUN') {
        for (const command of args.split('&&').map((c) => c.trim())) await runBuildCommand(service, command, buildFs(cwd));
      } else {
        throw new Error(`${service}/Dockerfile: the offline build does not know ${keyword} in the build stage`);
      }
    }
    const result = { user: undefined as string | undefined, expose: [] as string[], cmd: [] as string[] };
    cwd = '/';
    for (const { keyword, args } of runtime.instructions) {
      if (keyword === 'WORKDIR') {
        cwd = posix.resolve(cwd, args);
        mkdirSync(runFs(cwd), { recursive: true });
      } else if (keyword === 'COPY' && args.startsWith(`--from=${build.name} `)) {
        const [source, destination] = args.slice(`--from=${build.name} `.length).split(/\s+/);
        const from = buildFs(source);
        if (!existsSync(from)) throw new Error(`${service}/Dockerfile: COPY --from=${build.name} ${source}: not in the build stage`);
        copy(from, runFs(posix.resolve(cwd, destination)));
      } else if (keyword === 'COPY') {
        copyFromContext(args, runFs, cwd);
      } else if (keyword === 'USER') {
        result.user = args;
      } else if (keyword === 'EXPOSE') {
        result.expose.push(...args.split(/\s+/));
      } else if (keyword === 'CMD') {
        result.cmd = JSON.parse(args) as string[];
      } else if (keyword === 'RUN' && !/^rm -rf (\/(usr\/local|opt)\/\S+\s*)+$/.test(args)) {
        throw new Error(`${service}/Dockerfile: the offline build only knows RUN rm -rf of the base image's package managers in the run stage, found: ${args}`);
      } else if (!['RUN', 'ENV'].includes(keyword)) {
        throw new Error(`${service}/Dockerfile: the offline build does not know ${keyword} in the run stage`);
      }
    }
    const appDir = runFs(cwd);
    const [program, file] = result.cmd;
    if (program !== 'node' || !existsSync(join(appDir, file))) throw new Error(`${service}/Dockerfile: CMD ${JSON.stringify(result.cmd)} names no file the image has`);
    return { ...result, appDir, cleanup: () => rmSync(scratch, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
}

/** COPY <src>... <dest> from the build context (the services folder), without what its .dockerignore excludes. */
function copyFromContext(args: string, stageFs: (path: string) => string, cwd: string): void {
  const sources = args.split(/\s+/);
  const rawDestination = sources.pop()!;
  const destination = stageFs(posix.resolve(cwd, rawDestination));
  const intoDirectory = sources.length > 1 || rawDestination.endsWith('/');
  const ignored = dockerIgnored();
  for (const source of sources) {
    const from = join(SERVICES_DIR, source);
    if (!existsSync(from) || ignored(source)) throw new Error(`COPY ${source}: not found in the build context ${relative(REPO_ROOT, SERVICES_DIR)}`);
    // A directory's contents are copied; a file lands in the destination folder, or is the destination.
    const to = statSync(from).isFile() && intoDirectory ? join(destination, basename(from)) : destination;
    copy(from, to, (file) => !ignored(relative(SERVICES_DIR, file)));
  }
}

function copy(from: string, to: string, filter: (file: string) => boolean = () => true): void {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true, verbatimSymlinks: true, filter: (source) => filter(source) });
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((entry) => filesUnder(join(path, entry)));
}

/** The build context's .dockerignore as a predicate on context-relative paths (the `**`/`*` patterns it uses). */
function dockerIgnored(): (path: string) => boolean {
  const patterns = readFileSync(join(SERVICES_DIR, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const regexps = patterns.map((pattern) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '(.*/)?').replace(/\*/g, '[^/]*')}(/.*)?$`));
  return (path) => regexps.some((regexp) => regexp.test(path));
}

export interface Lockfile {
  packages: Record<string, { version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>;
}

async function runBuildCommand(service: ServiceName, command: string, cwd: string): Promise<void> {
  if (/^npm ci( --no-audit| --no-fund)*$/.test(command)) {
    checkLockfileMatchesKit(service, cwd);
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(cwd, 'node_modules'), 'dir');
  } else if (/^node_modules\/\.bin\/tsc -p \S+$/.test(command)) {
    const [program, ...args] = command.split(/\s+/);
    await run(join(cwd, program), args, { cwd }).catch((err: { stdout?: string }) => {
      throw new Error(`${service}: ${command} failed in the build stage:\n${err.stdout ?? String(err)}`);
    });
  } else if (/^npm prune --omit=dev( --no-audit| --no-fund)*$/.test(command)) {
    checkOnlyRuntimeDependenciesRequired(service, cwd);
  } else {
    throw new Error(`${service}/Dockerfile: the offline build does not know RUN ${command}`);
  }
}

/** What npm ci demands (lockfile root = package.json), and that the kit's node_modules has the same versions. */
function checkLockfileMatchesKit(service: ServiceName, cwd: string): void {
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  const lock: Lockfile = JSON.parse(readFileSync(join(cwd, 'package-lock.json'), 'utf8'));
  const rootEntry = lock.packages[''];
  if (JSON.stringify(rootEntry.dependencies ?? {}) !== JSON.stringify(pkg.dependencies ?? {}) || JSON.stringify(rootEntry.devDependencies ?? {}) !== JSON.stringify(pkg.devDependencies ?? {})) {
    throw new Error(`${service}: package-lock.json is out of sync with package.json (npm ci would refuse it): run npm install --package-lock-only in its folder`);
  }
  const drift = lockfileDrift(lock);
  if (drift.length > 0) throw new Error(`${service}: its lockfile pins other versions than the kit's (${drift.join(', ')}): tests would not run the code the image runs`);
}

/** The packages `lock` pins at another version than the kit's lockfile, as `path: version (kit: version)`. */
export function lockfileDrift(lock: Lockfile): string[] {
  const kit: Lockfile = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && kit.packages[path]?.version !== entry.version)
    .map(([path, entry]) => `${path}: ${entry.version} (kit: ${kit.packages[path]?.version ?? 'none'})`);
}

/** After `npm prune --omit=dev` only `dependencies` remain: the compiled code may require nothing else. */
function checkOnlyRuntimeDependenciesRequired(service: ServiceName, cwd: string): void {
  const runtime = Object.keys(JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')).dependencies ?? {});
  const compiled = filesUnder(join(cwd, 'dist')).filter((file) => file.endsWith('.js'));
  for (const file of compiled) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(name) || runtime.includes(name)) continue;
      throw new Error(`${service}: ${relative(cwd, file)} requires ${specifier}, which is not in its package.json dependencies (npm prune --omit=dev leaves only those)`);
    }
  }
}
