/**
 * The AWS labs the CDK app can build, by the id `-c lab=<id>` names. One app, one lab at a time:
 * `cdk deploy --all` then deploys that lab's stacks and no other's.
 */
import type { App } from 'aws-cdk-lib';
import { addAutoPipeStacks } from './auto-pipe/app';
import { LAB_KEY, reader } from './config';
import { addEcommerceStacks } from './ecommerce/app';

export const AWS_LABS = { 'auto-pipe': addAutoPipeStacks, 'ecommerce-backend': addEcommerceStacks } as const;
export type AwsLabId = keyof typeof AWS_LABS;
const AWS_LAB_IDS = Object.keys(AWS_LABS) as AwsLabId[];

/** Adds the stacks of the lab the context names (`lab`, default auto-pipe) to `app`. */
export function addAwsLabStacks(app: App): App {
  const chosen = app.node.tryGetContext(LAB_KEY);
  const lab = chosen === undefined ? 'auto-pipe' : reader.oneOf(LAB_KEY, chosen, AWS_LAB_IDS);
  return AWS_LABS[lab](app);
}
