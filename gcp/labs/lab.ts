import type * as pulumi from '@pulumi/pulumi';
import type { LabConfig } from '../config';

/** What every lab component takes: the validated config. */
export interface LabArgs {
  readonly config: LabConfig;
}

/** Stack outputs of a lab; values that carry credentials are secret. */
export type LabOutputs = Record<string, pulumi.Output<unknown>>;
