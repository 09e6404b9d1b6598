import { logGroupAcknowledgements } from '../synth';
import { describeEcommercePolicy } from './policy';

describeEcommercePolicy(
  'prod',
  [
    'EcommerceBackend-prod/Cache/AuthToken AwsSolutions-SMG4',
    'EcommerceBackend-prod/Database/Instance AwsSolutions-RDS11',
    'EcommerceBackend-prod/Database/Instance/MonitoringRole AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
    'EcommerceBackend-prod/SessionSecret AwsSolutions-SMG4',
    'EcommerceBackend-prod/Web/AccessLogs AwsSolutions-S1',
    'EcommerceBackend-prod/Web/ExecutionRole AwsSolutions-IAM5[Resource::*]',
    'EcommerceBackend-prod/Web/LoadBalancer AwsSolutions-EC23',
    'EcommerceBackend-prod/Web/TaskDefinition AwsSolutions-ECS2',
  ],
  [
    ...logGroupAcknowledgements('EcommerceBackend-prod/Cache/SlowLog'),
    'EcommerceBackend-prod/Database/Instance cdk-validator-cfnguard::rds_instance_no_default_ports_check',
    'EcommerceBackend-prod/Database/Instance cdk-validator-cfnguard::rds_storage_encrypted_kms_key_check',
    ...logGroupAcknowledgements('EcommerceBackend-prod/Database/PostgresqlLogs'),
    ...logGroupAcknowledgements('EcommerceBackend-prod/Database/UpgradeLogs'),
    ...logGroupAcknowledgements('EcommerceBackend-prod/Network/FlowLogs'),
    'EcommerceBackend-prod/Web/AccessLogs cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
    'EcommerceBackend-prod/Web/AccessLogs cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
    'EcommerceBackend-prod/Web/AccessLogs cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
    'EcommerceBackend-prod/Web/AccessLogs cdk-validator-cfnguard::s3_bucket_versioning_enabled_check',
    'EcommerceBackend-prod/Web/AccessLogs cdk-validator-cfnguard::s3_event_notifications_enabled_check',
    ...logGroupAcknowledgements('EcommerceBackend-prod/Web/ContainerInsightsLogs'),
    ...logGroupAcknowledgements('EcommerceBackend-prod/Web/Logs'),
    'EcommerceBackend-prod/Web/TaskDefinition cdk-validator-cfnguard::ecs_task_definition_memory_hard_limit_check',
  ],
);
