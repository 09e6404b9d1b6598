/**
 * How the Pulumi CLI's Node.js language host starts the program, rebuilt from Pulumi.yaml so the
 * kit can start it the same way without the CLI. Mirrored from pulumi/pulumi:
 * - pkg/engine/project.go `getPwdMain`: when `main` names a file, the program directory is that
 *   file's folder and the entry point its base name; the language host runs there, and node
 *   inherits that working directory (exec.Command without Dir).
 * - sdk/nodejs/cmd/pulumi-language-nodejs/main.go `execNodejs`: argv = shlex-split `nodeargs`, then
 *   `constructArguments`: <@pulumi/pulumi/cmd/run> --monitor --engine [--organization] --project
 *   --stack --pwd <program dir> [--dry-run] --query-mode --parallel <entry point>; environment:
 *   PULUMI_CONFIG (keys rewritten by `constructConfig` to `<namespace>:config:<name>`) and
 *   PULUMI_CONFIG_SECRET_KEYS (`constructConfigSecretKeys`).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';

export interface LaunchRequest {
  /** The folder holding Pulumi.yaml. */
  readonly projectRoot: string;
  readonly stack: string;
  /** Fully qualified keys (`gcp:region`, `iac-lab-kit:lab`), values as `pulumi config` holds them. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys?: readonly string[];
  /** `host:port` of the resource monitor and the engine the program talks to. */
  readonly monitor: string;
  readonly engine: string;
  /** `pulumi preview` (true) or `pulumi up` (false). */
  readonly dryRun: boolean;
}

export interface Launch {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

interface ProjectFile {
  readonly name: string;
  readonly main?: string;
  readonly runtime: string | { readonly name: string; readonly options?: { readonly nodeargs?: string } };
}

/** The node command line, working directory and environment the language host would use. */
export function languageHostLaunch(request: LaunchRequest): Launch {
  const project = parse(readFileSync(join(request.projectRoot, 'Pulumi.yaml'), 'utf8')) as ProjectFile;
  const main = join(request.projectRoot, project.main ?? '.');
  // getPwdMain: a `main` that ends in a file name makes its folder the program directory.
  const isFile = /\.[cm]?[jt]s$/.test(main);
  const programDirectory = isFile ? dirname(main) : main;
  const entryPoint = isFile ? basename(main) : '.';
  const nodeargs = typeof project.runtime === 'string' ? '' : (project.runtime.options?.nodeargs ?? '');
  // The language host locates cmd/run from the program directory, as node would resolve it there.
  const runPath = dirname(require.resolve('@pulumi/pulumi/cmd/run', { paths: [programDirectory] }));
  const config = Object.fromEntries(Object.entries(request.config).map(([key, value]) => [languageHostKey(key), value]));
  return {
    command: process.execPath,
    args: [
      ...splitArgs(nodeargs),
      runPath,
      '--monitor', request.monitor,
      '--engine', request.engine,
      '--project', project.name,
      '--stack', request.stack,
      '--pwd', programDirectory,
      ...(request.dryRun ? ['--dry-run'] : []),
      '--query-mode', 'false',
      '--parallel', '16',
      entryPoint,
    ],
    cwd: programDirectory,
    env: {
      PULUMI_CONFIG: JSON.stringify(config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.secretKeys ?? []),
    },
  };
}

/** `gcp:region` → `gcp:config:region`, as `constructConfig` hands keys to older and newer SDKs alike. */
function languageHostKey(key: string): string {
  const at = key.indexOf(':');
  return `${key.slice(0, at)}:config:${key.slice(at + 1)}`;
}

/** Shell-like splitting of `nodeargs` (quotes group words), as the host's shlex.Split does. */
export function splitArgs(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]);
  return words;
}
