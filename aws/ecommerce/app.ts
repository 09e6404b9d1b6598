import type { App } from 'aws-cdk-lib';
import { createCdkApp, type CdkAppOptions } from '../constructs/cdk-app';
import { backendStackName, readEcommerceConfig } from './config';
import { EcommerceBackendStack } from './backend-stack';
import { EcommerceRegistryStack } from './registry-stack';

/**
 * The e-commerce backend's stacks in `app`, from its context: the configuration is validated
 * first, so a mistake throws a ConfigError before any stack exists.
 */
export function addEcommerceStacks(app: App): App {
  const config = readEcommerceConfig((key) => app.node.tryGetContext(key), Object.keys(app.node.getAllContext()));
  const stackProps = { env: { region: config.region }, tags: config.tags, terminationProtection: config.terminationProtection, config };
  const registry = new EcommerceRegistryStack(app, `EcommerceRegistry-${config.profile}`, stackProps);
  const backend = new EcommerceBackendStack(app, backendStackName(config.profile), stackProps);
  // Deploy the registry first and destroy the backend first (its tasks pull from the registry).
  backend.addStackDependency(registry);
  return app;
}

/** The e-commerce backend as its own app (cdk.json's context plus `options.context`), for the `lab` command and the tests. */
export function createEcommerceApp(options: CdkAppOptions = {}): App {
  return addEcommerceStacks(createCdkApp(options));
}
