/**
 * Auto-Pipe's exercises (labs/auto-pipe/README.md, "Exercises"). Each check reads the
 * CloudFormation resources the lab synthesizes, so any change that builds the asked-for
 * infrastructure passes, however the learner wrote it. Exercise 4 also reads the pipeline,
 * the one part of the lab CDK does not synthesize, because the image must match the tasks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROFILES, type Profile } from '../../common/profiles';
import { type Exercise, type ExerciseInput, notifiesTopic, resourcesOf } from '../cli/lab';
import type { LabResource } from '../cli/resources';

const WORKFLOW = '.github/workflows/auto-pipe.yml';

export const exercises: readonly Exercise[] = [
  {
    number: 1,
    title: 'Let dev scale out',
    check(input) {
      const { service } = serviceOf(input, 'dev');
      const target = resourcesOf(input, 'AWS::ApplicationAutoScaling::ScalableTarget').find(
        (t) => t.props.ScalableDimension === 'ecs:service:DesiredCount' && t.uses.includes(service.id),
      );
      if (target === undefined) {
        return [
          'the dev service does not scale yet: it has no auto scaling target for its task count. Set "maxCount" under ' +
            '"context" in cdk.json (auto scaling turns on when maxCount is above desiredCount)',
        ];
      }
      const problems: string[] = [];
      if (target.props.MinCapacity !== 1) {
        problems.push(`dev scales from ${target.props.MinCapacity} tasks: keep the minimum at 1 (desiredCount 1), so an idle lab pays for one task`);
      }
      if (target.props.MaxCapacity !== 2) {
        problems.push(`dev scales up to ${target.props.MaxCapacity} tasks: the exercise asks for at most 2 ("maxCount": 2 in cdk.json)`);
      }
      const tracked = resourcesOf(input, 'AWS::ApplicationAutoScaling::ScalingPolicy')
        .filter((p) => p.uses.includes(target.id))
        .map(trackedMetric);
      if (!tracked.includes('cpu')) {
        problems.push('no scaling policy tracks the service\'s CPU: aws/constructs/fargate-web-service.ts adds one whenever maxCount is above desiredCount');
      }
      if (!tracked.includes('requests')) {
        problems.push('no scaling policy tracks requests per target: aws/constructs/fargate-web-service.ts adds one whenever maxCount is above desiredCount');
      }
      return problems;
    },
  },
  {
    number: 2,
    title: 'Alarm on client errors',
    check(input) {
      const alarms = resourcesOf(input, 'AWS::CloudWatch::Alarm').filter((a) => watchedMetric(a)?.metricName === 'HTTPCode_Target_4XX_Count');
      if (alarms.length === 0) {
        return [
          'no alarm on the service\'s 4xx responses yet: add one on HTTPCode_Target_4XX_Count to aws/constructs/service-monitoring.ts ' +
            '(the dashboard\'s target4xx metric is already there)',
        ];
      }
      const verdicts = alarms.map((alarm) => clientErrorAlarmProblems(input, alarm));
      return verdicts.some((problems) => problems.length === 0) ? [] : verdicts[0];
    },
  },
  {
    number: 3,
    title: 'Run dev on Fargate Spot',
    check(input) {
      const problems: string[] = [];
      const dev = serviceOf(input, 'dev');
      if (!dev.clusterProviders.includes('FARGATE_SPOT')) {
        problems.push('the dev cluster has no FARGATE_SPOT capacity provider: set enableFargateCapacityProviders on the cluster in aws/constructs/fargate-web-service.ts');
      }
      if (!dev.placement.some((p) => p.provider === 'FARGATE_SPOT' && p.weight > 0)) {
        problems.push(
          'the dev service does not ask for Fargate Spot: give it capacityProviderStrategies with FARGATE_SPOT ' +
            '(driven by a profile setting in aws/auto-pipe/config.ts, so prod keeps regular Fargate)',
        );
      } else {
        const others = dev.placement.filter((p) => p.provider !== 'FARGATE_SPOT' && (p.weight > 0 || p.base > 0)).map((p) => p.provider);
        if (others.length > 0) problems.push(`the dev service also places tasks on ${others.join(', ')}: put every dev task on FARGATE_SPOT`);
      }
      if (dev.service.props.LaunchType !== undefined && (dev.service.props.CapacityProviderStrategy ?? []).length > 0) {
        problems.push(`the dev service sets both LaunchType ${dev.service.props.LaunchType} and a capacity provider strategy, which ECS refuses: drop the launch type`);
      }
      if (onSpot(serviceOf(input, 'prod'))) {
        problems.push('prod runs on Fargate Spot too, where AWS may take its tasks back with two minutes\' notice: keep prod on regular Fargate (a profile setting in aws/auto-pipe/config.ts)');
      }
      return problems;
    },
  },
  {
    number: 4,
    title: 'Move to Graviton',
    check(input) {
      const problems: string[] = [];
      const services = PROFILES.map((profile) => serviceOf(input, profile));
      // Fargate Spot runs ARM64 tasks too (platform version 1.4.0, Fargate's LATEST), so dev on Spot moves as well.
      for (const { profile, architecture } of services) {
        if (architecture !== 'ARM64') {
          problems.push(`the ${profile} task definition runs on ${architecture}: set runtimePlatform.cpuArchitecture to ARM64 in aws/constructs/fargate-web-service.ts`);
        }
      }
      return [...problems, ...pipelineArchitectureProblems(input.root, services)];
    },
  },
];

type Architecture = 'X86_64' | 'ARM64';

/** A profile's one ECS service: the CPU architecture of its tasks, and where ECS places them. */
interface ServiceView {
  readonly profile: Profile;
  readonly service: LabResource;
  readonly architecture: Architecture;
  /** The service's capacity provider strategy, its launch type, or else the cluster's default strategy. */
  readonly placement: readonly Placement[];
  /** Capacity providers associated with the service's cluster. */
  readonly clusterProviders: readonly string[];
}

interface Placement {
  readonly provider: string;
  readonly weight: number;
  readonly base: number;
}

function serviceOf(input: ExerciseInput, profile: Profile): ServiceView {
  const [service] = resourcesOf(input, 'AWS::ECS::Service', profile);
  if (service === undefined) throw new Error(`the ${profile} profile synthesized no AWS::ECS::Service`);
  const byRef = (type: string, value: unknown) =>
    resourcesOf(input, type, profile).filter((r) => logicalId(r.id) === (value as { Ref?: string } | undefined)?.Ref);
  const [task] = byRef('AWS::ECS::TaskDefinition', service.props.TaskDefinition);
  const clusterId = service.props.Cluster;
  const clusterSettings = [
    ...byRef('AWS::ECS::Cluster', clusterId).map((c) => c.props),
    ...resourcesOf(input, 'AWS::ECS::ClusterCapacityProviderAssociations', profile)
      .filter((a) => a.props.Cluster?.Ref === clusterId?.Ref)
      .map((a) => a.props),
  ];
  const own = service.props.CapacityProviderStrategy ?? [];
  const placement =
    own.length > 0
      ? own.map(toPlacement)
      : service.props.LaunchType !== undefined
        ? [{ provider: service.props.LaunchType, weight: 1, base: 0 }]
        : clusterSettings.flatMap((c) => c.DefaultCapacityProviderStrategy ?? []).map(toPlacement);
  return {
    profile,
    service,
    architecture: task?.props.RuntimePlatform?.CpuArchitecture ?? 'X86_64',
    placement,
    clusterProviders: clusterSettings.flatMap((c) => c.CapacityProviders ?? []),
  };
}

function toPlacement(item: { CapacityProvider: string; Weight?: number; Base?: number }): Placement {
  return { provider: item.CapacityProvider, weight: item.Weight ?? 0, base: item.Base ?? 0 };
}

function onSpot(service: Pick<ServiceView, 'placement'>): boolean {
  return service.placement.some((p) => p.provider === 'FARGATE_SPOT' && (p.weight > 0 || p.base > 0));
}

function logicalId(resourceId: string): string {
  return resourceId.slice(resourceId.indexOf('/') + 1);
}

/** What a target-tracking policy follows: the service's CPU, requests per target, or something else. */
function trackedMetric(policy: LabResource): 'cpu' | 'requests' | 'other' {
  const config = policy.props.TargetTrackingScalingPolicyConfiguration ?? {};
  const name: unknown = config.PredefinedMetricSpecification?.PredefinedMetricType ?? config.CustomizedMetricSpecification?.MetricName;
  if (name === 'ECSServiceAverageCPUUtilization' || name === 'CPUUtilization') return 'cpu';
  if (name === 'ALBRequestCountPerTarget' || name === 'RequestCountPerTarget') return 'requests';
  return 'other';
}

interface WatchedMetric {
  readonly metricName?: string;
  readonly namespace?: string;
  readonly statistic?: string;
  readonly period?: number;
}

/**
 * The metric an alarm watches: its own fields, or the one metric of a metric-math alarm
 * (CDK writes that form when the metric has a label).
 */
function watchedMetric(alarm: LabResource): WatchedMetric | undefined {
  const p = alarm.props;
  if (p.MetricName !== undefined) {
    return { metricName: p.MetricName, namespace: p.Namespace, statistic: p.Statistic ?? p.ExtendedStatistic, period: p.Period };
  }
  const returned = (p.Metrics ?? []).filter((m: { ReturnData?: boolean }) => m.ReturnData !== false);
  const stat = returned.length === 1 ? returned[0].MetricStat : undefined;
  return stat === undefined ? undefined : { metricName: stat.Metric?.MetricName, namespace: stat.Metric?.Namespace, statistic: stat.Stat, period: stat.Period };
}

/** What keeps a 4xx alarm from being "more than 50 in 5 minutes, on the service, notifying the topic". */
function clientErrorAlarmProblems(input: ExerciseInput, alarm: LabResource): string[] {
  const p = alarm.props;
  const metric = watchedMetric(alarm)!;
  const problems: string[] = [];
  if (metric.namespace !== 'AWS/ApplicationELB') problems.push(`the 4xx alarm reads namespace ${metric.namespace}: use the load balancer's metric (AWS/ApplicationELB)`);
  const loadBalancing = [
    ...resourcesOf(input, 'AWS::ElasticLoadBalancingV2::TargetGroup'),
    ...resourcesOf(input, 'AWS::ElasticLoadBalancingV2::LoadBalancer'),
  ].map((r) => r.id);
  if (!alarm.uses.some((id) => loadBalancing.includes(id))) {
    problems.push('the 4xx alarm\'s metric names neither the target group nor the load balancer: build it from the target group (targetGroup.metrics.httpCodeTarget)');
  }
  if (metric.statistic !== 'Sum') problems.push(`the 4xx alarm uses the ${metric.statistic} statistic: count the responses with Sum`);
  const datapoints = p.DatapointsToAlarm ?? p.EvaluationPeriods;
  if (metric.period !== 300 || p.EvaluationPeriods !== 1 || datapoints !== 1) {
    problems.push(
      `the 4xx alarm evaluates ${p.EvaluationPeriods} period(s) of ${metric.period} s: count the 4xx of one 5-minute period ` +
        '(period 5 minutes, 1 evaluation period)',
    );
  }
  const moreThan50 =
    (p.ComparisonOperator === 'GreaterThanThreshold' && p.Threshold === 50) ||
    (p.ComparisonOperator === 'GreaterThanOrEqualToThreshold' && p.Threshold === 51);
  if (!moreThan50) {
    problems.push(`the 4xx alarm fires when ${p.ComparisonOperator} ${p.Threshold}: it should fire above 50 (GreaterThanThreshold, threshold 50)`);
  }
  const notifies = (actions: unknown) => notifiesTopic(input, actions);
  if (!notifies(p.AlarmActions)) problems.push('the 4xx alarm does not notify the alarm topic when it fires: add an SnsAction as its alarm action');
  if (!notifies(p.OKActions)) problems.push('the 4xx alarm does not notify the alarm topic when it clears: add an SnsAction as its OK action');
  return problems;
}

/**
 * The image must run on the tasks: every job of the pipeline that builds it must build for each
 * architecture a profile's tasks run on (an Arm runner builds arm64, `--platform` chooses).
 */
function pipelineArchitectureProblems(root: string, services: readonly ServiceView[]): string[] {
  const path = join(root, WORKFLOW);
  if (!existsSync(path)) return [`${WORKFLOW} is missing: the pipeline builds the image the tasks run`];
  const jobs = Object.entries((parse(readFileSync(path, 'utf8'))?.jobs ?? {}) as Record<string, WorkflowJob>);
  const building = jobs.filter(([, job]) => (job.steps ?? []).some(buildsImage));
  if (building.length === 0) return [`no job of ${WORKFLOW} builds the service image any more: keep the image job`];
  const needed = [...new Set(services.map((s) => s.architecture))];
  return building.flatMap(([name, job]) => {
    const built = builtArchitectures(job);
    const missing = needed.filter((a) => !built.includes(a));
    if (missing.length === 0) return [];
    const profiles = services.filter((s) => missing.includes(s.architecture)).map((s) => s.profile);
    return [
      `the ${name} job of ${WORKFLOW} builds the image for ${built.join(' and ') || 'no known architecture'} only, but ` +
        `${profiles.join(' and ')} ${profiles.length > 1 ? 'run' : 'runs'} ${missing.join(' and ')} tasks: ` +
        (needed.length > 1
          ? 'build a multi-architecture image (docker buildx build --platform linux/amd64,linux/arm64)'
          : 'run the job on an Arm runner (runs-on: ubuntu-24.04-arm) or build with --platform linux/arm64'),
    ];
  });
}

interface WorkflowStep {
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
}

interface WorkflowJob {
  readonly 'runs-on'?: string | string[] | { labels?: string | string[] };
  readonly steps?: WorkflowStep[];
}

function buildsImage(step: WorkflowStep): boolean {
  return /\bdocker\s+(buildx\s+)?build\b/.test(step.run ?? '') || (step.uses ?? '').startsWith('docker/build-push-action');
}

const PLATFORMS: Readonly<Record<string, Architecture>> = { 'linux/amd64': 'X86_64', 'linux/arm64': 'ARM64', 'linux/arm64/v8': 'ARM64' };

/** What a job's image builds run on: the platforms they ask for, or else the runner's own. */
function builtArchitectures(job: WorkflowJob): Architecture[] {
  const runsOn = job['runs-on'];
  const labels = [runsOn, typeof runsOn === 'object' && !Array.isArray(runsOn) ? runsOn.labels : undefined].flat();
  const runner: Architecture = labels.some((label) => typeof label === 'string' && /\barm(64)?\b|aarch64/i.test(label)) ? 'ARM64' : 'X86_64';
  const built = (job.steps ?? []).filter(buildsImage).flatMap((step) => {
    const requested = /--platform[=\s]+(\S+)/.exec(step.run ?? '')?.[1] ?? step.with?.platforms;
    if (requested === undefined) return [runner];
    return String(requested)
      .split(/[\s,]+/)
      .map((platform) => PLATFORMS[platform.replace(/^["']|["']$/g, '')])
      .filter((a) => a !== undefined);
  });
  return [...new Set(built)];
}
