/** Test support for the e-commerce lab: its app with the kit's defaults, synthesized as a learner deploys it. */
import { EXAMPLE_DOMAIN } from '../../../aws/example-domain';
import { CONTEXT_KEYS } from '../../../aws/ecommerce/config';
import { createEcommerceApp } from '../../../aws/ecommerce/app';
import { type AppFactory, synthLab } from '../synth';

/** dev and prod as the guide deploys them (the image is the stacks' ImageTag parameter); prod with its HTTPS name. */
export const ECOMMERCE_PROFILES = [{ env: 'dev' }, { env: 'prod', ...EXAMPLE_DOMAIN }] as const;

/** The app with every lab key a learner may keep in cdk.json unset, so tests see the kit's defaults. */
export const ecommerceApp: AppFactory = (options) =>
  createEcommerceApp({ ...options, context: { ...Object.fromEntries(CONTEXT_KEYS.map((key) => [key, undefined])), ...options.context } });

export function synthEcommerce(contexts: readonly Readonly<Record<string, unknown>>[], options: { readonly validate?: boolean } = {}) {
  return synthLab(ecommerceApp, contexts, options);
}
