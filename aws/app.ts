/**
 * CDK entry point (cdk.json: `node --require ./common/register.js aws/app.ts`). Only composes: the
 * lab comes from `-c lab=...` (Auto-Pipe unless told), and a configuration mistake prints one
 * message and exits 2, without a stack trace.
 */
import { runEntry } from '../common/config';
import { addAwsLabStacks } from './labs';
import { createCdkApp } from './constructs/cdk-app';

void runEntry(() => {
  const app = createCdkApp();
  addAwsLabStacks(app);
  app.synth();
});
