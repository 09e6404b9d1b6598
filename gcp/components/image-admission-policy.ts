import * as gcp from '../provider';
import * as pulumi from '@pulumi/pulumi';
import type { ImageAdmission } from '../config';

export interface ImageAdmissionPolicyArgs {
  readonly project: string;
  /** Where the cluster's own images live: every repository of the project's Artifact Registry in this region. */
  readonly region: string;
  /** prod blocks what the policy denies; dev only writes the denial to the audit log. */
  readonly enforcement: ImageAdmission;
}

/**
 * The project's Binary Authorization policy (CIS GKE 5.10.4): pods may run images from the project's
 * own Artifact Registry and Google's GKE system images, and nothing else. In dev a denial is only
 * logged (`DRYRUN_AUDIT_LOG_ONLY`), so a learner sees in Cloud Audit Logs what prod would block;
 * in prod it is blocked. Third-party images (Docker Hub, bitnami...) must be copied into Artifact
 * Registry first, which is also how a production team pins and scans them.
 *
 * The policy is a singleton of the project: two stacks in one project share it, and the last
 * `pulumi up` wins (`pulumi destroy` resets it to Google's allow-all default).
 */
export class ImageAdmissionPolicy extends pulumi.ComponentResource {
  readonly policy: gcp.binaryauthorization.Policy;

  constructor(name: string, args: ImageAdmissionPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('iac-lab-kit:gcp:ImageAdmissionPolicy', name, {}, opts);
    this.policy = new gcp.binaryauthorization.Policy(
      `${name}-policy`,
      {
        project: args.project,
        description: 'iac-lab-kit: only images from this project\'s Artifact Registry, plus GKE system images.',
        // Google's global policy exempts the system images GKE itself runs (kube-dns, metrics agents...).
        globalPolicyEvaluationMode: 'ENABLE',
        admissionWhitelistPatterns: [{ namePattern: `${args.region}-docker.pkg.dev/${args.project}/**` }],
        defaultAdmissionRule: { evaluationMode: 'ALWAYS_DENY', enforcementMode: args.enforcement },
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
