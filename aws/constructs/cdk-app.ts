import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from '../../common/dist';

export interface CdkAppOptions {
  /** Context on top of cdk.json's, as `-c key=value` would give it. */
  readonly context?: Record<string, unknown>;
  /** Where `synth()` writes the cloud assembly. @default - a temporary directory */
  readonly outdir?: string;
  /**
   * Validate the templates against the CloudFormation schemas at synth, as `cdk synth` does (about
   * 2.5 s to start, once per process). The policy checks run either way. @default true
   */
  readonly validate?: boolean;
  /**
   * Run the AWS Control Tower proactive controls through CloudFormation Guard at synth, as a user's
   * `cdk synth` does. @default true
   */
  readonly controlTowerRules?: boolean;
}

/** The id prefix of the Control Tower Guard rules' findings, as the synth report names them. */
export const GUARD = 'cdk-validator-cfnguard';

/**
 * What the CDK CLI adds to every app's context (`cdk synth` with default flags), so an app
 * built in-process synthesizes the same templates as `npx cdk synth`.
 */
const CLI_DEFAULT_CONTEXT = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  'aws:cdk:bundling-stacks': ['**'],
};

/**
 * The one way every AWS lab builds its App: cdk.json's context (feature flags) plus
 * `options.context`, cdk-nag's AwsSolutions pack and the Control Tower Guard rules as policy
 * validation, so `cdk synth`, `lab synth` and the tests judge the same templates the same way.
 * Findings are acknowledged per construct with `Validations.of(construct).acknowledge({ id, reason })`,
 * ids `AwsSolutions::<rule>` and `cdk-validator-cfnguard::<rule>` as the synth report names them.
 */
export function createCdkApp(options: CdkAppOptions = {}): App {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  // Under the CLI, CDK_CONTEXT_JSON (cdk.json + -c values) overrides this context. Callers
  // synthesize explicitly, so a configuration error never leaves an exit hook that synthesizes.
  const app = new App({
    context: { ...CLI_DEFAULT_CONTEXT, ...cdkJson.context, ...options.context },
    outdir: options.outdir,
    autoSynth: false,
    builtinCloudFormationValidation: options.validate ?? true,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  if (options.controlTowerRules ?? true) Validations.of(app).addPlugins(new CfnGuardValidator({ controlTowerRulesEnabled: true }));
  return app;
}

/**
 * The Control Tower log-group rules the kit's log groups answer by design: retention is a per-profile
 * cost decision (configurable), and CloudWatch Logs already encrypts at rest with a service key.
 */
export function acknowledgeLogGroupRules(logGroup: ILogGroup): void {
  Validations.of(logGroup).acknowledge({
    id: `${GUARD}::cloudwatch_log_group_retention_period_check`,
    reason: 'Retention is a per-profile cost choice (dev one week, prod three months); a compliance regime needing a year sets a longer retention in the profile.',
  });
  Validations.of(logGroup).acknowledge({
    id: `${GUARD}::cloudwatch_log_group_encrypted_check`,
    reason: 'CloudWatch Logs encrypts every log group at rest with a service-managed key; a customer-managed KMS key would add a key and its policy to every lab for no change in who can read the logs here.',
  });
}
