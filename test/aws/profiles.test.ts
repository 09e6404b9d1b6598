import { Match } from 'aws-cdk-lib/assertions';
import { PLACEHOLDER_IMAGE } from '../../aws/constructs/service-image';
import { describePolicy, LAB_PROFILES, synthAutoPipe } from './synth';

// Both profiles, as `npx cdk synth -c githubRepo=octo-org/auto-pipe -c env=dev` (and env=prod with its domain) make them. The
// optional keys are synthesized in this file too (at the end): the schema validator starts once per file.
const synth = synthAutoPipe(LAB_PROFILES);
const STACKS = ['AutoPipeRegistry-dev', 'AutoPipeService-dev', 'AutoPipeRegistry-prod', 'AutoPipeService-prod'];

test.each(STACKS)('%s matches its snapshot', (id) => {
  expect(synth.json(id)).toMatchSnapshot();
});

describePolicy(synth, STACKS, [
  'AutoPipeRegistry-dev/GitHubDeploy/Role AwsSolutions-IAM5[Resource::*]',
  'AutoPipeService-dev/Web/ExecutionRole AwsSolutions-IAM5[Resource::*]',
  'AutoPipeService-dev/Web/LoadBalancer AwsSolutions-EC23',
  'AutoPipeService-dev/Web/LoadBalancer AwsSolutions-ELB2',
  'AutoPipeRegistry-prod/GitHubDeploy/Role AwsSolutions-IAM5[Resource::*]',
  'AutoPipeService-prod/Web/AccessLogs AwsSolutions-S1',
  'AutoPipeService-prod/Web/ExecutionRole AwsSolutions-IAM5[Resource::*]',
  'AutoPipeService-prod/Web/LoadBalancer AwsSolutions-EC23',
]);

describe('dev: a cheap lab that tears down completely', () => {
  const REGISTRY = 'AutoPipeRegistry-dev';
  const SERVICE = 'AutoPipeService-dev';
  const registry = synth.template(REGISTRY);
  const service = synth.template(SERVICE);

  describe('registry', () => {
    test('ECR scans every push, never overwrites a tag, and encrypts with KMS', () => {
      registry.hasResourceProperties('AWS::ECR::Repository', {
        RepositoryName: 'auto-pipe-dev',
        ImageScanningConfiguration: { ScanOnPush: true },
        ImageTagMutability: 'IMMUTABLE',
        EncryptionConfiguration: { EncryptionType: 'KMS' },
      });
    });

    test('lifecycle: untagged images expire after 1 day, the last 10 tagged are kept', () => {
      const [repo] = Object.values(registry.findResources('AWS::ECR::Repository'));
      const policy = JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText);
      expect(policy.rules).toEqual([
        expect.objectContaining({
          rulePriority: 1,
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 1, countUnit: 'days' },
          action: { type: 'expire' },
        }),
        expect.objectContaining({
          rulePriority: 2,
          selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 10 },
          action: { type: 'expire' },
        }),
      ]);
    });

    test('dev deletes the repository and its images with the stack', () => {
      registry.hasResource('AWS::ECR::Repository', {
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
        Properties: Match.objectLike({ EmptyOnDelete: true }),
      });
    });

    test('the GitHub OIDC provider is created natively (no custom resource) for the sts audience', () => {
      registry.resourceCountIs('AWS::IAM::OIDCProvider', 1);
      registry.hasResourceProperties('AWS::IAM::OIDCProvider', {
        Url: 'https://token.actions.githubusercontent.com',
        ClientIdList: ['sts.amazonaws.com'],
      });
      registry.resourceCountIs('AWS::Lambda::Function', 0);
    });

    test('only main of octo-org/auto-pipe, with the sts audience, can assume the deploy role', () => {
      const roles = registry.findResources('AWS::IAM::Role');
      expect(Object.keys(roles)).toHaveLength(1);
      const [role] = Object.values(roles);
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Action: 'sts:AssumeRoleWithWebIdentity',
          Effect: 'Allow',
          Principal: { Federated: { Ref: expect.stringMatching(/^GitHubDeployProvider/) } },
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': 'repo:octo-org/auto-pipe:ref:refs/heads/main',
            },
          },
        },
      ]);
    });

    test('the deploy role pushes to this repository only, assumes just the two bootstrap roles cdk deploy uses, and may read ECS\'s service-linked role', () => {
      const [policy] = Object.values(registry.findResources('AWS::IAM::Policy'));
      const repoArn = { 'Fn::GetAtt': [expect.stringMatching(/^Repository/), 'Arn'] };
      const bootstrapRole = (name: string) => ({
        'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, `:role/cdk-hnb659fds-${name}-`, { Ref: 'AWS::AccountId' }, '-us-east-1']],
      });
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        {
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
          Effect: 'Allow',
          Resource: repoArn,
        },
        { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
        {
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Effect: 'Allow',
          Resource: [bootstrapRole('deploy-role'), bootstrapRole('file-publishing-role')],
        },
        // Read-only, one role: the workflow's check that ECS's service-linked role exists before a deploy.
        {
          Action: 'iam:GetRole',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS']] },
        },
      ]);
    });

    test('outputs the repository URI and the deploy role ARN', () => {
      registry.hasOutput('RepositoryUri', {});
      registry.hasOutput('DeployRoleArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GitHubDeployRole'), 'Arn'] } });
    });
  });

  describe('service', () => {
    test('no NAT gateway and no private subnets: tasks run in public subnets with a public IP they ask for', () => {
      service.resourceCountIs('AWS::EC2::NatGateway', 0);
      service.resourceCountIs('AWS::EC2::EIP', 0);
      service.resourceCountIs('AWS::EC2::Subnet', 2);
      // Control Tower CT.EC2.PR.11 (subnet_auto_assign_public_ip_disabled_check): no implicit public IPs.
      service.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
      service.hasResourceProperties('AWS::ECS::Service', {
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
      });
    });

    test('VPC flow logs go to a log group kept 7 days and deleted with the stack', () => {
      service.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
      service.hasResource('AWS::Logs::LogGroup', {
        Properties: Match.objectLike({ RetentionInDays: 7, LogGroupName: Match.absent() }),
        DeletionPolicy: 'Delete',
      });
    });

    test('nothing is left behind: every log group, Container Insights\' included, is the stack\'s and goes with it', () => {
      const logGroups = service.findResources('AWS::Logs::LogGroup');
      expect(Object.values(logGroups).map((g) => g.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete']);
      // The name ECS writes Container Insights events to; made before the service, so ECS never creates it.
      const [insightsId, insights] = Object.entries(logGroups).find(([id]) => id.startsWith('WebContainerInsightsLogs'))!;
      const [clusterId] = Object.keys(service.findResources('AWS::ECS::Cluster'));
      expect(insights.Properties.LogGroupName).toEqual({ 'Fn::Join': ['', ['/aws/ecs/containerinsights/', { Ref: clusterId }, '/performance']] });
      const [ecsService] = Object.values(service.findResources('AWS::ECS::Service'));
      expect(ecsService.DependsOn).toContain(insightsId);
    });

    test('the cluster has Container Insights', () => {
      service.hasResourceProperties('AWS::ECS::Cluster', {
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      });
    });

    test('task: 256 CPU / 512 MiB, the image ImageTag names (the placeholder while empty) under the service\'s contract, hardened container', () => {
      const registryImage = { 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, '.dkr.ecr.us-east-1.', { Ref: 'AWS::URLSuffix' }, '/auto-pipe-dev:', { Ref: 'ImageTag' }]] };
      service.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '256',
        Memory: '512',
        RequiresCompatibilities: ['FARGATE'],
        ContainerDefinitions: [
          Match.objectLike({
            Image: { 'Fn::If': ['PlaceholderImage', PLACEHOLDER_IMAGE, registryImage] },
            // The placeholder's server only while it runs; the image's own command otherwise.
            Command: { 'Fn::If': ['PlaceholderImage', ['sh', '-c', Match.stringLikeRegexp('exec httpd -f -p 8080 ')], { Ref: 'AWS::NoValue' }] },
            User: '1000',
            ReadonlyRootFilesystem: true,
            PortMappings: [Match.objectLike({ ContainerPort: 8080 })],
            LinuxParameters: Match.objectLike({
              Capabilities: { Drop: ['ALL'] },
              InitProcessEnabled: true,
              Tmpfs: [Match.objectLike({ ContainerPath: '/tmp' })],
            }),
            HealthCheck: Match.objectLike({
              Command: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:8080/health || exit 1'],
            }),
            Environment: Match.absent(),
          }),
        ],
      });
    });

    test('ImageTag is a parameter, empty by default: a new stack runs the placeholder, and a deploy that does not pass it keeps the running tag', () => {
      service.hasParameter('ImageTag', {
        Type: 'String',
        Default: '',
        AllowedPattern: '^(|[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$',
        ConstraintDescription: Match.stringLikeRegexp('a Docker tag'),
      });
      service.hasCondition('PlaceholderImage', { 'Fn::Equals': [{ Ref: 'ImageTag' }, ''] });
      service.hasOutput('RunningImage', { Value: { 'Fn::If': ['PlaceholderImage', PLACEHOLDER_IMAGE, Match.anyValue()] } });
    });

    test('container logs go via awslogs to /ecs/auto-pipe-dev, kept 7 days, deleted with the stack', () => {
      service.hasResource('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: '/ecs/auto-pipe-dev', RetentionInDays: 7 },
        DeletionPolicy: 'Delete',
      });
      service.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({
            LogConfiguration: {
              LogDriver: 'awslogs',
              Options: Match.objectLike({ 'awslogs-group': { Ref: Match.stringLikeRegexp('^WebLogs') }, mode: 'non-blocking' }),
            },
          }),
        ],
      });
    });

    test('separate roles: the execution role only pulls from auto-pipe-dev and writes logs, the task role has no permissions', () => {
      const def = Object.values(service.findResources('AWS::ECS::TaskDefinition'))[0].Properties;
      expect(def.ExecutionRoleArn).not.toEqual(def.TaskRoleArn);
      const policies = Object.values(service.findResources('AWS::IAM::Policy'));
      const attachedTo = (role: string) => policies.filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role));
      expect(attachedTo(def.TaskRoleArn['Fn::GetAtt'][0])).toEqual([]);
      const [execution] = attachedTo(def.ExecutionRoleArn['Fn::GetAtt'][0]);
      expect(execution.Properties.PolicyDocument.Statement).toEqual([
        {
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:aws:ecr:us-east-1:', { Ref: 'AWS::AccountId' }, ':repository/auto-pipe-dev']] },
        },
        // ECR's login: no resource-level permissions exist for it.
        { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
        { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^WebLogs/), 'Arn'] } },
      ]);
      service.hasResourceProperties('AWS::IAM::Role', {
        Description: Match.stringLikeRegexp('no permissions'),
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Condition: { ArnLike: Match.anyValue(), StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } })],
        },
      });
    });

    test('deployments: circuit breaker with rollback, new tasks before old ones stop, one task, no scaling', () => {
      service.hasResourceProperties('AWS::ECS::Service', {
        DesiredCount: 1,
        LaunchType: 'FARGATE',
        DeploymentConfiguration: {
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 100,
          MaximumPercent: 200,
        },
      });
      service.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    });

    test('the ALB serves HTTP on 80 and health-checks the service on /health', () => {
      service.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
        LoadBalancerAttributes: Match.arrayWith([{ Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }]),
      });
      service.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
      service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
      service.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: 8080,
        TargetType: 'ip',
        HealthCheckPath: '/health',
        Matcher: { HttpCode: '200' },
      });
    });

    test('tasks accept traffic from the load balancer only, and reach out on HTTPS only', () => {
      service.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
      service.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 8080,
        ToPort: 8080,
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebLoadBalancerSecurityGroup'), 'GroupId'] },
      });
      service.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^Auto-Pipe tasks'),
        SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: Match.anyValue() }],
      });
    });

    test('nothing is retained: every resource with a deletion policy deletes', () => {
      for (const id of [REGISTRY, SERVICE]) {
        const policies = Object.values(synth.json(id).Resources).flatMap((r) => [r.DeletionPolicy, r.UpdateReplacePolicy]);
        expect(policies.filter((p) => p !== undefined && p !== 'Delete')).toEqual([]);
      }
    });

    test('outputs the service URL, dashboard URL and alarm topic ARN', () => {
      service.hasOutput('ServiceUrl', {
        Value: { 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebLoadBalancer'), 'DNSName'] }]] },
      });
      service.hasOutput('DashboardUrl', {
        Value: 'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=auto-pipe-dev',
      });
      service.hasOutput('AlarmTopicArn', { Value: { Ref: Match.stringLikeRegexp('^MonitoringAlarmTopic') } });
    });
  });

  describe('monitoring', () => {
    const topic = { Ref: Match.stringLikeRegexp('^MonitoringAlarmTopic') };

    test.each([
      ['CPUUtilization', 'AWS/ECS', 80],
      ['MemoryUtilization', 'AWS/ECS', 80],
      ['HTTPCode_ELB_5XX_Count', 'AWS/ApplicationELB', 5],
      ['HTTPCode_Target_5XX_Count', 'AWS/ApplicationELB', 5],
      ['UnHealthyHostCount', 'AWS/ApplicationELB', 1],
      ['TargetResponseTime', 'AWS/ApplicationELB', 1],
    ])('alarm on %s notifies the topic when it fires and when it clears', (metric, namespace, threshold) => {
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metric,
        Namespace: namespace,
        Threshold: threshold,
        AlarmActions: [topic],
        OKActions: [topic],
      });
    });

    test('the latency alarm watches p99 above 1 second', () => {
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'TargetResponseTime',
        ExtendedStatistic: 'p99',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    });

    test('running tasks below desired: Container Insights desired - running, missing data breaches', () => {
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'desired - running' }),
          Match.objectLike({ Id: 'desired', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'DesiredTaskCount', Namespace: 'ECS/ContainerInsights' }) }) }),
          Match.objectLike({ Id: 'running', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'RunningTaskCount', Namespace: 'ECS/ContainerInsights' }) }) }),
        ]),
        Threshold: 0,
        TreatMissingData: 'breaching',
        AlarmActions: [topic],
        OKActions: [topic],
      });
    });

    test('seven alarms, every one with alarm and OK actions', () => {
      const alarms = Object.values(service.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms).toHaveLength(7);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toHaveLength(1);
        expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
      }
    });

    test('the SNS topic refuses publishers that do not use TLS and lets this account\'s CloudWatch alarms publish; no one is subscribed by default', () => {
      const [policy] = Object.values(service.findResources('AWS::SNS::TopicPolicy'));
      const statements = policy.Properties.PolicyDocument.Statement as Record<string, unknown>[];
      expect(statements).toHaveLength(2);
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
      const allow = statements.find((st) => st.Effect === 'Allow')!;
      expect(allow).toMatchObject({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: expect.stringMatching(/^MonitoringAlarmTopic/) },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      });
      expect(JSON.stringify((allow.Condition as Record<string, unknown>).ArnLike)).toContain(':alarm:*');
      service.resourceCountIs('AWS::SNS::Subscription', 0);
    });

    test('the dashboard shows requests, errors, latency percentiles, CPU, memory and tasks', () => {
      const [dashboard] = Object.values(service.findResources('AWS::CloudWatch::Dashboard'));
      expect(dashboard.Properties.DashboardName).toBe('auto-pipe-dev');
      const body = JSON.stringify(dashboard.Properties.DashboardBody);
      for (const title of ['Requests per minute', 'Errors per 5 minutes', 'Latency (p50, p90, p99)', 'CPU utilization', 'Memory utilization', 'Tasks', 'Alarms']) {
        expect(body).toContain(`\\"title\\":\\"${title}\\"`);
      }
      for (const stat of ['p50', 'p90', 'p99']) expect(body).toContain(`\\"stat\\":\\"${stat}\\"`);
    });
  });

  test('termination protection is off so the lab tears down with one command', () => {
    expect(synth.stack(REGISTRY).terminationProtection).toBe(false);
    expect(synth.stack(SERVICE).terminationProtection).toBe(false);
  });
});

describe('prod: retains data, highly available', () => {
  const REGISTRY = 'AutoPipeRegistry-prod';
  const SERVICE = 'AutoPipeService-prod';
  const registry = synth.template(REGISTRY);
  const service = synth.template(SERVICE);

  test('HTTPS under its own name: a DNS-validated certificate, an alias record, TLS 1.2+ only, port 80 redirecting, ServiceUrl the name', () => {
    service.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'api.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
    service.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
    });
    service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('^WebCertificate') } }],
    });
    service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [{ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' }) }],
    });
    service.hasOutput('ServiceUrl', { Value: 'https://api.example.com' });
  });

  test('only jobs in the GitHub environment production (its reviewers approve each deploy) can assume the deploy role', () => {
    const [role] = Object.values(registry.findResources('AWS::IAM::Role'));
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals).toEqual({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': 'repo:octo-org/auto-pipe:environment:production',
    });
  });

  describe('data', () => {
    test('the ECR repository and its images survive the stack', () => {
      registry.hasResource('AWS::ECR::Repository', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({ RepositoryName: 'auto-pipe-prod', EmptyOnDelete: false }),
      });
    });

    test('the last 30 tagged images are kept', () => {
      const [repo] = Object.values(registry.findResources('AWS::ECR::Repository'));
      const rules = JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
      expect(rules.map((r: { selection: unknown }) => r.selection)).toEqual([
        { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 1, countUnit: 'days' },
        { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 30 },
      ]);
    });

    test('container logs, Container Insights events and flow logs are kept 90 days and survive the stack', () => {
      service.hasResource('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: '/ecs/auto-pipe-prod', RetentionInDays: 90 },
        DeletionPolicy: 'Retain',
      });
      const logGroups = Object.values(service.findResources('AWS::Logs::LogGroup'));
      expect(logGroups).toHaveLength(3);
      for (const group of logGroups) {
        expect(group).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 90 } });
      }
    });

    test('ALB access logs go to an encrypted, private, TLS-only bucket that survives the stack', () => {
      service.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        }),
      });
      service.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
      service.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.prefix', Value: 'alb' },
        ]),
      });
    });

    test('the stacks refuse deletion until termination protection is turned off', () => {
      expect(synth.stack(REGISTRY).terminationProtection).toBe(true);
      expect(synth.stack(SERVICE).terminationProtection).toBe(true);
    });
  });

  describe('availability', () => {
    test('tasks run in private subnets behind one NAT gateway per AZ, without public IPs', () => {
      service.resourceCountIs('AWS::EC2::NatGateway', 2);
      service.resourceCountIs('AWS::EC2::Subnet', 4);
      service.hasResourceProperties('AWS::ECS::Service', {
        NetworkConfiguration: {
          AwsvpcConfiguration: Match.objectLike({
            AssignPublicIp: 'DISABLED',
            Subnets: [{ Ref: Match.stringLikeRegexp('^NetworkVpcprivateSubnet1') }, { Ref: Match.stringLikeRegexp('^NetworkVpcprivateSubnet2') }],
          }),
        },
      });
    });

    test('the load balancer has deletion protection on', () => {
      service.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]),
      });
    });

    test('task: 512 CPU / 1024 MiB, circuit breaker with rollback, and no DesiredCount: auto scaling owns it, so a deploy keeps a scaled-out count', () => {
      service.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '1024' });
      const [ecsService] = Object.values(service.findResources('AWS::ECS::Service'));
      expect(ecsService.Properties.DesiredCount).toBeUndefined();
      expect(ecsService.Properties.DeploymentConfiguration).toMatchObject({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } });
    });

    test('scales between 2 and 6 tasks on CPU and on requests per target', () => {
      service.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 2,
        MaxCapacity: 6,
        ScalableDimension: 'ecs:service:DesiredCount',
      });
      service.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: 60,
        }),
      });
      service.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
          TargetValue: 1000,
        }),
      });
    });

    test('the same seven alarms and the dashboard watch prod', () => {
      service.resourceCountIs('AWS::CloudWatch::Alarm', 7);
      service.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'auto-pipe-prod' });
    });
  });
});

describe('every optional context key at once (one more synth: the schema validator is already running)', () => {
  // Every optional context key at once, as strings the way `-c key=value` passes them.
  const OIDC_PROVIDER_ARN = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
  const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
  const synth = synthAutoPipe({
    env: 'dev',
    githubRepo: 'octo-org/auto-pipe',
    githubBranch: 'release/2026',
    githubOidcProviderArn: OIDC_PROVIDER_ARN,
    githubOwnerId: '9919',
    githubRepoId: '1296269',
    domainName: 'api.example.com',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    hostedZoneName: 'example.com',
    certificateArn: CERTIFICATE_ARN,
    alarmEmail: 'ops@example.com',
    desiredCount: '2',
    maxCount: '4',
    cpu: '512',
    memory: '2048',
  });
  const REGISTRY = 'AutoPipeRegistry-dev';
  const SERVICE = 'AutoPipeService-dev';
  const registry = synth.template(REGISTRY);
  const service = synth.template(SERVICE);

  test('githubOidcProviderArn imports the existing provider instead of creating a second one', () => {
    registry.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    registry.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Federated: OIDC_PROVIDER_ARN } })],
      },
    });
  });

  test('githubBranch narrows the trust to that branch; the ids add the immutable subject newer repositories get', () => {
    registry.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub': [
                  'repo:octo-org/auto-pipe:ref:refs/heads/release/2026',
                  'repo:octo-org@9919/auto-pipe@1296269:ref:refs/heads/release/2026',
                ],
              },
            },
          }),
        ],
      },
    });
  });

  test('the execution role may pull from auto-pipe-dev only', () => {
    service.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:aws:ecr:us-east-1:', { Ref: 'AWS::AccountId' }, ':repository/auto-pipe-dev']] },
          },
          { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
        ]),
      },
    });
  });

  test('a domain with certificateArn serves HTTPS on 443 with that certificate (none requested), under the domain name', () => {
    service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: CERTIFICATE_ARN }],
    });
    service.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' }) }],
    });
    service.hasOutput('ServiceUrl', { Value: 'https://api.example.com' });
  });

  test('alarmEmail subscribes that address to the alarm topic', () => {
    service.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: Match.stringLikeRegexp('^MonitoringAlarmTopic') },
    });
  });

  test('cpu, memory, desiredCount and maxCount size and scale the service', () => {
    service.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '2048' });
    // desiredCount is the scaling minimum; the template leaves the running count to auto scaling.
    service.hasResourceProperties('AWS::ECS::Service', { DesiredCount: Match.absent() });
    service.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 4 });
  });

  describePolicy(synth, [REGISTRY, SERVICE], [
    'AutoPipeRegistry-dev/GitHubDeploy/Role AwsSolutions-IAM5[Resource::*]',
    'AutoPipeService-dev/Web/LoadBalancer AwsSolutions-EC23',
    'AutoPipeService-dev/Web/LoadBalancer AwsSolutions-ELB2',
    'AutoPipeService-dev/Web/ExecutionRole AwsSolutions-IAM5[Resource::*]',
  ]);
});
