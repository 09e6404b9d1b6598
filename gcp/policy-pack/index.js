/**
 * The pack's entry, as the Pulumi CLI starts it for `pulumi preview --policy-pack gcp/policy-pack`: the
 * Node.js language host's RunPlugin (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs) resolves
 * `@pulumi/pulumi/cmd/run-policy-pack` from this folder (Node's lookup reaches the repository's
 * node_modules), runs it with this folder as working directory and `<engine address> .` as arguments,
 * and run-policy-pack loads `main` of package.json, here, with ts-node registered. The kit's own hook
 * then compiles the `.ts` files, as it does for the programs (Pulumi.yaml's nodeargs).
 * test/gcp/policy-pack.test.ts starts it the same way.
 */
'use strict';
require('../../common/register.js');
require('./pack.ts');
