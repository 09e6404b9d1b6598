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
export function readStackConfig(lab: Lab, profile: Profile, overrides: Readonly<Record<string, string>> = {}): StackConfig {
  const stack = `${lab}-${profile}`;
  const config: Record<string, string> = { ...projectDefaults(), ...stackFileConfig(stack) };
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

function projectDefaults(): Record<string, string> {
  const project = readYamlFile('Pulumi.yaml') as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  for (const [key, declaration] of Object.entries(project.config ?? {})) {
    const value = isRecord(declaration) ? (declaration.default ?? declaration.value) : declaration;
    if (value !== undefined) config[qualify(key)] = encode(value);
  }
  return config;
}

function stackFileConfig(stack: string): Record<string, string> {
  const file = readYamlFile(`Pulumi.${stack}.yaml`) as { config?: Record<string, unknown> } | null;
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(file?.config ?? {})) config[qualify(key)] = encode(value);
  return config;
}

function readYamlFile(name: string): unknown {
  return parse(readFileSync(join(REPO_ROOT, name), 'utf8'));
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
