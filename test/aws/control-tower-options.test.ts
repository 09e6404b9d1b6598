/**
 * Auto-Pipe against AWS Control Tower's proactive controls with every optional key at once (the
 * learner's two profiles: control-tower.test.ts). One file each: Guard's run on two apps plus this one
 * would take a single file past 10 s.
 */
import { describeControlTowerRules, logGroupAcknowledgements, synthAutoPipe } from './synth';

describe('every optional key at once (HTTPS, a learner\'s image contract, scaling)', () => {
  const synth = synthAutoPipe(
    {
      env: 'dev',
      githubRepo: 'octo-org/auto-pipe',
      domainName: 'api.example.com',
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      hostedZoneName: 'example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
      alarmEmail: 'ops@example.com',
      desiredCount: '2',
      maxCount: '4',
    },
    { validate: false },
  );
  describeControlTowerRules(synth, [
    ...logGroupAcknowledgements('AutoPipeService-dev/Network/FlowLogs'),
    'AutoPipeService-dev/Web/LoadBalancer cdk-validator-cfnguard::elbv2_deletion_protection_enabled_check',
    'AutoPipeService-dev/Web/LoadBalancer cdk-validator-cfnguard::elbv2_logging_enabled_check',
    ...logGroupAcknowledgements('AutoPipeService-dev/Web/Logs'),
    ...logGroupAcknowledgements('AutoPipeService-dev/Web/ContainerInsightsLogs'),
    'AutoPipeService-dev/Web/Service cdk-validator-cfnguard::ecs_service_assign_public_ip_disabled_check',
  ]);
});
