import * as gcp from '../provider';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { DatabaseSettings } from '../config';
import type { LabNetwork } from './lab-network';
import type { PrivateServiceAccess } from './private-service-access';
import { storedSecret } from './stored-secret';

export interface PrivatePostgresArgs {
  readonly project: string;
  readonly region: string;
  /** Zone of the (primary) instance: next to the GKE nodes in the platform lab. */
  readonly zone: string;
  readonly network: LabNetwork;
  readonly privateServices: PrivateServiceAccess;
  readonly settings: DatabaseSettings;
  readonly deletionProtection: boolean;
  readonly databaseName: string;
  readonly userName: string;
  /** Secret Manager id of the generated password, e.g. `cloudsql-dev-db-password`. */
  readonly passwordSecretId: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * PostgreSQL flags required by CIS GCP 6.2; log_min_duration_statement=-1 keeps statement text (and
 * data) out of logs, log_statement=ddl logs schema changes only, and pgaudit is available for the audit
 * trail a compliance regime asks of the database itself.
 */
export const DATABASE_FLAGS = [
  { name: 'log_connections', value: 'on' },
  { name: 'log_disconnections', value: 'on' },
  { name: 'log_min_duration_statement', value: '-1' },
  { name: 'log_statement', value: 'ddl' },
  { name: 'log_min_error_statement', value: 'error' },
  { name: 'cloudsql.enable_pgaudit', value: 'on' },
] as const;

/**
 * Cloud SQL for PostgreSQL reachable only on its private IP (CIS GCP 6.x): no public
 * IP, TLS required, automated backups with point-in-time recovery, Query Insights and
 * connection logging. The app user's password is generated and kept in Secret Manager;
 * it never appears in outputs or logs.
 */
export class PrivatePostgres extends pulumi.ComponentResource {
  readonly instance: gcp.sql.DatabaseInstance;
  readonly database: gcp.sql.Database;
  readonly user: gcp.sql.User;
  readonly passwordSecret: gcp.secretmanager.Secret;

  constructor(name: string, args: PrivatePostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super('iac-lab-kit:gcp:PrivatePostgres', name, {}, opts);
    const { settings } = args;

    this.instance = new gcp.sql.DatabaseInstance(
      `${name}-instance`,
      {
        project: args.project,
        region: args.region,
        databaseVersion: settings.version,
        // The provider's switch: `pulumi destroy` refuses while it is true.
        deletionProtection: args.deletionProtection,
        settings: {
          // Shared-core and custom tiers exist only in the Enterprise edition (Postgres 16+ defaults to Enterprise Plus).
          edition: 'ENTERPRISE',
          tier: settings.tier,
          availabilityType: settings.highAvailability ? 'REGIONAL' : 'ZONAL',
          locationPreference: { zone: args.zone },
          diskType: 'PD_SSD',
          diskAutoresize: true,
          // The API's switch: protects the instance from deletion by any client, not only Pulumi.
          deletionProtectionEnabled: args.deletionProtection,
          // prod keeps its data even through a deliberate `pulumi destroy`: the backups and a final one stay.
          retainBackupsOnDelete: settings.keepBackupsOnDelete,
          finalBackupConfig: settings.keepBackupsOnDelete ? { enabled: true, retentionDays: 30 } : { enabled: false },
          ipConfiguration: {
            ipv4Enabled: false,
            privateNetwork: args.network.vpc.id,
            allocatedIpRange: args.privateServices.range.name,
            sslMode: 'ENCRYPTED_ONLY',
          },
          backupConfiguration: {
            enabled: true,
            startTime: '02:00',
            pointInTimeRecoveryEnabled: true,
            transactionLogRetentionDays: settings.transactionLogRetentionDays,
            backupRetentionSettings: { retainedBackups: settings.retainedBackups, retentionUnit: 'COUNT' },
          },
          maintenanceWindow: { day: 7, hour: 3, updateTrack: 'stable' },
          insightsConfig: {
            queryInsightsEnabled: true,
            queryStringLength: 1024,
            recordApplicationTags: true,
            recordClientAddress: false,
          },
          databaseFlags: DATABASE_FLAGS.map((flag) => ({ ...flag })),
          userLabels: { ...args.labels },
        },
      },
      // The private IP comes from the peered range: the instance can only be created once the peering exists.
      { parent: this, dependsOn: [args.privateServices.connection] },
    );

    // Postgres refuses to drop a database or role that still owns objects; the instance's deletion removes them.
    const abandonOnDelete = 'ABANDON';
    this.database = new gcp.sql.Database(
      `${name}-database`,
      { project: args.project, instance: this.instance.name, name: args.databaseName, deletionPolicy: abandonOnDelete },
      { parent: this },
    );
    const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { parent: this });
    this.user = new gcp.sql.User(
      `${name}-user`,
      {
        project: args.project,
        instance: this.instance.name,
        name: args.userName,
        password: password.result,
        deletionPolicy: abandonOnDelete,
      },
      { parent: this },
    );

    this.passwordSecret = storedSecret(
      `${name}-password-secret`,
      { project: args.project, secretId: args.passwordSecretId, value: password.result, deletionProtection: args.deletionProtection, labels: args.labels },
      { parent: this },
    );

    this.registerOutputs({ connectionName: this.instance.connectionName, passwordSecret: this.passwordSecret.id });
  }
}
