import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeLogGroupRules } from './cdk-app';

export interface ServiceNetworkProps {
  /**
   * 0: public subnets only, tasks get public IPs (no NAT gateway to pay for).
   * More: tasks in private subnets behind that many NAT gateways (one per AZ for HA).
   */
  readonly natGateways: number;
  readonly flowLogRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** A VPC over two AZs with flow logs, and where the service's tasks should run in it. */
export class ServiceNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly taskSubnets: ec2.SubnetSelection;
  /** Tasks in public subnets need a public IP to reach ECR and CloudWatch. */
  readonly assignPublicIp: boolean;
  readonly flowLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceNetworkProps) {
    super(scope, id);
    const privateTasks = props.natGateways > 0;

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs: 2,
      natGateways: props.natGateways,
      subnetConfiguration: [
        // Nothing is launched with an implicit public IP: dev's tasks ask for theirs explicitly.
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        ...(privateTasks ? [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 }] : []),
      ],
      // Restricting the default security group needs a custom-resource Lambda (an asset);
      // nothing in this VPC uses the default group, every resource gets its own.
      restrictDefaultSecurityGroup: false,
    });

    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention,
      removalPolicy: props.removalPolicy,
    });
    acknowledgeLogGroupRules(this.flowLogGroup);
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.taskSubnets = { subnetType: privateTasks ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PUBLIC };
    this.assignPublicIp = !privateTasks;
  }
}
