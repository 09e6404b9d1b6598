/**
 * The policy engines a user's `cdk synth` runs on the e-commerce lab (cdk-nag AwsSolutions, the
 * CloudFormation schemas, the Control Tower rules in CloudFormation Guard): no unacknowledged
 * finding in either profile, and exactly these acknowledgements, each explained and each covering
 * a real finding.
 */
import { describeControlTowerRules, describePolicy } from '../synth';
import { ECOMMERCE_PROFILES, synthEcommerce } from './synth';

const synth = synthEcommerce(ECOMMERCE_PROFILES);
const STACKS = ['EcommerceRegistry-dev', 'EcommerceBackend-dev', 'EcommerceRegistry-prod', 'EcommerceBackend-prod'];

describePolicy(synth, STACKS, [
  'EcommerceBackend-dev/Cache/AuthToken AwsSolutions-SMG4',
  'EcommerceBackend-dev/Cache/ReplicationGroup AwsSolutions-AEC4',
  'EcommerceBackend-dev/Database/Instance AwsSolutions-RDS10',
  'EcommerceBackend-dev/Database/Instance AwsSolutions-RDS11',
  'EcommerceBackend-dev/Database/Instance AwsSolutions-RDS3',
  'EcommerceBackend-dev/SessionSecret AwsSolutions-SMG4',
  'EcommerceBackend-dev/Web/Cluster AwsSolutions-ECS4',
  'EcommerceBackend-dev/Web/ExecutionRole AwsSolutions-IAM5[Resource::*]',
  'EcommerceBackend-dev/Web/LoadBalancer AwsSolutions-EC23',
  'EcommerceBackend-dev/Web/LoadBalancer AwsSolutions-ELB2',
  'EcommerceBackend-dev/Web/TaskDefinition AwsSolutions-ECS2',
  'EcommerceBackend-prod/Cache/AuthToken AwsSolutions-SMG4',
  'EcommerceBackend-prod/Database/Instance AwsSolutions-RDS11',
  'EcommerceBackend-prod/Database/Instance/MonitoringRole AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
  'EcommerceBackend-prod/SessionSecret AwsSolutions-SMG4',
  'EcommerceBackend-prod/Web/AccessLogs AwsSolutions-S1',
  'EcommerceBackend-prod/Web/ExecutionRole AwsSolutions-IAM5[Resource::*]',
  'EcommerceBackend-prod/Web/LoadBalancer AwsSolutions-EC23',
  'EcommerceBackend-prod/Web/TaskDefinition AwsSolutions-ECS2',
]);

describeControlTowerRules(synth, [
  'EcommerceBackend-dev/Cache/SlowLog cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
  'EcommerceBackend-dev/Cache/SlowLog cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
  'EcommerceBackend-dev/Database/Instance cdk-validator-cfnguard::rds_instance_backup_enabled_check',
  'EcommerceBackend-dev/Database/Instance cdk-validator-cfnguard::rds_instance_deletion_protection_enabled_check',
  'EcommerceBackend-dev/Database/Instance cdk-validator-cfnguard::rds_instance_enhanced_monitoring_enabled_check',
  'EcommerceBackend-dev/Database/Instance cdk-validator-cfnguard::rds_instance_multi_az_support_check',
  'EcommerceBackend-dev/Database/Instance cdk-validator-cfnguard::rds_instance_no_default_ports_check',
  'EcommerceBackend-dev/Database/Instance cdk-validator-cfnguard::rds_storage_encrypted_kms_key_check',
  'EcommerceBackend-dev/Database/PostgresqlLogs cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
  'EcommerceBackend-dev/Database/PostgresqlLogs cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
  'EcommerceBackend-dev/Database/UpgradeLogs cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
  'EcommerceBackend-dev/Database/UpgradeLogs cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
  'EcommerceBackend-dev/Network/FlowLogs cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
  'EcommerceBackend-dev/Network/FlowLogs cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
  'EcommerceBackend-dev/Web/Cluster cdk-validator-cfnguard::ecs_container_insights_enabled_check',
  'EcommerceBackend-dev/Web/LoadBalancer cdk-validator-cfnguard::elbv2_deletion_protection_enabled_check',
  'EcommerceBackend-dev/Web/LoadBalancer cdk-validator-cfnguard::elbv2_logging_enabled_check',
  'EcommerceBackend-dev/Web/LoadBalancer/Http cdk-validator-cfnguard::alb_http_to_https_redirection_check',
  'EcommerceBackend-dev/Web/Logs cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
  'EcommerceBackend-dev/Web/Logs cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
  'EcommerceBackend-dev/Web/Service cdk-validator-cfnguard::ecs_service_assign_public_ip_disabled_check',
  'EcommerceBackend-dev/Web/TaskDefinition cdk-validator-cfnguard::ecs_task_definition_memory_hard_limit_check',
  'EcommerceBackend-prod/Cache/SlowLog cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
  'EcommerceBackend-prod/Cache/SlowLog cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
  'EcommerceBackend-prod/Database/Instance cdk-validator-cfnguard::rds_instance_no_default_ports_check',
  'EcommerceBackend-prod/Database/Instance cdk-validator-cfnguard::rds_storage_encrypted_kms_key_check',
  'EcommerceBackend-prod/Database/PostgresqlLogs cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
  'EcommerceBackend-prod/Database/PostgresqlLogs cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
  'EcommerceBackend-prod/Database/UpgradeLogs cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
  'EcommerceBackend-prod/Database/UpgradeLogs cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
  'EcommerceBackend-prod/Network/FlowLogs cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
  'EcommerceBackend-prod/Network/FlowLogs cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
  'EcommerceBackend-prod/Web/AccessLogs cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
  'EcommerceBackend-prod/Web/AccessLogs cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
  'EcommerceBackend-prod/Web/AccessLogs cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
  'EcommerceBackend-prod/Web/AccessLogs cdk-validator-cfnguard::s3_bucket_versioning_enabled_check',
  'EcommerceBackend-prod/Web/AccessLogs cdk-validator-cfnguard::s3_event_notifications_enabled_check',
  'EcommerceBackend-prod/Web/ContainerInsightsLogs cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
  'EcommerceBackend-prod/Web/ContainerInsightsLogs cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
  'EcommerceBackend-prod/Web/Logs cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
  'EcommerceBackend-prod/Web/Logs cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
  'EcommerceBackend-prod/Web/TaskDefinition cdk-validator-cfnguard::ecs_task_definition_memory_hard_limit_check',
]);

