/**
 * The config a real `pulumi preview` would hand the program, rebuilt offline from
 * Pulumi.yaml (project defaults) and the example stack file Pulumi.<lab>-<profile>.yaml,
 * the way the Pulumi CLI merges them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../../common/config';
import { REPO_ROOT } from '../../common/dist';
import { PROJECT_NAME, type Lab, type Profile } from '../config';

/** Used when the stack file leaves `gcp:project` for the user to set: a plan needs some project id. */
export const PLACEHOLDER_PROJECT = 'offline-lab-project';

export interface StackConfig {
  readonly stack: string;
  /** Fully qualified keys (`gcp:region`, `iac-lab-kit:lab`), values as the CLI passes them to the program. */
  readonly config: Readonly<Record<string, string>>;
  /** True when `gcp:project` was not set and PLACEHOLDER_PROJECT stands in for it. */
  readonly placeholderProject: boolean;
}


/**
 * Project defaults, then the stack file, then `overrides` (keys as `pulumi config set`
 * takes them: `authorizedNetworks` or `gcp:region`; list values JSON-encoded).
 * The lab and profile always come from the arguments.
 */
export function readStackConfig(lab: Lab, profile: Profile, overrides: Readonly<Record<string, string>> = {}, root: string = REPO_ROOT): StackConfig {
  const stack = `${lab}-${profile}`;
  const config: Record<string, string> = { ...projectDefaults(root), ...stackFileConfig(root, stack) };
  for (const [key, value] of Object.entries(overrides)) {
    const qualified = qualify(key);
    if (qualified === `${PROJECT_NAME}:lab` || qualified === `${PROJECT_NAME}:profile`) {
      throw new ConfigError(key, value, 'no override: the lab and profile come from the plan arguments', `npm run plan -- ${lab} --profile ${profile}`);
    }
    config[qualified] = value;
  }
  config[`${PROJECT_NAME}:lab`] = lab;
  config[`${PROJECT_NAME}:profile`] = profile;
  const placeholderProject = config['gcp:project'] === undefined;
  if (placeholderProject) config['gcp:project'] = PLACEHOLDER_PROJECT;
  return { stack, config: sortKeys(config), placeholderProject };
}

function projectDefaults(root: string): Record<string, string> {
  const project = readYamlFile(root, 'Pulumi.yaml', 'the Pulumi project file: git checkout -- Pulumi.yaml') as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  for (const [key, declaration] of Object.entries(project.config ?? {})) {
    const value = isRecord(declaration) ? (declaration.default ?? declaration.value) : declaration;
    if (value !== undefined) config[qualify(key)] = encode(value);
  }
  return config;
}

function stackFileConfig(root: string, stack: string): Record<string, string> {
  const name = `Pulumi.${stack}.yaml`;
  // An empty stack file is a stack without settings, as for the Pulumi CLI.
  const file = readYamlFile(root, name, `the example stack: git checkout -- ${name} (or pulumi stack init ${stack} and pulumi config set the keys)`) ?? {};
  if (!isRecord(file) || !(file.config === undefined || file.config === null || isRecord(file.config))) {
    throw new ConfigError(name, file, 'a YAML mapping with a `config:` mapping of keys to values, as `pulumi config set` writes it', `compare it with git show HEAD:${name}`);
  }
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(file.config ?? {})) config[qualify(key)] = encode(value);
  return config;
}

/** A YAML file of the project, or a one-line error naming the file, the line and what was expected. */
function readYamlFile(root: string, name: string, restore: string): unknown {
  let text: string;
  try {
    text = readFileSync(join(root, name), 'utf8');
  } catch {
    throw new ConfigError(name, 'no such file', `${name} in the repository root`, `restore ${restore}`);
  }
  try {
    return parse(text);
  } catch (err) {
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    const at = line === undefined ? name : `${name} line ${line}`;
    throw new ConfigError(at, line === undefined ? text.trim().split('\n')[0] : text.split('\n')[line - 1].trim(), `valid YAML (${(err as Error).message.split('\n')[0].replace(/ at line \d+.*$/, '')})`, `fix that line, or compare with git show HEAD:${name}`);
  }
}

/** Keys without a namespace belong to the project, as in `pulumi config set`. */
function qualify(key: string): string {
  return key.includes(':') ? key : `${PROJECT_NAME}:${key}`;
}

/** Scalars as text, lists and maps as JSON: what the CLI puts in the program's environment. */
function encode(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortKeys(config: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
}
