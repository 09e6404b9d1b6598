import { Match } from 'aws-cdk-lib/assertions';
import { describePolicy, synthAutoPipe } from './synth';

// Every optional context key at once, as strings the way `-c key=value` passes them.
const OIDC_PROVIDER_ARN = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const synth = synthAutoPipe({
  env: 'dev',
  githubRepo: 'octo-org/auto-pipe',
  githubBranch: 'release/2026',
  githubOidcProviderArn: OIDC_PROVIDER_ARN,
  certificateArn: CERTIFICATE_ARN,
  alarmEmail: 'ops@example.com',
  imageTag: '3f2c1a9e',
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

test('githubBranch narrows the trust to that branch', () => {
  registry.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [
        Match.objectLike({
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': 'repo:octo-org/auto-pipe:ref:refs/heads/release/2026',
            },
          },
        }),
      ],
    },
  });
});

test('imageTag runs that tag from the registry and health-checks /health', () => {
  const [definition] = Object.values(service.findResources('AWS::ECS::TaskDefinition'));
  const [container] = definition.Properties.ContainerDefinitions;
  expect(JSON.stringify(container.Image)).toContain('.dkr.ecr.us-east-1.');
  expect(JSON.stringify(container.Image)).toContain('/auto-pipe-dev:3f2c1a9e');
  expect(container.User).toBe('1000');
  expect(container.HealthCheck.Command).toEqual(['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:8080/health || exit 1']);
  service.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/health' });
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

test('certificateArn serves HTTPS on 443 and redirects HTTP to it', () => {
  service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    Port: 443,
    Protocol: 'HTTPS',
    Certificates: [{ CertificateArn: CERTIFICATE_ARN }],
  });
  service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    Port: 80,
    Protocol: 'HTTP',
    DefaultActions: [{ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' }) }],
  });
  service.hasOutput('ServiceUrl', { Value: { 'Fn::Join': ['', ['https://', Match.anyValue()]] } });
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
  service.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 2 });
  service.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 4 });
});

describePolicy(synth, [REGISTRY, SERVICE], [
  'AutoPipeRegistry-dev/GitHubDeploy/Role AwsSolutions-IAM5[Resource::*]',
  'AutoPipeService-dev/Web/LoadBalancer AwsSolutions-EC23',
  'AutoPipeService-dev/Web/LoadBalancer AwsSolutions-ELB2',
  'AutoPipeService-dev/Web/ExecutionRole AwsSolutions-IAM5[Resource::*]',
]);
