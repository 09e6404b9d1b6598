/**
 * The Auto-Pipe app's own work, timed inside one process: load aws-cdk-lib and the app,
 * build the stacks, synthesize (cdk-nag and the CloudFormation schemas included).
 * Prints {"ms": N}. Half of the synth floor in bench/run.ts; the CLI's replay is the other half.
 */
const start = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- timed on purpose, after the clock starts
const { createAutoPipeApp } = require('../aws/auto-pipe/app') as typeof import('../aws/auto-pipe/app');
createAutoPipeApp({ outdir: process.argv[2] }).synth();
process.stdout.write(`${JSON.stringify({ ms: performance.now() - start })}\n`);
