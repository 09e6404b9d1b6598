import * as gcp from '../provider';
import * as pulumi from '@pulumi/pulumi';

/** CIS GCP 1.10: a key rotates at least every 90 days. */
export const KEY_ROTATION_PERIOD = `${90 * 24 * 60 * 60}s`;

export interface SecretsEncryptionKeyArgs {
  readonly project: string;
  /** A key ring lives in one location, and GKE needs the key in the cluster's region. */
  readonly region: string;
  /** prod: `pulumi destroy` refuses to delete the key (`deletionPolicy: PREVENT`) until `allowDestroy`. */
  readonly deletionProtection: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * A Cloud KMS key that encrypts the cluster's Kubernetes Secrets in etcd (application-layer secrets
 * encryption, CIS GKE 5.3.1), usable by GKE's service agent and nobody else.
 *
 * Cloud KMS never deletes a key ring or a key: `pulumi destroy` schedules the key's versions for
 * destruction (after 30 days) and leaves both names behind, at no charge. Both names are generated,
 * so a later `pulumi up` makes new ones instead of colliding with the old.
 */
export class SecretsEncryptionKey extends pulumi.ComponentResource {
  readonly cryptoKey: gcp.kms.CryptoKey;
  /** The binding GKE needs before it can create a cluster with this key. */
  readonly serviceAgentAccess: gcp.kms.CryptoKeyIAMMember;

  constructor(name: string, args: SecretsEncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('iac-lab-kit:gcp:SecretsEncryptionKey', name, {}, opts);
    const keyRing = new gcp.kms.KeyRing(`${name}-ring`, { project: args.project, location: args.region }, { parent: this });
    this.cryptoKey = new gcp.kms.CryptoKey(
      `${name}-key`,
      {
        keyRing: keyRing.id,
        purpose: 'ENCRYPT_DECRYPT',
        rotationPeriod: KEY_ROTATION_PERIOD,
        deletionPolicy: args.deletionProtection ? 'PREVENT' : 'DELETE',
        labels: { ...args.labels },
      },
      { parent: this },
    );
    // GKE's service agent (service-<project number>@container-engine-robot...) encrypts and decrypts;
    // the resource reads its address without a lookup of the project number.
    const gkeServiceAgent = new gcp.projects.ServiceIdentity(
      `${name}-gke-agent`,
      { project: args.project, service: 'container.googleapis.com' },
      { parent: this },
    );
    this.serviceAgentAccess = new gcp.kms.CryptoKeyIAMMember(
      `${name}-gke-agent-access`,
      { cryptoKeyId: this.cryptoKey.id, role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', member: gkeServiceAgent.member },
      { parent: this },
    );
    this.registerOutputs({ cryptoKey: this.cryptoKey.id });
  }
}
