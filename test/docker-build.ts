/**
 * `docker build` offline (there is no Docker engine where the kit's tests run), for the kit's own
 * images: the e-commerce service's and the order-processing apps'. It reads the Dockerfile as
 * BuildKit does (parser directives, line continuations, flags, exec-form JSON, global ARGs), applies
 * .dockerignore to the build context, and carries out each instruction on a scratch directory per
 * stage, so the files the runtime stage ends with are the ones the real build would produce:
 *
 * - COPY takes files from the filtered context (a missing or ignored source fails, as in Docker) or
 *   from an earlier stage's directory, with Docker's rules: a directory's contents are copied, not the
 *   directory; a file lands inside the destination when it ends in `/` or there are several sources.
 * - RUN knows only the commands this Dockerfile runs, each replaced by an offline equivalent that
 *   keeps what matters: `npm ci` first checks the lock against package.json as npm ci does, then
 *   installs each locked package from the kit's own node_modules, but only when it is the same
 *   version with the same integrity hash (so the same bytes the registry would send: files are
 *   hard-linked, and dev packages, pruned before anything copies the stage's node_modules, symlinked); `npm run
 *   build` runs the package.json script with the image's own TypeScript; `npm prune --omit=dev`
 *   removes what the lock marks dev. Any other command fails, so the emulation cannot drift
 *   silently from the file.
 * - ADD of a URL cannot download here: the caller supplies the content, and the checksum flag is
 *   checked for form (a real build compares it to the download).
 * - What the base image brings (node, busybox) is the host's: `RUN rm` of base-image paths is a no-op.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix, relative, resolve } from 'node:path';
import { RESULT_CACHE_ROOT, ResultCache, resultKey } from './result-cache';

export interface Instruction {
  readonly keyword: string;
  readonly flags: Readonly<Record<string, string>>;
  /** Words of the shell form, or the elements of the exec (JSON) form. */
  readonly args: readonly string[];
  /** The text after the keyword and flags, continuations joined. */
  readonly text: string;
}

export interface Stage {
  readonly from: string;
  readonly name?: string;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  readonly directives: Readonly<Record<string, string>>;
  /** ARGs declared before the first FROM, with their defaults. */
  readonly globalArgs: Readonly<Record<string, string>>;
  readonly stages: readonly Stage[];
}

export function parseDockerfile(source: string): Dockerfile {
  const lines = source.split('\n');
  const directives: Record<string, string> = {};
  // Parser directives: `# key=value` lines at the very top, before any comment or instruction.
  while (lines.length > 0 && /^#\s*\w+=/.test(lines[0])) {
    const [key, value] = lines.shift()!.slice(1).trim().split('=');
    directives[key.toLowerCase()] = value;
  }
  const logical: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current === '' && /^\s*(#|$)/.test(line)) continue;
    if (/^\s*#/.test(line)) continue; // comments inside a continued instruction are dropped too
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
    } else {
      logical.push((current + line).trim());
      current = '';
    }
  }
  const globalArgs: Record<string, string> = {};
  const stages: { from: string; name?: string; instructions: Instruction[] }[] = [];
  for (const line of logical) {
    const [, keyword, rest] = /^(\S+)\s*(.*)$/.exec(line)!;
    const instruction = parseInstruction(keyword.toUpperCase(), rest);
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args;
      stages.push({ from: image.replace(/\$\{(\w+)\}/g, (_, arg: string) => globalArgs[arg] ?? ''), name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`${instruction.keyword} before the first FROM`);
      const [name, value = ''] = instruction.text.split('=');
      globalArgs[name] = value;
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { directives, globalArgs, stages };
}

function parseInstruction(keyword: string, rest: string): Instruction {
  const flags: Record<string, string> = {};
  let text = rest;
  for (let flag = /^--([\w-]+)=(\S+)\s*/.exec(text); flag !== null; flag = /^--([\w-]+)=(\S+)\s*/.exec(text)) {
    flags[flag[1]] = flag[2];
    text = text.slice(flag[0].length);
  }
  text = text.replace(/\s+/g, ' ').trim();
  const args = text.startsWith('[') ? (JSON.parse(text) as string[]) : text.split(' ').filter(Boolean);
  return { keyword, flags, args, text };
}

/**
 * The build context as Docker sends it: every file under `dir` except what .dockerignore excludes.
 * Supports the patterns Docker matches by path from the context root (`name`, `dir/name`, `*`
 * within a segment); anything fancier (`**`, `!`) is refused rather than guessed at.
 */
export function buildContext(dir: string): string[] {
  const ignoreFile = join(dir, '.dockerignore');
  const patterns = existsSync(ignoreFile)
    ? readFileSync(ignoreFile, 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'))
    : [];
  for (const pattern of patterns) if (/\*\*|^!|[?[\]]/.test(pattern)) throw new Error(`.dockerignore pattern ${pattern} is beyond this emulation`);
  const matchers = patterns.map((pattern) => new RegExp(`^${posix.normalize(pattern.replace(/^\//, '')).split('*').map((part) => part.replace(/[.+^${}()|\\]/g, '\\$&')).join('[^/]*')}(/|$)`));
  const walk = (at: string): string[] =>
    readdirSync(join(dir, at), { withFileTypes: true }).flatMap((entry) => {
      const path = at === '' ? entry.name : `${at}/${entry.name}`;
      if (matchers.some((m) => m.test(path))) return [];
      return entry.isDirectory() ? walk(path) : [path];
    });
  return walk('');
}

export interface BuiltImage {
  /** The runtime stage's root directory on this machine (delete it with {@link BuiltImage.remove}). */
  readonly root: string;
  readonly workdir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly cmd: readonly string[];
  readonly exposed: readonly string[];
  readonly healthcheck?: string;
  /** What each ADD of a URL would have fetched: url, destination, flags. */
  readonly downloads: readonly { readonly url: string; readonly dest: string; readonly flags: Readonly<Record<string, string>> }[];
  /** Every file of the runtime stage's root, relative to it. */
  files(): string[];
  remove(): void;
}

export interface BuildOptions {
  /** The Dockerfile, relative to the context or absolute (`docker build -f`). @default 'Dockerfile' */
  readonly dockerfile?: string;
  /** The kit's node_modules and package-lock.json, from which `npm ci` installs. */
  readonly nodeModules: string;
  readonly kitLock: string;
  /** What an ADD of this URL would download. */
  readonly download: (url: string) => string;
}

interface StageState {
  readonly root: string;
  cwd: string;
  env: Record<string, string>;
  user?: string;
  cmd: string[];
  exposed: string[];
  healthcheck?: string;
}

/** Builds `contextDir` with its Dockerfile; returns the final stage, as `docker build` would tag it. */
export function buildImage(contextDir: string, options: BuildOptions): BuiltImage {
  const dockerfile = parseDockerfile(readFileSync(resolve(contextDir, options.dockerfile ?? 'Dockerfile'), 'utf8'));
  const context = new Set(buildContext(contextDir));
  const scratch = mkdtempSync(join(tmpdir(), 'iac-lab-kit-image-'));
  // Traversable by the image's user, as / is in a container.
  chmodSync(scratch, 0o755);
  const stages = new Map<string, StageState>();
  const downloads: { url: string; dest: string; flags: Record<string, string> }[] = [];
  let state: StageState | undefined;
  try {
    dockerfile.stages.forEach((stage, index) => {
      state = { root: join(scratch, `stage-${index}`), cwd: '/', env: {}, cmd: [], exposed: [] };
      mkdirSync(state.root);
      stages.set(stage.name ?? String(index), state);
      for (const instruction of stage.instructions) {
        apply(instruction, state, { contextDir, context, stages, downloads, options });
      }
    });
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
  const last = state!;
  return {
    root: last.root,
    workdir: last.cwd,
    env: last.env,
    user: last.user,
    cmd: last.cmd,
    exposed: last.exposed,
    healthcheck: last.healthcheck,
    downloads,
    files: () => listFiles(last.root),
    remove: () => {
      makeWritable(scratch);
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

interface Env {
  readonly contextDir: string;
  readonly context: ReadonlySet<string>;
  readonly stages: ReadonlyMap<string, StageState>;
  readonly downloads: { url: string; dest: string; flags: Record<string, string> }[];
  readonly options: BuildOptions;
}

function apply(instruction: Instruction, state: StageState, env: Env): void {
  const inStage = (path: string) => join(state.root, posix.resolve(state.cwd, path));
  switch (instruction.keyword) {
    case 'WORKDIR':
      state.cwd = posix.resolve(state.cwd, instruction.args[0]);
      mkdirSync(inStage('.'), { recursive: true });
      return;
    case 'ENV':
      for (const pair of instruction.args) {
        const [key, value] = pair.split('=');
        state.env[key] = value;
      }
      return;
    case 'COPY': {
      const sources = instruction.args.slice(0, -1);
      const dest = instruction.args.at(-1)!;
      const intoDirectory = sources.length > 1 || dest.endsWith('/');
      for (const source of sources) {
        const from = instruction.flags.from;
        if (from !== undefined) {
          const stage = env.stages.get(from);
          if (stage === undefined) throw new Error(`COPY --from=${from}: no such stage`);
          const path = join(stage.root, source);
          if (!existsSync(path)) throw new Error(`COPY --from=${from} ${source}: not found in that stage`);
          const target = statSync(path).isFile() && intoDirectory ? join(inStage(dest), basename(path)) : inStage(dest);
          mkdirSync(dirname(target), { recursive: true });
          // The same bytes, hard-linked; makeReadOnly gives a linked file its own copy before changing its mode.
          if (statSync(path).isDirectory()) linkTree(path, target);
          else cpSync(path, target);
        } else {
          const inContext = [...env.context].filter((file) => file === source || file.startsWith(`${source}/`));
          if (inContext.length === 0) throw new Error(`COPY ${source}: not found in the build context (missing, or excluded by .dockerignore)`);
          for (const file of inContext) {
            const target = file === source ? (intoDirectory ? join(inStage(dest), basename(file)) : inStage(dest)) : join(inStage(dest), relative(source, file));
            mkdirSync(dirname(target), { recursive: true });
            cpSync(join(env.contextDir, file), target);
          }
        }
      }
      return;
    }
    case 'ADD': {
      const [url, dest] = instruction.args;
      if (!/^https:\/\//.test(url)) throw new Error(`ADD ${url}: only downloads are emulated`);
      const target = inStage(dest);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, env.options.download(url));
      if (instruction.flags.chmod) chmodSync(target, Number.parseInt(instruction.flags.chmod, 8));
      env.downloads.push({ url, dest: posix.resolve(state.cwd, dest), flags: instruction.flags });
      return;
    }
    case 'RUN':
      for (const command of instruction.text.split(' && ')) run(command.trim().split(' '), state, env);
      return;
    case 'USER':
      state.user = instruction.args[0];
      return;
    case 'EXPOSE':
      state.exposed.push(...instruction.args);
      return;
    case 'HEALTHCHECK':
      state.healthcheck = instruction.text;
      return;
    case 'CMD':
      state.cmd = [...instruction.args];
      return;
    default:
      throw new Error(`${instruction.keyword} is beyond this emulation`);
  }
}

interface LockEntry {
  version?: string;
  integrity?: string;
  dev?: boolean;
  hasInstallScript?: boolean;
}
type Lock = { packages: Record<string, LockEntry & { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }> };

function run([program, ...args]: string[], state: StageState, env: Env): void {
  const cwd = join(state.root, state.cwd);
  const command = [program, ...args].join(' ');
  if (program === 'rm') return; // removes base-image files, which the emulation does not have
  if (program !== 'npm') throw new Error(`RUN ${command} is beyond this emulation`);
  const lock = JSON.parse(readFileSync(join(cwd, 'package-lock.json'), 'utf8')) as Lock;
  const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> };
  if (args[0] === 'ci') {
    // npm ci refuses a lock that does not match package.json.
    for (const field of ['dependencies', 'devDependencies'] as const) {
      if (JSON.stringify(lock.packages[''][field] ?? {}) !== JSON.stringify(manifest[field] ?? {})) {
        throw new Error(`npm ci: package-lock.json's ${field} do not match package.json's: run npm install in ${cwd}`);
      }
    }
    const kit = (JSON.parse(readFileSync(env.options.kitLock, 'utf8')) as Lock).packages;
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === '') continue;
      const source = join(env.options.nodeModules, '..', path);
      const ours = kit[path];
      if (ours?.version !== entry.version || ours.integrity !== entry.integrity) {
        throw new Error(`npm ci: the image locks ${path}@${entry.version} (${entry.integrity}); the kit's package-lock.json has ${ours?.version ?? 'nothing'} there: pin the same version in both`);
      }
      const target = join(cwd, path);
      mkdirSync(dirname(target), { recursive: true });
      // A dev package (the compiler) is used in this stage only and pruned before anything copies the
      // stage's node_modules: linking it is as good as copying its bytes, and spares copying TypeScript.
      // The others are hard-linked file by file, the same bytes again: nothing writes into them, and
      // makeReadOnly gives a linked file its own copy before changing its mode.
      if (entry.dev) symlinkSync(source, target, 'dir');
      else linkTree(source, target);
    }
    return;
  }
  if (args[0] === 'run') {
    const script = manifest.scripts?.[args[1]];
    if (script === undefined) throw new Error(`npm run ${args[1]}: no such script`);
    const [bin, ...binArgs] = script.split(' ');
    if (bin !== 'tsc') throw new Error(`npm run ${args[1]} (${script}) is beyond this emulation`);
    const compile = () => {
      const before = new Set(stageFiles(cwd));
      try {
        execFileSync(process.execPath, [join(cwd, 'node_modules', 'typescript', 'bin', 'tsc'), ...binArgs], { cwd, stdio: 'pipe' });
      } catch (err) {
        // What docker build prints: the compiler's own errors.
        throw new Error(`RUN npm run ${args[1]} (${script}) failed:\n${String((err as { stdout?: Buffer }).stdout ?? err)}`, { cause: err });
      }
      return Object.fromEntries(stageFiles(cwd).filter((file) => !before.has(file)).map((file) => [file, readFileSync(join(cwd, file), 'base64')]));
    };
    for (const [file, content] of Object.entries(COMPILED.through(compileKey(cwd, script), compile))) {
      mkdirSync(dirname(join(cwd, file)), { recursive: true });
      writeFileSync(join(cwd, file), content, 'base64');
    }
    return;
  }
  if (args[0] === 'prune' && args.includes('--omit=dev')) {
    for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && entry.dev) rmSync(join(cwd, path), { recursive: true, force: true });
    return;
  }
  throw new Error(`RUN ${command} is beyond this emulation`);
}

/**
 * What the compiler wrote is a function of the stage's files and the locked compiler: like BuildKit's
 * cache of a RUN step (keyed by the instruction and the layers before it), the same inputs reuse the
 * last output (test/result-cache.ts) instead of compiling again. A failed compile is never stored.
 */
const COMPILED = new ResultCache(join(RESULT_CACHE_ROOT, 'image-compiles'));
function compileKey(cwd: string, script: string): string | undefined {
  // The stage's package-lock.json is among its files and pins the compiler npm ci installed.
  return resultKey('image-compile v2', [script, ...stageFiles(cwd).sort().flatMap((file) => [file, readFileSync(join(cwd, file))])]);
}

/** The files of the stage's working directory, its installed packages aside. */
const stageFiles = (cwd: string) => readdirSync(cwd).filter((name) => name !== 'node_modules').flatMap((name) => (statSync(join(cwd, name)).isDirectory() ? listFiles(cwd, name) : [name]));

/** `source`'s tree at `target`: directories made, files hard-linked, symbolic links kept as they are. */
function linkTree(source: string, target: string): void {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isDirectory()) linkTree(from, to);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (!hardLinksWork) copyFileSync(from, to);
    else {
      try {
        linkSync(from, to);
      } catch (err) {
        // The temp folder on another file system (a tmpfs /tmp): copy instead, from now on.
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        hardLinksWork = false;
        copyFileSync(from, to);
      }
    }
  }
}
let hardLinksWork = true;

function listFiles(root: string, at = ''): string[] {
  return readdirSync(join(root, at), { withFileTypes: true }).flatMap((entry) => {
    const path = at === '' ? entry.name : `${at}/${entry.name}`;
    return entry.isDirectory() ? listFiles(root, path) : [path];
  });
}

/** Leaves `root` as a read-only root filesystem would: nothing in it writable, by anyone but root. */
export function makeReadOnly(root: string): void {
  for (const path of [root, ...listAll(root)]) {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) continue;
    // A file hard-linked from the kit's node_modules (linkTree) must not change mode there too.
    if (stat.isFile() && stat.nlink > 1) {
      copyFileSync(path, `${path}.copy`);
      renameSync(`${path}.copy`, path);
    }
    chmodSync(path, stat.isDirectory() ? 0o555 : stat.mode & 0o555);
  }
}

function makeWritable(root: string): void {
  for (const path of [root, ...listAll(root)]) if (!lstatSync(path).isSymbolicLink() && statSync(path).isDirectory()) chmodSync(path, 0o755);
}

function listAll(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const path = join(root, entry.name);
    return entry.isDirectory() ? [path, ...listAll(path)] : [path];
  });
}
