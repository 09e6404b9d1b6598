#!/usr/bin/env node
// `npx iac-lab`: the same command as `npm run lab`, run from the TypeScript sources.
require('../common/register');
require('../labs/cli/cli.ts');
