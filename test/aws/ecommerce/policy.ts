/**
 * The policy engines a user's `cdk synth` runs on the e-commerce lab (cdk-nag AwsSolutions, the
 * Control Tower rules in CloudFormation Guard): no unacknowledged finding, and exactly these
 * acknowledgements, each explained and each covering a real finding. One file per profile, so each
 * stays a few seconds; stacks.test.ts checks the CloudFormation schemas.
 */
import type { Profile } from '../../../common/profiles';
import { describeControlTowerRules, describePolicy } from '../synth';
import { ECOMMERCE_PROFILES, synthEcommerce } from './synth';

/** The policy tests of one profile, with its expected cdk-nag and Control Tower acknowledgements. */
export function describeEcommercePolicy(profile: Profile, nag: readonly string[], controlTower: readonly string[]): void {
  const synth = synthEcommerce(ECOMMERCE_PROFILES.filter((context) => context.env === profile), { validate: false });
  describePolicy(synth, [`EcommerceRegistry-${profile}`, `EcommerceBackend-${profile}`], nag);
  describeControlTowerRules(synth, controlTower);
}
