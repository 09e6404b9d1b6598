import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type NotifyingAlarmSpec, notifyingAlarm } from '../constructs/service-monitoring';

export interface DataTierMonitoringProps {
  readonly database: rds.IDatabaseInstance;
  /** GiB at creation: the free-storage alarm fires below a tenth of it. */
  readonly storageGiB: number;
  /** Instance memory, GiB: RDS derives PostgreSQL's max_connections from it. */
  readonly databaseMemoryGiB: number;
  /** The cache's node ids; with more than one, replication lag is watched too. */
  readonly cacheNodeIds: readonly string[];
  /** The service's alarm topic: data-tier alarms reach the same people. */
  readonly topic: sns.ITopic;
  /** The service's dashboard: one page for the whole backend. */
  readonly dashboard: cloudwatch.Dashboard;
}

export type DataTierAlarm =
  | 'databaseCpu'
  | 'databaseFreeStorage'
  | 'databaseConnections'
  | 'cacheCpu'
  | 'cacheMemory'
  | 'cacheEvictions'
  | 'cacheReplicationLag';

/**
 * CloudWatch for the database and the cache, in the course's USE terms (utilization, saturation,
 * errors): alarms on the same SNS topic as the service's, and a row on its dashboard.
 */
export class DataTierMonitoring extends Construct {
  readonly alarms: Readonly<Partial<Record<DataTierAlarm, cloudwatch.Alarm>>>;

  constructor(scope: Construct, id: string, props: DataTierMonitoringProps) {
    super(scope, id);
    const fiveMinutes = Duration.minutes(5);
    const oneMinute = Duration.minutes(1);
    const above = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    const atLeast = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    const below = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;

    const db = {
      cpu: props.database.metricCPUUtilization({ period: oneMinute }),
      freeStorage: props.database.metricFreeStorageSpace({ period: fiveMinutes, statistic: 'Minimum' }),
      connections: props.database.metricDatabaseConnections({ period: oneMinute, statistic: 'Maximum' }),
    };
    // The worst node: after a failover the primary is another node, and every node must be watched.
    const cacheMetric = (metricName: string, statistic: string, nodes = props.cacheNodeIds): cloudwatch.IMetric => {
      const metrics = nodes.map(
        (node) => new cloudwatch.Metric({ namespace: 'AWS/ElastiCache', metricName, dimensionsMap: { CacheClusterId: node }, period: oneMinute, statistic }),
      );
      if (metrics.length === 1) return metrics[0];
      // Ids unique per metric name: a graph may hold two of these expressions.
      const ids = metrics.map((_, i) => `${metricName[0].toLowerCase()}${metricName.slice(1)}${i + 1}`);
      return new cloudwatch.MathExpression({
        expression: `MAX([${ids.join(', ')}])`,
        usingMetrics: Object.fromEntries(metrics.map((m, i) => [ids[i], m])),
        period: oneMinute,
        label: `${metricName} (worst node)`,
      });
    };
    const cache = {
      cpu: cacheMetric('EngineCPUUtilization', 'Maximum'),
      memory: cacheMetric('DatabaseMemoryUsagePercentage', 'Maximum'),
      evictions: cacheMetric('Evictions', 'Sum'),
    };
    // PostgreSQL on RDS: max_connections = LEAST(DBInstanceClassMemory / 9531392, 5000).
    const maxConnections = Math.min(Math.floor((props.databaseMemoryGiB * 1024 ** 3) / 9531392), 5000);
    const replicated = props.cacheNodeIds.length > 1;

    const alarm = (key: DataTierAlarm, spec: NotifyingAlarmSpec) => notifyingAlarm(this, key, props.topic, spec);
    this.alarms = {
      databaseCpu: alarm('databaseCpu', {
        description: 'Database CPU above 80% for 10 minutes: find the slow statements in the postgresql log, or move to a larger class',
        metric: db.cpu, threshold: 80, comparisonOperator: above, evaluationPeriods: 10,
      }),
      databaseFreeStorage: alarm('databaseFreeStorage', {
        description: `Database free storage below 10% of ${props.storageGiB} GiB: raise dbStorageGiB before writes fail`,
        metric: db.freeStorage, threshold: props.storageGiB * 1024 ** 3 * 0.1, comparisonOperator: below, evaluationPeriods: 1,
      }),
      databaseConnections: alarm('databaseConnections', {
        description: `Database connections above 80% of max_connections (${maxConnections}) for 5 minutes: too many tasks or a pool that leaks`,
        metric: db.connections, threshold: Math.floor(maxConnections * 0.8), comparisonOperator: above, evaluationPeriods: 5,
      }),
      cacheCpu: alarm('cacheCpu', {
        description: 'Cache engine CPU above 80% for 5 minutes: Valkey runs commands on one thread; look for slow commands in the slow log',
        metric: cache.cpu, threshold: 80, comparisonOperator: above, evaluationPeriods: 5,
      }),
      cacheMemory: alarm('cacheMemory', {
        description: 'Cache memory above 80% for 5 minutes: evictions (lost carts) come next; use a larger node type',
        metric: cache.memory, threshold: 80, comparisonOperator: above, evaluationPeriods: 5,
      }),
      cacheEvictions: alarm('cacheEvictions', {
        description: 'The cache evicted keys: carts live there, so evictions lose them; use a larger node type',
        metric: cache.evictions, threshold: 1, comparisonOperator: atLeast, evaluationPeriods: 5,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      ...(replicated && {
        cacheReplicationLag: alarm('cacheReplicationLag', {
          description: 'A cache replica is more than 1 second behind its primary for 5 minutes: a failover now would lose recent carts',
          metric: cacheMetric('ReplicationLag', 'Maximum'), threshold: 1, comparisonOperator: above, evaluationPeriods: 5,
          // The primary reports no lag: missing data is normal.
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      }),
    };

    const graph = (title: string, left: cloudwatch.IMetric[], leftYAxis?: cloudwatch.YAxisProps) => new cloudwatch.GraphWidget({ title, left, leftYAxis, width: 8, height: 6 });
    const percent = { min: 0, max: 100 };
    props.dashboard.addWidgets(
      graph('Database CPU %', [db.cpu], percent),
      graph('Database connections', [db.connections], { min: 0 }),
      graph('Database free storage (bytes)', [db.freeStorage], { min: 0 }),
    );
    props.dashboard.addWidgets(
      graph('Cache engine CPU % and memory %', [cache.cpu, cache.memory], percent),
      graph('Cache evictions', [cache.evictions], { min: 0 }),
      new cloudwatch.AlarmStatusWidget({ title: 'Data tier alarms', alarms: Object.values(this.alarms), width: 8, height: 6 }),
    );
  }
}
