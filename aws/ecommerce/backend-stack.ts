import { Annotations, CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { FargateWebService, webServiceDomain } from '../constructs/fargate-web-service';
import { ServiceImage } from '../constructs/service-image';
import { ServiceMonitoring } from '../constructs/service-monitoring';
import { ServiceNetwork } from '../constructs/service-network';
import { ShopCache } from './cache';
import { DB_INSTANCE_CLASSES, type EcommerceConfig } from './config';
import { DataTierMonitoring } from './data-tier-monitoring';
import { ShopDatabase } from './database';

export interface EcommerceBackendStackProps extends StackProps {
  readonly config: EcommerceConfig;
}

/**
 * The e-commerce backend running: a VPC whose data subnets have no route to the internet,
 * PostgreSQL and Valkey in them, the Fargate service behind an ALB that alone may reach them, and
 * alarms and a dashboard for all three tiers.
 */
export class EcommerceBackendStack extends Stack {
  readonly network: ServiceNetwork;
  readonly database: ShopDatabase;
  readonly cache: ShopCache;
  /** The key the service signs its session tokens with. */
  readonly sessionSecret: secretsmanager.Secret;
  readonly web: FargateWebService;
  readonly monitoring: ServiceMonitoring;
  readonly dataMonitoring: DataTierMonitoring;

  constructor(scope: Construct, id: string, props: EcommerceBackendStackProps) {
    const { config } = props;
    super(scope, id, {
      description: `E-commerce backend ${config.profile}: ECS Fargate service, RDS for PostgreSQL and ElastiCache for Valkey, with alarms and a dashboard`,
      ...props,
    });
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const name = `ecommerce-${config.profile}`;

    this.network = new ServiceNetwork(this, 'Network', {
      natGateways: config.natGateways,
      flowLogRetention: config.logRetention,
      removalPolicy,
      dataSubnets: true,
    });
    const dataSubnets = this.network.dataSubnets!;

    this.database = new ShopDatabase(this, 'Database', {
      ...config.database,
      vpc: this.network.vpc,
      subnets: dataSubnets,
      identifier: name,
      retainData: config.retainData,
      logRetention: config.logRetention,
    });
    this.cache = new ShopCache(this, 'Cache', {
      ...config.cache,
      vpc: this.network.vpc,
      subnets: dataSubnets,
      identifier: name,
      retainData: config.retainData,
      logRetention: config.logRetention,
    });
    this.sessionSecret = new secretsmanager.Secret(this, 'SessionSecret', {
      secretName: `${name}/session-secret`,
      description: `HMAC key the ${name} service signs session tokens with`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.sessionSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating the token-signing key signs every customer out at once, and running tasks keep the key they started with until they are replaced; it is rotated by hand (the guide shows how) when it may have leaked.',
    });

    const image = new ServiceImage(this, 'Image', { repositoryName: config.repositoryName, container: config.container });
    this.web = new FargateWebService(this, 'Web', {
      displayName: 'E-commerce backend',
      vpc: this.network.vpc,
      taskSubnets: this.network.taskSubnets,
      assignPublicIp: this.network.assignPublicIp,
      ...image.serviceProps(),
      // The service's environment contract (labs/ecommerce-backend/service/README.md): endpoints in
      // plain settings, every credential an ECS secret the execution role reads when a task starts.
      environment: {
        DB_HOST: this.database.instance.dbInstanceEndpointAddress,
        DB_PORT: this.database.instance.dbInstanceEndpointPort,
        DB_NAME: this.database.databaseName,
        CACHE_HOST: this.cache.host,
        CACHE_PORT: this.cache.port,
      },
      secrets: {
        DB_USER: ecs.Secret.fromSecretsManager(this.database.secret, 'username'),
        DB_PASSWORD: ecs.Secret.fromSecretsManager(this.database.secret, 'password'),
        CACHE_AUTH_TOKEN: ecs.Secret.fromSecretsManager(this.cache.authToken),
        SESSION_SECRET: ecs.Secret.fromSecretsManager(this.sessionSecret),
      },
      cpu: config.service.cpu,
      memoryLimitMiB: config.service.memory,
      desiredCount: config.service.desiredCount,
      maxCount: config.service.maxCount,
      logGroupName: `/ecs/ecommerce-backend-${config.profile}`,
      logRetention: config.logRetention,
      removalPolicy,
      domain: webServiceDomain(this, config.domain),
      accessLogs: config.retainData,
      deletionProtection: config.retainData,
      containerInsights: config.containerInsights,
    });
    Validations.of(this.web.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'The plain environment holds endpoints and names only (DB_HOST, DB_PORT, DB_NAME, CACHE_HOST, CACHE_PORT); every credential is an ECS secret read from Secrets Manager when the task starts.',
    });
    // The only way into either data store: from the service's tasks, on its port.
    this.database.connections.allowDefaultPortFrom(this.web.service, 'PostgreSQL from the e-commerce service');
    this.cache.connections.allowDefaultPortFrom(this.web.service, 'Valkey from the e-commerce service');

    // Every new task migrates the schema before its web container starts: a version takes traffic
    // only once its schema is in place, and the migration step's advisory lock lets one task apply it.
    // The placeholder has no schema: its step succeeds at once.
    this.web.addSetupStep('Migrate', image.setupCommand(['node', 'dist/migrate.js']));

    this.monitoring = new ServiceMonitoring(this, 'Monitoring', {
      service: this.web.service,
      loadBalancer: this.web.loadBalancer,
      targetGroup: this.web.targetGroup,
      name: `ecommerce-backend-${config.profile}`,
      alarmEmail: config.alarmEmail,
      withoutContainerInsights: config.containerInsights ? undefined : { desiredCount: config.service.desiredCount },
    });
    this.dataMonitoring = new DataTierMonitoring(this, 'DataMonitoring', {
      database: this.database.instance,
      storageGiB: config.database.storageGiB,
      databaseMemoryGiB: DB_INSTANCE_CLASSES[config.database.instanceClass],
      cacheNodeIds: this.cache.nodeIds,
      topic: this.monitoring.topic,
      dashboard: this.monitoring.dashboard,
    });

    if (config.profile === 'prod' && config.domain === undefined) {
      Annotations.of(this).addWarningV2(
        'ecommerce:prod-plain-http',
        'prod serves plain HTTP (allowHttp=true): passwords and session tokens cross the internet unencrypted. Set domainName, hostedZoneId and hostedZoneName to serve HTTPS.',
      );
    }
    new CfnOutput(this, 'ServiceUrl', { description: 'The e-commerce API', value: this.web.url });
    new CfnOutput(this, 'ReadinessUrl', { description: 'curl it: 200 when the service reaches PostgreSQL and the cache over TLS', value: `${this.web.url}/readyz` });
    new CfnOutput(this, 'DashboardUrl', { description: 'CloudWatch dashboard', value: this.monitoring.dashboardUrl });
    new CfnOutput(this, 'AlarmTopicArn', { description: 'SNS topic every alarm notifies (subscribe with -c alarmEmail=...)', value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'DatabaseEndpoint', { description: 'RDS endpoint (reachable from inside the VPC only)', value: this.database.instance.dbInstanceEndpointAddress });
    new CfnOutput(this, 'DatabaseSecretArn', { description: 'The master login, created and rotated by RDS', value: this.database.secret.secretArn });
    new CfnOutput(this, 'CacheEndpoint', { description: 'ElastiCache primary endpoint (reachable from inside the VPC only)', value: this.cache.host });
  }
}
