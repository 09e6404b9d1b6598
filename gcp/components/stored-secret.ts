import * as gcp from '../provider';
import * as pulumi from '@pulumi/pulumi';

export interface StoredSecretArgs {
  readonly project: string;
  readonly secretId: string;
  /** The value to store; pass a secret output, it never leaves Pulumi's state unencrypted. */
  readonly value: pulumi.Input<string>;
  readonly deletionProtection: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * A Secret Manager secret holding one version with `value`, as `<name>` and `<name>-version`
 * under `opts.parent`. Returns the secret, which callers grant access to.
 */
export function storedSecret(name: string, args: StoredSecretArgs, opts: pulumi.CustomResourceOptions): gcp.secretmanager.Secret {
  const secret = new gcp.secretmanager.Secret(
    name,
    {
      project: args.project,
      secretId: args.secretId,
      replication: { auto: {} },
      deletionProtection: args.deletionProtection,
      labels: { ...args.labels },
    },
    opts,
  );
  new gcp.secretmanager.SecretVersion(`${name}-version`, { secret: secret.id, secretData: args.value }, opts);
  return secret;
}
