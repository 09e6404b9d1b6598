import { Annotations, CfnOutput, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { AutoPipeConfig } from './config';
import { FargateWebService } from '../constructs/fargate-web-service';
import { ServiceMonitoring } from '../constructs/service-monitoring';
import { ServiceNetwork } from '../constructs/service-network';

export interface AutoPipeServiceStackProps extends StackProps {
  readonly config: AutoPipeConfig;
}

/** User ids the images run as: `node` in the service image, `nginx` in the placeholder. */
/** Auto-Pipe running: network, Fargate service behind an ALB, and its monitoring. */
export class AutoPipeServiceStack extends Stack {
  readonly network: ServiceNetwork;
  readonly web: FargateWebService;
  readonly monitoring: ServiceMonitoring;

  constructor(scope: Construct, id: string, props: AutoPipeServiceStackProps) {
    const { config } = props;
    super(scope, id, {
      description: `Auto-Pipe ${config.profile}: ECS Fargate service behind an ALB, with alarms and a dashboard`,
      ...props,
    });
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.network = new ServiceNetwork(this, 'Network', {
      natGateways: config.natGateways,
      flowLogRetention: config.logRetention,
      removalPolicy,
    });

    const image =
      config.image.kind === 'registry'
        ? ecs.ContainerImage.fromEcrRepository(
            // Imported by its fixed name: the stacks share no exports and deploy independently.
            ecr.Repository.fromRepositoryName(this, 'Repository', config.repositoryName),
            config.image.tag,
          )
        : ecs.ContainerImage.fromRegistry(config.image.uri);

    this.web = new FargateWebService(this, 'Web', {
      displayName: 'Auto-Pipe',
      vpc: this.network.vpc,
      taskSubnets: this.network.taskSubnets,
      assignPublicIp: this.network.assignPublicIp,
      image,
      user: config.image.container.user,
      containerPort: config.image.container.port,
      healthPath: config.image.container.healthPath,
      containerHealthCheck: config.image.container.wgetHealthCheck,
      cpu: config.cpu,
      memoryLimitMiB: config.memory,
      desiredCount: config.desiredCount,
      maxCount: config.maxCount,
      logGroupName: `/ecs/auto-pipe-${config.profile}`,
      logRetention: config.logRetention,
      removalPolicy,
      domain: config.domain && {
        name: config.domain.name,
        zone: route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: config.domain.hostedZoneId, zoneName: config.domain.hostedZoneName }),
        certificate: config.domain.certificateArn === undefined ? undefined : acm.Certificate.fromCertificateArn(this, 'Certificate', config.domain.certificateArn),
      },
      accessLogs: config.retainData,
      deletionProtection: config.retainData,
    });

    if (config.image.kind === 'registry') {
      Validations.of(this.web.taskDefinition.obtainExecutionRole()).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecr:GetAuthorizationToken (added to pull the service image) does not support resource-level permissions; ' +
          'the pull actions themselves are scoped to the one repository.',
      });
    }

    this.monitoring = new ServiceMonitoring(this, 'Monitoring', {
      service: this.web.service,
      loadBalancer: this.web.loadBalancer,
      targetGroup: this.web.targetGroup,
      name: `auto-pipe-${config.profile}`,
      alarmEmail: config.alarmEmail,
    });

    if (config.profile === 'prod' && config.domain === undefined) {
      // Only reachable with allowHttp=true: the config refuses prod without a domain otherwise.
      Annotations.of(this).addWarningV2(
        'auto-pipe:prod-plain-http',
        'prod serves plain HTTP (allowHttp=true): requests and responses cross the internet unencrypted. Set domainName, hostedZoneId and hostedZoneName to serve HTTPS.',
      );
    }
    new CfnOutput(this, 'ServiceUrl', { description: 'Auto-Pipe API', value: this.web.url });
    new CfnOutput(this, 'DashboardUrl', { description: 'CloudWatch dashboard', value: this.monitoring.dashboardUrl });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'SNS topic every alarm notifies (subscribe with -c alarmEmail=...)',
      value: this.monitoring.topic.topicArn,
    });
  }
}
