/**
 * `npm run plan`: a lab's stack previewed as `pulumi preview` previews it (run-program.ts), from
 * Pulumi.yaml's defaults and the example stack file, validated in-process first so that bad
 * config is one line before any program starts.
 */
import { ConfigReader } from '../../common/config';
import { LABS, PROFILES, readLabConfig, type Lab, type Profile } from '../config';
import { toPlannedResources, type OfflinePlan } from '../offline/plan-model';
import { readStackConfig } from '../offline/stack-config';
import { previewProgram } from './run-program';

export interface LabPreview {
  readonly plan: OfflinePlan;
  /** True when the stack file does not set `gcp:project` and a placeholder stood in. */
  readonly placeholderProject: boolean;
}

export async function previewLab(lab: Lab, profile: Profile, overrides: Record<string, string> = {}): Promise<LabPreview> {
  const reader = new ConfigReader((key, example) =>
    key === 'lab' ? `npm run plan -- ${example}` : `npm run plan -- ${String(lab)} --profile ${example}`,
  );
  reader.oneOf('lab', lab, LABS);
  reader.oneOf('profile', profile, PROFILES);
  const { stack, config, placeholderProject } = readStackConfig(lab, profile, overrides);
  readLabConfig(config, stack);
  const preview = await previewProgram({ stack, config });
  return {
    plan: { lab, profile, stack, config, resources: toPlannedResources(preview.resources, (inputs) => inputs), outputs: preview.outputs },
    placeholderProject,
  };
}

