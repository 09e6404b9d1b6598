/**
 * The Pulumi program (Pulumi.yaml `main`): reads the stack's config, then declares
 * the lab it selects. The CLI calls the exported function inside the stack.
 */
import * as pulumi from '@pulumi/pulumi';
import { ConfigError } from '../common/config';
import { readLabConfig } from './config';
import { deployLab } from './labs';

export = async () => {
  try {
    return deployLab(readLabConfig(pulumi.runtime.allConfig(), pulumi.getStack()));
  } catch (err) {
    // A RunError is how a Pulumi program reports a user mistake: the CLI prints the message, no stack trace.
    throw err instanceof ConfigError ? new pulumi.RunError(err.message) : err;
  }
};
