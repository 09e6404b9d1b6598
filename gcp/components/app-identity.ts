import * as gcp from '../provider';
import * as pulumi from '@pulumi/pulumi';

export interface AppIdentityArgs {
  readonly project: string;
  /** Google service account id (6 to 30 characters). */
  readonly accountId: string;
  /** The cluster's Workload Identity pool, `<project>.svc.id.goog`. */
  readonly workloadPool: pulumi.Input<string>;
  readonly kubernetesNamespace: string;
  readonly kubernetesServiceAccount: string;
  /** Project-level roles, e.g. `roles/cloudsql.client`. */
  readonly projectRoles: readonly string[];
  /** Secrets the app may read, by a short label (secretAccessor on each secret, not on the project). */
  readonly secrets: Readonly<Record<string, gcp.secretmanager.Secret>>;
}

/**
 * The app's Google identity through Workload Identity: pods running as the
 * Kubernetes service account `<namespace>/<name>` act as a dedicated Google service
 * account that holds only the roles listed, so no key file ever exists.
 */
export class AppIdentity extends pulumi.ComponentResource {
  readonly serviceAccount: gcp.serviceaccount.Account;

  constructor(name: string, args: AppIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('iac-lab-kit:gcp:AppIdentity', name, {}, opts);
    const parent = { parent: this };

    this.serviceAccount = new gcp.serviceaccount.Account(
      `${name}-sa`,
      {
        project: args.project,
        accountId: args.accountId,
        displayName: `App ${args.kubernetesNamespace}/${args.kubernetesServiceAccount}`,
        description: 'Google identity of the app pods, bound through Workload Identity.',
      },
      parent,
    );
    const member = this.serviceAccount.member;
    for (const role of args.projectRoles) {
      new gcp.projects.IAMMember(`${name}-${role.replace('roles/', '').replace('.', '-')}`, { project: args.project, role, member }, parent);
    }
    for (const [label, secret] of Object.entries(args.secrets)) {
      new gcp.secretmanager.SecretIamMember(
        `${name}-reads-${label}`,
        { project: args.project, secretId: secret.id, role: 'roles/secretmanager.secretAccessor', member },
        parent,
      );
    }
    // The pool exists once the cluster does; taking it from the cluster's output orders the binding after it.
    new gcp.serviceaccount.IAMMember(
      `${name}-workload-identity`,
      {
        serviceAccountId: this.serviceAccount.name,
        role: 'roles/iam.workloadIdentityUser',
        member: pulumi.interpolate`serviceAccount:${args.workloadPool}[${args.kubernetesNamespace}/${args.kubernetesServiceAccount}]`,
      },
      parent,
    );

    this.registerOutputs({ email: this.serviceAccount.email });
  }
}
