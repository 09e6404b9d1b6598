import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeLogGroupRules } from '../constructs/cdk-app';
import type { EcommerceCacheConfig } from './config';

/**
 * Valkey, not Redis OSS: the same protocol and commands as Redis OSS 7.2 (node-redis and every
 * Redis client work unchanged), about 20% cheaper per node on ElastiCache, and open source under
 * the BSD licence that Redis itself left in 2024. 8.1 is a line ElastiCache supports and
 * upgrades in place to later minors.
 */
export const CACHE_ENGINE = { engine: 'valkey', version: '8.1', port: 6379 } as const;

export interface ShopCacheProps extends EcommerceCacheConfig {
  readonly vpc: ec2.IVpc;
  /** Isolated subnets: no route to or from the internet. */
  readonly subnets: ec2.SubnetSelection;
  /** The replication group id, which also names its nodes (`<id>-001`, ...), e.g. `ecommerce-dev`. */
  readonly identifier: string;
  /** The auth token secret goes with the stack in dev and is kept in prod. */
  readonly retainData: boolean;
  readonly logRetention: logs.RetentionDays;
}

/**
 * ElastiCache for Valkey in isolated subnets: TLS required, encrypted at rest, an AUTH token
 * generated in Secrets Manager (the template holds only a reference to it), the slow log in
 * CloudWatch. prod: a primary and a replica in another AZ with automatic failover.
 */
export class ShopCache extends Construct {
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** The AUTH token, a plain secret string. */
  readonly authToken: secretsmanager.Secret;
  readonly connections: ec2.Connections;
  readonly host: string;
  readonly port: string;
  /** The node ids CloudWatch reports metrics under. */
  readonly nodeIds: readonly string[];

  constructor(scope: Construct, id: string, props: ShopCacheProps) {
    super(scope, id);
    const failover = props.nodes > 1;

    this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
      // Named after the cache, so the deploy policy can scope Secrets Manager to this lab's secrets.
      secretName: `${props.identifier}/cache-auth-token`,
      description: `AUTH token of the ${props.identifier} cache (ElastiCache: 16 to 128 printable characters, no @ " /)`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.authToken).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating an ElastiCache AUTH token takes a rotation Lambda that calls ModifyReplicationGroup (AuthTokenUpdateStrategy ROTATE then SET) and a route to Secrets Manager from the isolated subnets; the token never leaves the VPC, TLS carries it, and the security group admits the service alone. The guide shows the manual rotation.',
    });

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'E-commerce cache: Valkey from the service only',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(CACHE_ENGINE.port) });

    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'SubnetGroup', {
      description: 'E-commerce cache: isolated subnets only',
      subnetIds: props.vpc.selectSubnets(props.subnets).subnetIds,
    });

    const slowLog = new logs.LogGroup(this, 'SlowLog', {
      retention: props.logRetention,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledgeLogGroupRules(slowLog);

    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupId: props.identifier,
      replicationGroupDescription: `E-commerce cache (${props.nodes} node${props.nodes > 1 ? 's' : ''})`,
      engine: CACHE_ENGINE.engine,
      engineVersion: CACHE_ENGINE.version,
      cacheNodeType: props.nodeType,
      numCacheClusters: props.nodes,
      automaticFailoverEnabled: failover,
      multiAzEnabled: failover,
      port: CACHE_ENGINE.port,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [securityGroup.securityGroupId],
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      // A dynamic reference: CloudFormation reads the value from Secrets Manager at deploy time.
      authToken: this.authToken.secretValue.unsafeUnwrap(),
      autoMinorVersionUpgrade: true,
      snapshotRetentionLimit: props.snapshotRetentionDays,
      snapshotWindow: props.snapshotRetentionDays > 0 ? '03:00-04:00' : undefined,
      preferredMaintenanceWindow: 'sun:05:30-sun:06:30',
      logDeliveryConfigurations: [
        {
          destinationType: 'cloudwatch-logs',
          destinationDetails: { cloudWatchLogsDetails: { logGroup: slowLog.logGroupName } },
          logFormat: 'json',
          logType: 'slow-log',
        },
      ],
    });

    // prod takes a final snapshot when the stack deletes the cache: carts survive a rebuild.
    this.replicationGroup.applyRemovalPolicy(props.retainData ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY);

    this.host = this.replicationGroup.attrPrimaryEndPointAddress;
    this.port = this.replicationGroup.attrPrimaryEndPointPort;
    this.nodeIds = Array.from({ length: props.nodes }, (_, i) => `${props.identifier}-${String(i + 1).padStart(3, '0')}`);

    if (!failover) {
      Validations.of(this.replicationGroup).acknowledge({
        id: 'AwsSolutions-AEC4',
        reason: 'dev runs one cache node: a replica in a second AZ would double the cache bill of a lab torn down after each session. prod runs a primary and a replica with automatic failover.',
      });
    }
  }
}
