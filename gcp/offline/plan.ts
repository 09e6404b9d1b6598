/**
 * The offline plan: runs the real lab program under `pulumi.runtime.setMocks` and
 * records what it declares, the way `pulumi preview` would show it, without a Pulumi
 * CLI, provider plugin or cloud account.
 */
import * as pulumi from '@pulumi/pulumi';
import { ConfigReader } from '../../common/config';
import { LABS, PROFILES, readLabConfig, type Lab, type Profile } from '../config';
import pulumiProgram from '../index';
import { record, type Registration } from './recorder';
import { readStackConfig } from './stack-config';

export interface PlannedResource {
  /** The type token, e.g. `gcp:container/cluster:Cluster` (components: `iac-lab-kit:gcp:GkeLab`). */
  readonly type: string;
  /** The logical name, unique within a plan. */
  readonly name: string;
  /** Name of the parent resource; only the stack has none. */
  readonly parent?: string;
  /** The inputs the program passed, secrets replaced by `[secret]`. */
  readonly inputs: Record<string, unknown>;
  /** Names of the resources this one depends on (explicit dependsOn and outputs used as inputs), parent aside. */
  readonly dependencies: string[];
}

export interface OfflinePlan {
  readonly lab: Lab;
  readonly profile: Profile;
  /** The stack the plan stands for, `<lab>-<profile>`. */
  readonly stack: string;
  /** The config the program ran with (project defaults, stack file, overrides). */
  readonly config: Readonly<Record<string, string>>;
  /** In tree order: the stack first, each parent before its children. */
  readonly resources: PlannedResource[];
  /** Stack outputs, secrets replaced by `[secret]`. */
  readonly outputs: Record<string, unknown>;
}

export interface OfflineRun {
  readonly plan: OfflinePlan;
  /** True when the stack file does not set `gcp:project` and a placeholder stood in. */
  readonly placeholderProject: boolean;
  /** The stack outputs with secrets in clear, for tests that check e.g. the kubeconfig; never write them anywhere. */
  readonly revealedOutputs: Record<string, unknown>;
}

export const SECRET_MASK = '[secret]';

/**
 * Plans `lab` in `profile` from its example stack config plus `overrides` (keys as
 * `pulumi config set` takes them, lists JSON-encoded). Bad input throws a ConfigError
 * before any resource is declared. Safe to call many times in one process.
 */
export async function planLab(lab: Lab, profile: Profile, overrides: Record<string, string> = {}): Promise<OfflinePlan> {
  return (await runLabOffline(lab, profile, overrides)).plan;
}

/** {@link planLab}, also returning what tests need to look behind the masks. */
export async function runLabOffline(lab: Lab, profile: Profile, overrides: Record<string, string> = {}): Promise<OfflineRun> {
  const reader = new ConfigReader((key, example) =>
    key === 'lab' ? `npm run plan -- ${example}` : `npm run plan -- ${String(lab)} --profile ${example}`,
  );
  reader.oneOf('lab', lab, LABS);
  reader.oneOf('profile', profile, PROFILES);
  const { stack, config, placeholderProject } = readStackConfig(lab, profile, overrides);
  // Validate first: bad config must fail before the Pulumi runtime sees a single resource.
  readLabConfig(config, stack);
  // The very function the Pulumi CLI runs (Pulumi.yaml `main`).
  const recording = await record(stack, config, pulumiProgram);
  return {
    plan: { lab, profile, stack, config, resources: toPlannedResources(recording.registrations), outputs: mask(recording.outputs) },
    placeholderProject,
    revealedOutputs: reveal(recording.outputs) as Record<string, unknown>,
  };
}

/** Tree order (each parent before its children, siblings in registration order), like `pulumi preview`. */
function toPlannedResources(registrations: readonly Registration[]): PlannedResource[] {
  const nameOf = new Map(registrations.map((r) => [r.urn, r.name]));
  const duplicate = registrations.find((r, i) => registrations.findIndex((other) => other.name === r.name) !== i);
  if (duplicate) throw new Error(`Two resources are named "${duplicate.name}": plans identify resources by name, make it unique.`);
  const planned = registrations.map((r): PlannedResource => {
    const parent = nameOf.get(r.parentUrn);
    const dependencies = [...new Set(r.dependencyUrns.map((urn) => nameOf.get(urn) ?? urn))]
      .filter((name) => name !== parent)
      .sort();
    return { type: r.type, name: r.name, ...(parent === undefined ? {} : { parent }), inputs: mask(r.inputs), dependencies };
  });
  const ordered: PlannedResource[] = [];
  const visit = (parent: string | undefined) => {
    for (const resource of planned.filter((r) => r.parent === parent)) {
      ordered.push(resource);
      visit(resource.name);
    }
  };
  visit(undefined);
  return ordered;
}

function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}

/** Replaces every secret with SECRET_MASK. */
function mask<T>(value: T): T {
  return mapSecrets(value, () => SECRET_MASK) as T;
}

function reveal(value: unknown): unknown {
  return mapSecrets(value, (secret) => reveal(secret.value));
}

function mapSecrets(value: unknown, replace: (secret: { value: unknown }) => unknown): unknown {
  if (isSecret(value)) return replace(value);
  if (Array.isArray(value)) return value.map((item) => mapSecrets(item, replace));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapSecrets(item, replace)]));
  }
  return value;
}
