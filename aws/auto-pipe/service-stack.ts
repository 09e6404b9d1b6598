import { Annotations, CfnOutput, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AutoPipeConfig } from './config';
import { FargateWebService, webServiceDomain } from '../constructs/fargate-web-service';
import { ServiceMonitoring } from '../constructs/service-monitoring';
import { ServiceImage } from '../constructs/service-image';
import { ServiceNetwork } from '../constructs/service-network';

export interface AutoPipeServiceStackProps extends StackProps {
  readonly config: AutoPipeConfig;
}

/** Auto-Pipe running: network, Fargate service behind an ALB, and its monitoring. */
export class AutoPipeServiceStack extends Stack {
  readonly network: ServiceNetwork;
  readonly image: ServiceImage;
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

    this.image = new ServiceImage(this, 'Image', { repositoryName: config.repositoryName, container: config.container });
    this.web = new FargateWebService(this, 'Web', {
      displayName: 'Auto-Pipe',
      vpc: this.network.vpc,
      taskSubnets: this.network.taskSubnets,
      assignPublicIp: this.network.assignPublicIp,
      ...this.image.serviceProps(),
      cpu: config.cpu,
      memoryLimitMiB: config.memory,
      desiredCount: config.desiredCount,
      maxCount: config.maxCount,
      logGroupName: `/ecs/auto-pipe-${config.profile}`,
      logRetention: config.logRetention,
      removalPolicy,
      domain: webServiceDomain(this, config.domain),
      accessLogs: config.retainData,
      deletionProtection: config.retainData,
    });

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
