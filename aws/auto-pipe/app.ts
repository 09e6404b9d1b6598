import type { App } from 'aws-cdk-lib';
import { createCdkApp, type CdkAppOptions } from '../constructs/cdk-app';
import { readAutoPipeConfigs, serviceStackName } from './config';
import { AutoPipeRegistryStack } from './registry-stack';
import { AutoPipeServiceStack } from './service-stack';

export type AutoPipeAppOptions = CdkAppOptions;

/**
 * Builds the Auto-Pipe app from cdk.json's context (feature flags) plus `options.context`,
 * used by aws/app.ts and by every test. All configuration is validated first: a mistake
 * throws a ConfigError before any stack exists. cdk-nag's AwsSolutions pack runs at synth.
 */
export function createAutoPipeApp(options: AutoPipeAppOptions = {}): App {
  return addAutoPipeStacks(createCdkApp(options));
}

/** Auto-Pipe's stacks in `app`, from its context (validated first). */
export function addAutoPipeStacks(app: App): App {
  const configs = readAutoPipeConfigs(
    (key) => app.node.tryGetContext(key),
    Object.keys(app.node.getAllContext()),
  );

  for (const config of configs) {
    const env = { region: config.region };
    const stackProps = { env, tags: config.tags, terminationProtection: config.terminationProtection, config };
    const registry = new AutoPipeRegistryStack(app, `AutoPipeRegistry-${config.profile}`, stackProps);
    const service = new AutoPipeServiceStack(app, serviceStackName(config.profile), stackProps);
    // Deploy the registry first and destroy the service first (its tasks pull from the registry).
    service.addStackDependency(registry);
  }
  return app;
}
