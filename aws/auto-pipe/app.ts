import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from '../../common/dist';
import { readAutoPipeConfigs } from './config';
import { AutoPipeRegistryStack } from './registry-stack';
import { AutoPipeServiceStack } from './service-stack';

export interface AutoPipeAppOptions {
  /** Context on top of cdk.json's, as `-c key=value` would give it. */
  readonly context?: Record<string, unknown>;
  /** Where `synth()` writes the cloud assembly. @default - a temporary directory */
  readonly outdir?: string;
  /**
   * Validate the templates against the CloudFormation schemas at synth, as `cdk synth` does (about
   * 2.5 s to start, once per process). cdk-nag runs either way. @default true
   */
  readonly validate?: boolean;
}

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
 * Builds the Auto-Pipe app from cdk.json's context (feature flags) plus `options.context`,
 * used by aws/app.ts and by every test. All configuration is validated first: a mistake
 * throws a ConfigError before any stack exists. cdk-nag's AwsSolutions pack runs at synth.
 */
export function createAutoPipeApp(options: AutoPipeAppOptions = {}): App {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  // Under the CLI, CDK_CONTEXT_JSON (cdk.json + -c values) overrides this context. Callers
  // synthesize explicitly, so a configuration error never leaves an exit hook that synthesizes.
  const app = new App({
    context: { ...CLI_DEFAULT_CONTEXT, ...cdkJson.context, ...options.context },
    outdir: options.outdir,
    autoSynth: false,
    builtinCloudFormationValidation: options.validate ?? true,
  });

  const configs = readAutoPipeConfigs(
    (key) => app.node.tryGetContext(key),
    Object.keys(app.node.getAllContext()),
  );

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  for (const config of configs) {
    const env = { region: config.region };
    const stackProps = { env, tags: config.tags, terminationProtection: config.terminationProtection, config };
    const registry = new AutoPipeRegistryStack(app, `AutoPipeRegistry-${config.profile}`, stackProps);
    const service = new AutoPipeServiceStack(app, `AutoPipeService-${config.profile}`, stackProps);
    // Deploy the registry first and destroy the service first (its tasks pull from the registry).
    service.addStackDependency(registry);
  }
  return app;
}
