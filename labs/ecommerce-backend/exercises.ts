/**
 * The e-commerce backend's exercises (labs/ecommerce-backend/README.md, "Exercises"). Each check
 * reads the CloudFormation resources both profiles synthesize, so any code that builds the
 * asked-for infrastructure passes, however it is written, and a change that would break a real
 * deploy or cost a learner money fails with the reason.
 */
import { PROFILES } from '../../common/profiles';
import { type Exercise, type ExerciseInput, notifiesTopic, resourcesOf } from '../cli/lab';
import type { LabResource } from '../cli/resources';

export const exercises: readonly Exercise[] = [
  {
    number: 1,
    title: 'Alarm on slow disk reads',
    check(input) {
      return PROFILES.flatMap((profile) => {
        const alarms = resourcesOf(input, 'AWS::CloudWatch::Alarm', profile).filter((a) => a.props.MetricName === 'ReadLatency');
        if (alarms.length === 0) {
          return [`${profile} has no alarm on the database's ReadLatency yet: add one to aws/ecommerce/data-tier-monitoring.ts (every profile builds it)`];
        }
        const verdicts = alarms.map((alarm) => readLatencyProblems(input, profile, alarm));
        return verdicts.some((problems) => problems.length === 0) ? [] : verdicts[0];
      });
    },
  },
  {
    number: 2,
    title: 'Encrypt prod\'s database with your own KMS key',
    check(input) {
      const problems: string[] = [];
      const [database] = resourcesOf(input, 'AWS::RDS::DBInstance', 'prod').filter((db) => db.props.SourceDBInstanceIdentifier === undefined);
      const keyRef = database.props.KmsKeyId;
      const key = resourcesOf(input, 'AWS::KMS::Key', 'prod').find((k) => database.uses.includes(k.id));
      if (keyRef === undefined || key === undefined) {
        return ['prod\'s database is still encrypted with the AWS-managed aws/rds key: create a kms.Key in the stack and pass it as storageEncryptionKey (a key of another stack or account cannot be checked here)'];
      }
      if (key.props.EnableKeyRotation !== true) problems.push('the database key does not rotate: set enableKeyRotation: true (AWS then rotates its material every year)');
      if (!limitsGrantsToAwsServices(key)) {
        problems.push(
          'the key policy lets any principal it names create grants: add a Deny of kms:CreateGrant to every principal (*) with BoolIfExists ' +
            'kms:GrantIsForAWSResource "false" and aws:PrincipalIsAWSService "false" (Control Tower CT.KMS.PR.3, which `npm run synth` runs)',
        );
      }
      if (key.deletionPolicy !== 'Retain') {
        problems.push('the key goes with the stack: give it removalPolicy RETAIN, or the final snapshot prod keeps on delete can never be restored');
      }
      if (database.props.PerformanceInsightsKMSKeyId !== undefined && JSON.stringify(database.props.PerformanceInsightsKMSKeyId) !== JSON.stringify(keyRef)) {
        problems.push('Performance Insights uses another key than the database: pass the same key as performanceInsightEncryptionKey');
      }
      const [devDatabase] = resourcesOf(input, 'AWS::RDS::DBInstance', 'dev');
      if (devDatabase.props.StorageEncrypted !== true) problems.push('dev\'s database is no longer encrypted: keep storageEncrypted: true in every profile');
      if (resourcesOf(input, 'AWS::KMS::Key', 'dev').length > 0) {
        problems.push('dev creates a KMS key too: a customer-managed key costs $1 a month and is kept for at least 7 days after a `cdk destroy`; keep the AWS-managed key in dev (a profile setting in aws/ecommerce/config.ts)');
      }
      return problems;
    },
  },
  {
    number: 3,
    title: 'A read replica for prod\'s reports',
    check(input) {
      const problems: string[] = [];
      if (resourcesOf(input, 'AWS::RDS::DBInstance', 'dev').length !== 1) {
        problems.push('dev has more than one database instance: a replica doubles dev\'s database bill; build it in prod only (a profile setting in aws/ecommerce/config.ts)');
      }
      const instances = resourcesOf(input, 'AWS::RDS::DBInstance', 'prod');
      const primary = instances.find((db) => db.props.SourceDBInstanceIdentifier === undefined)!;
      const replicas = instances.filter((db) => db.props.SourceDBInstanceIdentifier !== undefined);
      if (replicas.length === 0) {
        return [...problems, 'prod has no read replica yet: add an rds.DatabaseInstanceReadReplica of the database in aws/ecommerce/database.ts'];
      }
      const replica = replicas[0];
      if (!replica.uses.includes(primary.id)) problems.push('the replica does not replicate prod\'s database: pass the ShopDatabase instance as sourceDatabaseInstance');
      if (replica.props.PubliclyAccessible === true) problems.push('the replica is publicly accessible: set publiclyAccessible: false');
      if (!inIsolatedSubnetsOnly(input, replica)) {
        problems.push('the replica is not only in the isolated (data) subnets: pass vpcSubnets: network.dataSubnets, as the database does');
      }
      if (replica.props.DeletionProtection !== true) problems.push('the replica has no deletion protection: prod protects every database instance');
      const securityGroups = resourcesOf(input, 'AWS::EC2::SecurityGroup', 'prod').filter((sg) => replica.uses.includes(sg.id)).map((sg) => sg.id);
      const admitted = resourcesOf(input, 'AWS::EC2::SecurityGroupIngress', 'prod').filter((rule) => securityGroups.some((sg) => rule.uses.includes(sg)));
      const openToAll = admitted.some((rule) => rule.props.CidrIp === '0.0.0.0/0' || rule.props.CidrIpv6 === '::/0');
      if (securityGroups.length === 0 || openToAll) problems.push('the replica\'s security group must admit only the service: give it its own group and allowDefaultPortFrom(service)');
      const lag = resourcesOf(input, 'AWS::CloudWatch::Alarm', 'prod').find((a) => a.props.MetricName === 'ReplicaLag' && a.uses.includes(replica.id));
      if (lag === undefined) {
        problems.push('no alarm watches the replica\'s ReplicaLag: a report read from a replica that fell behind shows old orders; alarm on ReplicaLag above 60 seconds');
      } else if (!notifiesTopicBothWays(input, 'prod', lag)) {
        problems.push('the ReplicaLag alarm does not notify the alarm topic when it fires and when it clears');
      }
      return problems;
    },
  },
];

/** What keeps a ReadLatency alarm from being "above 20 ms for 5 minutes, on this database, notifying the topic". */
function readLatencyProblems(input: ExerciseInput, profile: 'dev' | 'prod', alarm: LabResource): string[] {
  const p = alarm.props;
  const problems: string[] = [];
  const [database] = resourcesOf(input, 'AWS::RDS::DBInstance', profile);
  if (p.Namespace !== 'AWS/RDS') problems.push(`${profile}: the ReadLatency alarm reads namespace ${p.Namespace}: the database's metric is in AWS/RDS`);
  if (!alarm.uses.includes(database.id)) problems.push(`${profile}: the ReadLatency alarm does not name the database: build it from the instance (database.instance.metric('ReadLatency'))`);
  // ReadLatency is in seconds: 20 ms is 0.02, and 20 would never fire.
  if (!(p.Threshold > 0 && p.Threshold <= 0.05)) {
    problems.push(`${profile}: the ReadLatency threshold is ${p.Threshold}: the metric is in seconds, so 20 milliseconds is 0.02`);
  }
  if (p.Statistic !== 'Average') problems.push(`${profile}: the ReadLatency alarm uses the ${p.Statistic ?? p.ExtendedStatistic} statistic: the exercise asks for the average read latency`);
  if (p.ComparisonOperator !== 'GreaterThanThreshold' && p.ComparisonOperator !== 'GreaterThanOrEqualToThreshold') {
    problems.push(`${profile}: the ReadLatency alarm fires when the latency is ${p.ComparisonOperator}: it must fire when reads are slow (above the threshold)`);
  }
  const minutes = (Number(p.Period) * Number(p.DatapointsToAlarm ?? p.EvaluationPeriods)) / 60;
  if (!(minutes >= 5)) problems.push(`${profile}: the ReadLatency alarm fires after ${minutes} minute(s): one slow minute is noise, wait for 5 (period 1 minute, 5 evaluation periods)`);
  if (!notifiesTopicBothWays(input, profile, alarm)) {
    problems.push(`${profile}: the ReadLatency alarm does not notify the alarm topic when it fires and when it clears: create it with notifyingAlarm, as the other data-tier alarms are`);
  }
  return problems;
}

/** Whether the key policy has Control Tower CT.KMS.PR.3's statement: no grants but for AWS services. */
function limitsGrantsToAwsServices(key: LabResource): boolean {
  const statements = (key.props.KeyPolicy?.Statement ?? []) as { Effect: string; Action: string | string[]; Principal: unknown; Condition?: Record<string, Record<string, string>> }[];
  return statements.some((st) => {
    const actions = [st.Action].flat();
    const everyone = st.Principal === '*' || JSON.stringify(st.Principal) === '{"AWS":"*"}';
    const condition = st.Condition?.BoolIfExists ?? {};
    return st.Effect === 'Deny' && actions.length === 1 && actions[0] === 'kms:CreateGrant' && everyone &&
      String(condition['kms:GrantIsForAWSResource']) === 'false' && String(condition['aws:PrincipalIsAWSService']) === 'false';
  });
}

/** Whether the instance's subnet group names subnets, all of them isolated (no route to the internet). */
function inIsolatedSubnetsOnly(input: ExerciseInput, instance: LabResource): boolean {
  const subnetGroup = resourcesOf(input, 'AWS::RDS::DBSubnetGroup', 'prod').find((g) => instance.uses.includes(g.id));
  const subnets = resourcesOf(input, 'AWS::EC2::Subnet', 'prod').filter((subnet) => subnetGroup?.uses.includes(subnet.id));
  const isolated = (subnet: LabResource) => subnet.props.Tags?.some((t: { Key: string; Value: string }) => t.Key === 'aws-cdk:subnet-type' && t.Value === 'Isolated');
  return subnets.length > 0 && subnets.every(isolated);
}

function notifiesTopicBothWays(input: ExerciseInput, profile: 'dev' | 'prod', alarm: LabResource): boolean {
  return notifiesTopic(input, alarm.props.AlarmActions, profile) && notifiesTopic(input, alarm.props.OKActions, profile);
}
