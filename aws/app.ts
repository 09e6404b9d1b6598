/**
 * CDK entry point (cdk.json: `node --require ./common/register.js aws/app.ts`). Only composes: a configuration
 * mistake prints one message and exits 2, without a stack trace.
 */
import { runEntry } from '../common/config';
import { createAutoPipeApp } from './auto-pipe/app';

void runEntry(() => createAutoPipeApp().synth());
