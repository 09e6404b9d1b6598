import { Duration, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ServiceDomain } from '../config';
import { acknowledgeLogGroupRules, GUARD } from './cdk-app';

/** The lab's HTTPS name as the service takes it: its hosted zone and certificate imported by id. */
export function webServiceDomain(scope: Construct, domain: ServiceDomain | undefined): WebServiceDomain | undefined {
  if (domain === undefined) return undefined;
  return {
    name: domain.name,
    zone: route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: domain.hostedZoneId, zoneName: domain.hostedZoneName }),
    certificate: domain.certificateArn === undefined ? undefined : acm.Certificate.fromCertificateArn(scope, 'Certificate', domain.certificateArn),
  };
}

/** The name a web service is served under, from a hosted zone the account owns. */
export interface WebServiceDomain {
  readonly name: string;
  readonly zone: route53.IHostedZone;
  /** @default - a certificate for `name`, requested from ACM and validated through a record in `zone` */
  readonly certificate?: acm.ICertificate;
}

export interface FargateWebServiceProps {
  /** What the service is called in role and security group descriptions, e.g. `Auto-Pipe`. */
  readonly displayName: string;
  readonly vpc: ec2.IVpc;
  readonly taskSubnets: ec2.SubnetSelection;
  readonly assignPublicIp: boolean;
  readonly image: ecs.ContainerImage;
  /** The web container's command. @default - the image's own */
  readonly command?: string[];
  /** Numeric user the container runs as; never root. */
  readonly user: string;
  readonly containerPort: number;
  /** Path the load balancer and the container health check probe. */
  readonly healthPath: string;
  /**
   * Also let ECS probe the container from inside, with wget (busybox has it; a python:slim image
   * does not): without it the load balancer's health check alone decides. @default true
   */
  readonly containerHealthCheck?: boolean;
  /** Plain settings of the container (endpoints, names): never secrets, which the template would show. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Secrets ECS injects as environment variables when a task starts; only the execution role may
   * read them, and the template holds their ARNs, never their values. @default - none
   */
  readonly secrets?: Readonly<Record<string, ecs.Secret>>;
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly desiredCount: number;
  /** Auto scaling on CPU and on requests per target when above desiredCount. */
  readonly maxCount: number;
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  /** For the log group (and, when kept, the access-log bucket). */
  readonly removalPolicy: RemovalPolicy;
  /** HTTPS on 443 under this name, port 80 redirecting to it. @default - HTTP on 80, on the load balancer's own name */
  readonly domain?: WebServiceDomain;
  /** Write ALB access logs to a bucket that outlives the stack. @default false */
  readonly accessLogs?: boolean;
  /** Turn on the load balancer's deletion protection (a production entry point). @default false */
  readonly deletionProtection?: boolean;
  /**
   * Container Insights: per-task metrics and the task counts ServiceMonitoring alarms on, about $12 a
   * month for one service. @default true
   */
  readonly containerInsights?: boolean;
}


/**
 * A web service on Fargate behind an internet-facing ALB, with a hardened container, its own log
 * group, separate execution and task roles, deployment circuit breaker with rollback, and
 * optional auto scaling. Auto-Pipe's service, and the e-commerce backend's.
 */
export class FargateWebService extends Construct {
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly logGroup: logs.LogGroup;
  /** Where Container Insights writes the cluster's performance events, when it is on. */
  readonly containerInsightsLogGroup?: logs.LogGroup;
  readonly accessLogBucket?: s3.Bucket;
  /** https://<domain name>, or http://<load balancer DNS name> without a domain */
  readonly url: string;
  /** What every container of the task shares: image, user, hardening, logs and secrets. */
  private readonly containerBase: ecs.ContainerDefinitionOptions;

  constructor(scope: Construct, id: string, props: FargateWebServiceProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: props.containerInsights === false ? ecs.ContainerInsights.DISABLED : ecs.ContainerInsights.ENABLED,
    });

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: props.logGroupName,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    acknowledgeLogGroupRules(this.logGroup);

    // The execution role is ECS's (pull the image, write logs); the task role is the app's and
    // holds nothing, so a compromised container gets no AWS permissions.
    const executionRole = new iam.Role(this, 'ExecutionRole', {
      description: `ECS pulls the ${props.displayName} image and writes its logs`,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    const taskRole = new iam.Role(this, 'TaskRole', {
      description: `The ${props.displayName} container itself: no permissions`,
      // Only ECS tasks of this account may assume it (confused-deputy protection).
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com').withConditions({
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ecs', resource: '*' }) },
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryLimitMiB,
      runtimePlatform: {
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
      },
      executionRole,
      taskRole,
    });

    const linuxParameters = new ecs.LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: true });
    linuxParameters.dropCapabilities(ecs.Capability.ALL);
    // The root filesystem is read-only; /tmp is the one writable place (the placeholder serves its pages from it).
    linuxParameters.addTmpfs({
      containerPath: '/tmp',
      size: 32,
      mountOptions: [ecs.TmpfsMountOption.NOEXEC, ecs.TmpfsMountOption.NOSUID, ecs.TmpfsMountOption.NODEV],
    });

    this.containerBase = {
      image: props.image,
      user: props.user,
      readonlyRootFilesystem: true,
      linuxParameters,
      environment: props.environment === undefined ? undefined : { ...props.environment },
      secrets: props.secrets === undefined ? undefined : { ...props.secrets },
    };
    this.container = this.taskDefinition.addContainer('Web', {
      ...this.containerBase,
      // A hard limit equal to the task's memory: the container can never be starved by a sidecar added later.
      memoryLimitMiB: props.memoryLimitMiB,
      command: props.command,
      portMappings: [{ containerPort: props.containerPort, name: 'http' }],
      logging: this.logDriver('web'),
      // busybox wget ships with both the Alpine-based service images and the BusyBox placeholder.
      healthCheck:
        props.containerHealthCheck === false
          ? undefined
          : {
              command: ['CMD-SHELL', `wget -q -O /dev/null http://127.0.0.1:${props.containerPort}${props.healthPath} || exit 1`],
              interval: Duration.seconds(30),
              timeout: Duration.seconds(5),
              retries: 3,
              startPeriod: Duration.seconds(15),
            },
      stopTimeout: Duration.seconds(30),
    });

    const serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: props.vpc,
      description: `${props.displayName} tasks: HTTP from the load balancer only; HTTPS out to ECR and CloudWatch`,
      allowAllOutbound: false,
    });
    serviceSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'ECR, CloudWatch Logs over HTTPS');

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      // When auto scaling owns the count, the template must not: a DesiredCount in it would drag a
      // scaled-out service back on every deploy (CloudFormation keeps the running count when it is absent).
      desiredCount: props.maxCount > props.desiredCount ? undefined : props.desiredCount,
      vpcSubnets: props.taskSubnets,
      assignPublicIp: props.assignPublicIp,
      securityGroups: [serviceSecurityGroup],
      // Start new tasks before stopping old ones; roll back a deployment that never gets healthy.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });
    if (props.assignPublicIp) {
      Validations.of(this.service).acknowledge({
        id: `${GUARD}::ecs_service_assign_public_ip_disabled_check`,
        reason: 'dev runs tasks in public subnets with public IPs instead of paying for a NAT gateway (about $33 a month); their security group admits only the load balancer. prod runs them in private subnets.',
      });
    }

    if (props.containerInsights === false) {
      for (const id of ['AwsSolutions-ECS4', `${GUARD}::ecs_container_insights_enabled_check`]) {
        Validations.of(this.cluster).acknowledge({
          id,
          reason: 'Container Insights is off to keep a learner\'s dev under $2 a day (about $12 a month for one service); the service\'s CPU and memory still reach CloudWatch, and the task-count alarm reads the target group\'s healthy hosts instead. prod has it on.',
        });
      }
    } else {
      // Container Insights writes to this fixed name, and creates the group itself (kept forever, outside
      // the stack) unless it exists. Created by the stack before the service starts its tasks, it gets
      // the profile's retention and goes with the stack in dev.
      this.containerInsightsLogGroup = new logs.LogGroup(this, 'ContainerInsightsLogs', {
        logGroupName: `/aws/ecs/containerinsights/${this.cluster.clusterName}/performance`,
        retention: props.logRetention,
        removalPolicy: props.removalPolicy,
      });
      acknowledgeLogGroupRules(this.containerInsightsLogGroup);
      this.service.node.addDependency(this.containerInsightsLogGroup);
    }

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection ?? false,
    });
    if (!(props.deletionProtection ?? false)) {
      Validations.of(this.loadBalancer).acknowledge({
        id: `${GUARD}::elbv2_deletion_protection_enabled_check`,
        reason: 'dev tears down with one `cdk destroy`; deletion protection would block it. prod turns it on.',
      });
    }
    Validations.of(this.loadBalancer).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'The load balancer is the public entry point of a web service: its listener ports are open to the internet by design; tasks accept traffic only from it.',
    });

    let listener: elbv2.ApplicationListener;
    if (props.domain === undefined) {
      listener = this.loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP });
      Validations.of(listener).acknowledge({
        id: `${GUARD}::alb_http_to_https_redirection_check`,
        reason: 'No domain was configured (dev, or prod with allowHttp), so the service answers on HTTP only; with one, port 80 only redirects to HTTPS.',
      });
    } else {
      listener = this.httpsListener(props.domain);
    }

    this.targetGroup = listener.addTargets('Web', {
      port: props.containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service],
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: props.healthPath,
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    this.url = props.domain === undefined ? `http://${this.loadBalancer.loadBalancerDnsName}` : `https://${props.domain.name}`;

    if (props.accessLogs) {
      this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        removalPolicy: RemovalPolicy.RETAIN,
        lifecycleRules: [{ expiration: Duration.days(365) }],
      });
      for (const [id, reason] of [
        ['AwsSolutions-S1', 'This bucket only receives the load balancer\'s access logs; logging access to the log bucket would need yet another bucket.'],
        [`${GUARD}::s3_bucket_logging_enabled_check`, 'This bucket only receives the load balancer\'s access logs; logging access to the log bucket would need yet another bucket.'],
        [`${GUARD}::s3_bucket_default_encryption_kms_check`, 'Elastic Load Balancing delivers access logs only to buckets encrypted with SSE-S3, not SSE-KMS.'],
        [`${GUARD}::s3_bucket_versioning_enabled_check`, 'Access-log objects are written once by ELB and expire after a year; versions would only double storage.'],
        [`${GUARD}::s3_bucket_object_lock_enabled_check`, 'Access logs are operational data expiring after a year, not records under a retention mandate; Object Lock would block the lifecycle expiry.'],
        [`${GUARD}::s3_event_notifications_enabled_check`, 'Nothing consumes access-log writes as events; logs are read in batch (Athena).'],
      ]) {
        Validations.of(this.accessLogBucket).acknowledge({ id, reason });
      }
      this.loadBalancer.logAccessLogs(this.accessLogBucket, 'alb');
    } else {
      for (const id of ['AwsSolutions-ELB2', `${GUARD}::elbv2_logging_enabled_check`]) {
        Validations.of(this.loadBalancer).acknowledge({
          id,
          reason: 'dev is a lab torn down after each session: an access-log bucket would either survive `cdk destroy` or need a custom-resource Lambda to empty it. prod writes access logs.',
        });
      }
    }

    if (props.maxCount > props.desiredCount) {
      const scaling = this.service.autoScaleTaskCount({ minCapacity: props.desiredCount, maxCapacity: props.maxCount });
      scaling.scaleOnCpuUtilization('Cpu', {
        targetUtilizationPercent: 60,
        scaleOutCooldown: Duration.seconds(60),
        scaleInCooldown: Duration.seconds(300),
      });
      scaling.scaleOnRequestCount('Requests', {
        requestsPerTarget: 1000,
        targetGroup: this.targetGroup,
        scaleOutCooldown: Duration.seconds(60),
        scaleInCooldown: Duration.seconds(300),
      });
    }
  }

  /**
   * A command that runs to completion in every new task before the web container starts (an init
   * container): the same image, user, hardening and secrets, its own log stream. ECS starts the web
   * container only when it exits 0, so a version whose step fails never takes traffic and the
   * circuit breaker rolls the deployment back. The command must be safe to run more than once.
   */
  addSetupStep(name: string, command: string[]): ecs.ContainerDefinition {
    const step = this.taskDefinition.addContainer(name, {
      ...this.containerBase,
      command,
      // Done before the web container starts: ends, and takes the task down with it only by failing.
      essential: false,
      logging: this.logDriver(name.toLowerCase()),
    });
    this.container.addContainerDependencies({ container: step, condition: ecs.ContainerDependencyCondition.SUCCESS });
    Validations.of(this.taskDefinition).acknowledge({
      id: `${GUARD}::ecs_task_definition_memory_hard_limit_check`,
      reason: `The setup step ${name} has no container-level memory limit: it runs to completion before the web container starts, and the task's memory, which Fargate enforces for the whole task, caps it. The web container, the one that runs for days, has its hard limit.`,
    });
    return step;
  }

  private logDriver(streamPrefix: string): ecs.LogDriver {
    return ecs.LogDrivers.awsLogs({
      logGroup: this.logGroup,
      streamPrefix,
      // A slow log pipe must never stall requests; the buffer absorbs bursts.
      mode: ecs.AwsLogDriverMode.NON_BLOCKING,
      maxBufferSize: Size.mebibytes(25),
    });
  }

  /**
   * HTTPS on 443 under the domain's name (an alias record to the load balancer), with its certificate;
   * port 80 only redirects to it. A requested certificate is validated by a record CloudFormation adds
   * to the zone, so the first deploy waits (a few minutes) until ACM has issued it.
   */
  private httpsListener(domain: WebServiceDomain): elbv2.ApplicationListener {
    const certificate =
      domain.certificate ??
      new acm.Certificate(this, 'Certificate', { domainName: domain.name, validation: acm.CertificateValidation.fromDns(domain.zone) });
    new route53.ARecord(this, 'AliasRecord', {
      zone: domain.zone,
      recordName: domain.name,
      target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.loadBalancer)),
    });
    this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
    return this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      // TLS 1.2 and 1.3 only, with forward secrecy: ELB's current recommended policy.
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      certificates: [certificate],
    });
  }
}
