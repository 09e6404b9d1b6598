/**
 * The offline plan: runs the real lab program under `pulumi.runtime.setMocks` and
 * records what it declares, the way `pulumi preview` would show it, without a Pulumi
 * CLI, provider plugin or cloud account.
 */
import * as pulumi from '@pulumi/pulumi';
import { ConfigReader } from '../../common/config';
import { LABS, PROFILES, readLabConfig, type Lab, type Profile } from '../config';
import pulumiProgram from '../index';
import { SECRET_MASK, toPlannedResources, type OfflinePlan } from './plan-model';
import { record } from './recorder';
import { readStackConfig } from './stack-config';

export interface OfflineRun {
  readonly plan: OfflinePlan;
  /** True when the stack file does not set `gcp:project` and a placeholder stood in. */
  readonly placeholderProject: boolean;
  /** The stack outputs with secrets in clear, for tests that check e.g. the kubeconfig; never write them anywhere. */
  readonly revealedOutputs: Record<string, unknown>;
}

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
    plan: { lab, profile, stack, config, resources: toPlannedResources(recording.registrations, mask), outputs: mask(recording.outputs) },
    placeholderProject,
    revealedOutputs: reveal(recording.outputs) as Record<string, unknown>,
  };
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
