import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeLogGroupRules, GUARD } from '../constructs/cdk-app';
import type { EcommerceDatabaseConfig } from './config';

export interface ShopDatabaseProps extends EcommerceDatabaseConfig {
  readonly vpc: ec2.IVpc;
  /** Isolated subnets: no route to or from the internet. */
  readonly subnets: ec2.SubnetSelection;
  /** The instance identifier, which also names its log groups, e.g. `ecommerce-dev`. */
  readonly identifier: string;
  /** The database the service uses. @default shop */
  readonly databaseName?: string;
  /** prod: a final snapshot on delete and deletion protection; dev: deleted with the stack. */
  readonly retainData: boolean;
  readonly logRetention: logs.RetentionDays;
}

/** PostgreSQL's standard port, literal in the security group rules so a reader (and a test) sees it. */
export const DATABASE_PORT = 5432;

/** The master login: not `postgres`, the name every scanner tries first. */
export const DATABASE_ADMIN_USER = 'shop_admin';

/**
 * RDS for PostgreSQL in isolated subnets: encrypted storage, TLS forced, slow statements logged to
 * CloudWatch, IAM authentication available, and a master password RDS generates, keeps in Secrets
 * Manager and rotates itself (every 7 days), so no password is ever in the template or in a
 * rotation Lambda that would need a route to Secrets Manager.
 */
export class ShopDatabase extends Construct {
  readonly instance: rds.DatabaseInstance;
  /** The master login (`username`, `password`), created and rotated by RDS. */
  readonly secret: secretsmanager.ISecret;
  readonly databaseName: string;
  /** Who may connect: `connections.allowDefaultPortFrom(service)` opens 5432 to it. */
  readonly connections: ec2.Connections;
  readonly logGroups: readonly logs.LogGroup[];

  constructor(scope: Construct, id: string, props: ShopDatabaseProps) {
    super(scope, id);
    this.databaseName = props.databaseName ?? 'shop';
    const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.of(props.postgresVersion, props.postgresVersion) });

    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: 'TLS only, slow statements and schema changes logged',
      parameters: {
        // Refuse every connection that is not TLS, whatever the client asks for.
        'rds.force_ssl': '1',
        'ssl_min_protocol_version': 'TLSv1.2',
        // Statements slower than half a second, and every schema change, go to the postgresql log.
        'log_min_duration_statement': '500',
        'log_statement': 'ddl',
        'log_lock_waits': '1',
      },
    });

    // RDS creates these names itself (kept forever) unless they exist: the stack creates them first.
    this.logGroups = ['postgresql', 'upgrade'].map(
      (log) =>
        new logs.LogGroup(this, `${log[0].toUpperCase()}${log.slice(1)}Logs`, {
          logGroupName: `/aws/rds/instance/${props.identifier}/${log}`,
          retention: props.logRetention,
          removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        }),
    );
    this.logGroups.forEach(acknowledgeLogGroupRules);

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'E-commerce database: PostgreSQL from the service only',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(DATABASE_PORT) });

    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      instanceIdentifier: props.identifier,
      engine,
      instanceType: new ec2.InstanceType(props.instanceClass.replace(/^db\./, '')),
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [securityGroup],
      publiclyAccessible: false,
      port: DATABASE_PORT,
      databaseName: this.databaseName,
      credentials: rds.Credentials.fromUsername(DATABASE_ADMIN_USER),
      manageMasterUserPassword: true,
      iamAuthentication: true,
      parameterGroup,
      storageType: rds.StorageType.GP3,
      allocatedStorage: props.storageGiB,
      maxAllocatedStorage: props.maxStorageGiB,
      storageEncrypted: true,
      multiAz: props.multiAz,
      autoMinorVersionUpgrade: true,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      backupRetention: Duration.days(props.backupRetentionDays),
      preferredBackupWindow: '03:00-04:00',
      preferredMaintenanceWindow: 'sun:04:30-sun:05:30',
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: !props.retainData,
      deletionProtection: props.retainData,
      removalPolicy: props.retainData ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
      enablePerformanceInsights: props.detailedMonitoring,
      monitoringInterval: props.detailedMonitoring ? Duration.seconds(60) : undefined,
    });
    for (const logGroup of this.logGroups) this.instance.node.addDependency(logGroup);
    this.secret = this.instance.secret!;

    for (const id of ['AwsSolutions-RDS11', `${GUARD}::rds_instance_no_default_ports_check`]) {
      Validations.of(this.instance).acknowledge({
        id,
        reason: 'PostgreSQL keeps its standard port: the database is only in isolated subnets and its security group admits the service alone; a non-standard port would hide nothing from a scan inside the VPC.',
      });
    }
    Validations.of(this.instance).acknowledge({
      id: `${GUARD}::rds_storage_encrypted_kms_key_check`,
      reason: 'Storage and snapshots are encrypted with the AWS-managed aws/rds key. A customer-managed key ($1 a month, plus a key policy to keep right) matters for sharing encrypted snapshots with other accounts or revoking access by key policy, neither of which this backend does.',
    });
    if (props.backupRetentionDays < 7) {
      Validations.of(this.instance).acknowledge({
        id: `${GUARD}::rds_instance_backup_enabled_check`,
        reason: 'dev keeps one day of automated backups (enough to practise a point-in-time restore) for a lab torn down after each session; prod keeps at least 7 (the config refuses fewer).',
      });
    }
    if (!props.multiAz) {
      for (const id of ['AwsSolutions-RDS3', `${GUARD}::rds_instance_multi_az_support_check`]) {
        Validations.of(this.instance).acknowledge({ id, reason: 'dev is a lab torn down after each session: a standby in a second AZ would double the database bill for an outage nobody is serving through. prod runs Multi-AZ.' });
      }
    }
    if (!props.retainData) {
      for (const id of ['AwsSolutions-RDS10', `${GUARD}::rds_instance_deletion_protection_enabled_check`]) {
        Validations.of(this.instance).acknowledge({ id, reason: 'dev must tear down with one `cdk destroy`; deletion protection would block it. prod turns it on and takes a final snapshot.' });
      }
    }
    const monitoringRole = this.instance.node.tryFindChild('MonitoringRole');
    if (monitoringRole !== undefined) {
      Validations.of(monitoringRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
        reason: 'Enhanced monitoring\'s role uses the policy AWS keeps for exactly that role: it may only write the RDSOSMetrics log group.',
      });
    }
    if (!props.detailedMonitoring) {
      Validations.of(this.instance).acknowledge({
        id: `${GUARD}::rds_instance_enhanced_monitoring_enabled_check`,
        reason: 'dev runs on db.t4g.micro for a few hours: OS metrics every minute add a monitoring role and CloudWatch Logs charges for nobody to read. prod has enhanced monitoring and Performance Insights.',
      });
    }
  }
}
