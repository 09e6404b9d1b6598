import { logGroupAcknowledgements } from '../synth';
import { describeEcommercePolicy } from './policy';

describeEcommercePolicy(
  'dev',
  [
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
  ],
  [
    ...logGroupAcknowledgements('EcommerceBackend-dev/Cache/SlowLog'),
    'EcommerceBackend-dev/Database/Instance cdk-validator-cfnguard::rds_instance_backup_enabled_check',
    'EcommerceBackend-dev/Database/Instance cdk-validator-cfnguard::rds_instance_deletion_protection_enabled_check',
    'EcommerceBackend-dev/Database/Instance cdk-validator-cfnguard::rds_instance_enhanced_monitoring_enabled_check',
    'EcommerceBackend-dev/Database/Instance cdk-validator-cfnguard::rds_instance_multi_az_support_check',
    'EcommerceBackend-dev/Database/Instance cdk-validator-cfnguard::rds_instance_no_default_ports_check',
    'EcommerceBackend-dev/Database/Instance cdk-validator-cfnguard::rds_storage_encrypted_kms_key_check',
    ...logGroupAcknowledgements('EcommerceBackend-dev/Database/PostgresqlLogs'),
    ...logGroupAcknowledgements('EcommerceBackend-dev/Database/UpgradeLogs'),
    ...logGroupAcknowledgements('EcommerceBackend-dev/Network/FlowLogs'),
    'EcommerceBackend-dev/Web/Cluster cdk-validator-cfnguard::ecs_container_insights_enabled_check',
    'EcommerceBackend-dev/Web/LoadBalancer cdk-validator-cfnguard::elbv2_deletion_protection_enabled_check',
    'EcommerceBackend-dev/Web/LoadBalancer cdk-validator-cfnguard::elbv2_logging_enabled_check',
    'EcommerceBackend-dev/Web/LoadBalancer/Http cdk-validator-cfnguard::alb_http_to_https_redirection_check',
    ...logGroupAcknowledgements('EcommerceBackend-dev/Web/Logs'),
    'EcommerceBackend-dev/Web/Service cdk-validator-cfnguard::ecs_service_assign_public_ip_disabled_check',
    'EcommerceBackend-dev/Web/TaskDefinition cdk-validator-cfnguard::ecs_task_definition_memory_hard_limit_check',
  ],
);
