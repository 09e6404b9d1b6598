#!/usr/bin/env node
// `npx iac-lab`: the same command as `npm run lab`, run from the TypeScript sources through tsx.
require('tsx/cjs');
require('../labs/cli.ts');
