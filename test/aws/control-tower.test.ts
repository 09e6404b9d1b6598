/**
 * Auto-Pipe against AWS Control Tower's proactive controls, run by CloudFormation Guard as a user's
 * `cdk synth` runs them: the learner's deploy, both profiles (every optional key at once: control-tower-options.test.ts).
 */
import { describeControlTowerRules, LAB_PROFILES, logGroupAcknowledgements, synthAutoPipe } from './synth';

describe('both profiles, as a learner deploys them', () => {
  describeControlTowerRules(synthAutoPipe(LAB_PROFILES, { validate: false }), [
    ...logGroupAcknowledgements('AutoPipeService-dev/Network/FlowLogs'),
    'AutoPipeService-dev/Web/LoadBalancer cdk-validator-cfnguard::elbv2_deletion_protection_enabled_check',
    'AutoPipeService-dev/Web/LoadBalancer cdk-validator-cfnguard::elbv2_logging_enabled_check',
    ...logGroupAcknowledgements('AutoPipeService-dev/Web/Logs'),
    ...logGroupAcknowledgements('AutoPipeService-dev/Web/ContainerInsightsLogs'),
    'AutoPipeService-dev/Web/Service cdk-validator-cfnguard::ecs_service_assign_public_ip_disabled_check',
    'AutoPipeService-dev/Web/LoadBalancer/Http cdk-validator-cfnguard::alb_http_to_https_redirection_check',
    ...logGroupAcknowledgements('AutoPipeService-prod/Network/FlowLogs'),
    'AutoPipeService-prod/Web/AccessLogs cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
    'AutoPipeService-prod/Web/AccessLogs cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
    'AutoPipeService-prod/Web/AccessLogs cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
    'AutoPipeService-prod/Web/AccessLogs cdk-validator-cfnguard::s3_bucket_versioning_enabled_check',
    'AutoPipeService-prod/Web/AccessLogs cdk-validator-cfnguard::s3_event_notifications_enabled_check',
    ...logGroupAcknowledgements('AutoPipeService-prod/Web/Logs'),
    ...logGroupAcknowledgements('AutoPipeService-prod/Web/ContainerInsightsLogs'),
  ]);
});
