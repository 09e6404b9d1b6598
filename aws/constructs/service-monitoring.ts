import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface ServiceMonitoringProps {
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** Names the dashboard and titles the alarm emails, e.g. `auto-pipe-dev`. */
  readonly name: string;
  /** Subscribed to the alarm topic; the address must confirm the subscription. @default - none */
  readonly alarmEmail?: string;
  /**
   * Without Container Insights (`{ desiredCount }`), the task-count alarm and graph read the target
   * group's healthy hosts against the desired count. @default - Container Insights' task counts
   */
  readonly withoutContainerInsights?: { readonly desiredCount: number };
}

/** What each alarm watches; the keys name the alarms in the template and in tests. */
export type ServiceAlarm =
  | 'cpu'
  | 'memory'
  | 'loadBalancer5xx'
  | 'target5xx'
  | 'unhealthyHosts'
  | 'latencyP99'
  | 'runningTasks';

/** An alarm's settings, its description said in words that tell the reader what to do. */
export type NotifyingAlarmSpec = Omit<cloudwatch.AlarmProps, 'alarmDescription'> & { readonly description: string };

/**
 * An alarm named after `key` (`cpu` → `CpuAlarm`) that notifies `topic` when it fires and when it
 * clears: the one way every AWS lab's alarms reach someone.
 */
export function notifyingAlarm(scope: Construct, key: string, topic: sns.ITopic, spec: NotifyingAlarmSpec): cloudwatch.Alarm {
  const { description, ...alarmProps } = spec;
  const created = new cloudwatch.Alarm(scope, `${key[0].toUpperCase()}${key.slice(1)}Alarm`, {
    alarmDescription: description,
    ...alarmProps,
  });
  created.addAlarmAction(new actions.SnsAction(topic));
  created.addOkAction(new actions.SnsAction(topic));
  return created;
}

/**
 * CloudWatch for Auto-Pipe, in the course's RED + USE terms: alarms on errors, latency,
 * saturation and availability, each notifying an SNS topic when it fires and when it clears,
 * and one dashboard with requests, errors, latency, CPU, memory and running tasks.
 */
export class ServiceMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: Readonly<Record<ServiceAlarm, cloudwatch.Alarm>>;
  readonly dashboard: cloudwatch.Dashboard;
  readonly dashboardUrl: string;

  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    const { service, loadBalancer, targetGroup } = props;

    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: `${props.name} alarms`, enforceSSL: true });
    // A topic policy replaces the topic's default one: enforceSSL's Deny alone would let no alarm
    // publish. CloudWatch publishes as its service principal, for alarms of this account only.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': Stack.of(this).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    // Alarms use the bare metrics (labels would turn each into a metric-math alarm);
    // the dashboard adds labels.
    const oneMinute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);
    const requests = loadBalancer.metrics.requestCount({ period: oneMinute, statistic: 'Sum' });
    const elb5xx = loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: fiveMinutes, statistic: 'Sum' });
    const target5xx = targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: fiveMinutes, statistic: 'Sum' });
    const target4xx = targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_4XX_COUNT, { period: fiveMinutes, statistic: 'Sum' });
    const latency = (statistic: string) => targetGroup.metrics.targetResponseTime({ period: oneMinute, statistic });
    const cpu = service.metricCpuUtilization({ period: oneMinute });
    const memory = service.metricMemoryUtilization({ period: oneMinute });
    // Container Insights publishes task counts per service.
    const taskCount = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'ECS/ContainerInsights',
        metricName,
        dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName },
        period: oneMinute,
        statistic: 'Average',
      });
    const running = taskCount('RunningTaskCount');
    const desired = taskCount('DesiredTaskCount');
    const healthy = targetGroup.metrics.healthyHostCount({ period: oneMinute, statistic: 'Minimum' });

    const alarm = (key: ServiceAlarm, spec: NotifyingAlarmSpec) => notifyingAlarm(this, key, this.topic, spec);
    const above = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    const atLeast = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    // No requests means no errors and no latency: missing data is fine there.
    const quiet = cloudwatch.TreatMissingData.NOT_BREACHING;

    this.alarms = {
      cpu: alarm('cpu', {
        description: 'Service CPU above 80% for 5 minutes: scale out or give tasks more CPU',
        metric: cpu, threshold: 80, comparisonOperator: above, evaluationPeriods: 5,
      }),
      memory: alarm('memory', {
        description: 'Service memory above 80% for 5 minutes: a leak, or tasks need more memory',
        metric: memory, threshold: 80, comparisonOperator: above, evaluationPeriods: 5,
      }),
      loadBalancer5xx: alarm('loadBalancer5xx', {
        description: 'The load balancer itself answered 5xx (no healthy target, timeouts) 5+ times in 5 minutes',
        metric: elb5xx, threshold: 5, comparisonOperator: atLeast, evaluationPeriods: 1, treatMissingData: quiet,
      }),
      target5xx: alarm('target5xx', {
        description: 'The service answered 5xx 5+ times in 5 minutes: read its logs',
        metric: target5xx, threshold: 5, comparisonOperator: atLeast, evaluationPeriods: 1, treatMissingData: quiet,
      }),
      unhealthyHosts: alarm('unhealthyHosts', {
        description: 'A task failed the load balancer health check for 3 minutes',
        metric: targetGroup.metrics.unhealthyHostCount({ period: oneMinute, statistic: 'Maximum' }),
        threshold: 1, comparisonOperator: atLeast, evaluationPeriods: 3, treatMissingData: quiet,
      }),
      latencyP99: alarm('latencyP99', {
        description: 'p99 response time above 1 second for 5 minutes',
        metric: latency('p99'), threshold: 1, comparisonOperator: above, evaluationPeriods: 5, treatMissingData: quiet,
      }),
      runningTasks: alarm('runningTasks', {
        description: 'Fewer tasks running than desired for 5 minutes: tasks crash or cannot start (see the service events)',
        ...(props.withoutContainerInsights === undefined
          ? {
              metric: new cloudwatch.MathExpression({
                expression: 'desired - running',
                usingMetrics: { desired, running },
                period: oneMinute,
              }),
              threshold: 0, comparisonOperator: above,
            }
          : { metric: healthy, threshold: props.withoutContainerInsights.desiredCount, comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD }),
        evaluationPeriods: 5,
        // A service that should run but reports nothing is down.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    };

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.name,
      defaultInterval: Duration.hours(3),
    });
    const graph = (title: string, left: [cloudwatch.Metric, string][], leftYAxis?: cloudwatch.YAxisProps) =>
      new cloudwatch.GraphWidget({
        title,
        left: left.map(([metric, label]) => metric.with({ label })),
        leftYAxis,
        width: 8,
        height: 6,
      });
    const percent = { min: 0, max: 100 };
    this.dashboard.addWidgets(
      graph('Requests per minute', [[requests, 'Requests']]),
      graph('Errors per 5 minutes', [[elb5xx, 'Load balancer 5xx'], [target5xx, 'Service 5xx'], [target4xx, 'Service 4xx']]),
      graph('Latency (p50, p90, p99)', ['p50', 'p90', 'p99'].map((p): [cloudwatch.Metric, string] => [latency(p), `${p} (seconds)`])),
    );
    this.dashboard.addWidgets(
      graph('CPU utilization', [[cpu, 'CPU %']], percent),
      graph('Memory utilization', [[memory, 'Memory %']], percent),
      props.withoutContainerInsights === undefined
        ? graph('Tasks', [[running, 'Running'], [desired, 'Desired']], { min: 0 })
        : graph('Tasks', [[healthy, 'Healthy in the target group']], { min: 0 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: Object.values(this.alarms), width: 24, height: 3 }),
    );

    const region = Stack.of(this).region;
    this.dashboardUrl = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${props.name}`;
  }
}
