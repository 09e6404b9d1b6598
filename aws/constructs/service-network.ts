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
  /**
   * Isolated subnets for data stores: no route to or from the internet, reachable only from inside
   * the VPC. Also routes S3 traffic (ECR's image layers) through a gateway endpoint, which is free and
   * keeps those bytes off the NAT gateways' per-GB charge. @default false
   */
  readonly dataSubnets?: boolean;
}

/** A VPC over two AZs with flow logs, and where the service's tasks should run in it. */
export class ServiceNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly taskSubnets: ec2.SubnetSelection;
  /** Tasks in public subnets need a public IP to reach ECR and CloudWatch. */
  readonly assignPublicIp: boolean;
  readonly flowLogGroup: logs.LogGroup;
  /** The isolated subnets, when asked for. */
  readonly dataSubnets?: ec2.SubnetSelection;

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
        ...(props.dataSubnets ? [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }] : []),
      ],
      gatewayEndpoints: props.dataSubnets ? { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } } : undefined,
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
    if (props.dataSubnets) this.dataSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  }
}
