import * as gcp from '../provider';
import * as pulumi from '@pulumi/pulumi';
import type { RedisSettings } from '../config';
import type { LabNetwork } from './lab-network';
import type { PrivateServiceAccess } from './private-service-access';
import { storedSecret } from './stored-secret';

export interface RedisCacheArgs {
  readonly project: string;
  readonly region: string;
  readonly zone: string;
  readonly network: LabNetwork;
  readonly privateServices: PrivateServiceAccess;
  readonly settings: RedisSettings;
  readonly deletionProtection: boolean;
  /** Secret Manager id that receives the AUTH string, e.g. `platform-dev-redis-auth`. */
  readonly authSecretId: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Memorystore for Redis on the private services range, with AUTH and TLS in transit.
 * The AUTH string goes to Secret Manager, where the app reads it.
 */
export class RedisCache extends pulumi.ComponentResource {
  readonly instance: gcp.redis.Instance;
  readonly authSecret: gcp.secretmanager.Secret;

  constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super('iac-lab-kit:gcp:RedisCache', name, {}, opts);
    const { settings } = args;

    this.instance = new gcp.redis.Instance(
      `${name}-instance`,
      {
        project: args.project,
        region: args.region,
        locationId: args.zone,
        tier: settings.tier,
        memorySizeGb: settings.memorySizeGb,
        redisVersion: 'REDIS_7_2',
        authorizedNetwork: args.network.vpc.id,
        connectMode: 'PRIVATE_SERVICE_ACCESS',
        reservedIpRange: args.privateServices.range.name,
        authEnabled: true,
        transitEncryptionMode: 'SERVER_AUTHENTICATION',
        persistenceConfig: settings.rdbSnapshots
          ? { persistenceMode: 'RDB', rdbSnapshotPeriod: 'TWELVE_HOURS' }
          : { persistenceMode: 'DISABLED' },
        // Unset means protected for this resource: dev must say false for `pulumi destroy` to work.
        deletionProtection: args.deletionProtection,
        labels: { ...args.labels },
      },
      { parent: this, dependsOn: [args.privateServices.connection] },
    );

    this.authSecret = storedSecret(
      `${name}-auth-secret`,
      { project: args.project, secretId: args.authSecretId, value: this.instance.authString, deletionProtection: args.deletionProtection, labels: args.labels },
      { parent: this },
    );

    this.registerOutputs({ host: this.instance.host, port: this.instance.port });
  }
}
