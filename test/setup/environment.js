/**
 * Jest's Node environment with one change. Pulumi's SDK records a stack for every promise it makes
 * (@pulumi/pulumi runtime/debuggable.js, debuggablePromise: `new Error().stack`, read only by its
 * leak report at exit), and Jest maps every frame of every stack through source maps: that mapping
 * took about a third of each GCP program's run. Those stacks keep V8's own format; every other stack
 * (a failing test's, a thrown error's) is formatted by Jest, source-mapped, as before.
 */
'use strict';
const { TestEnvironment } = require('jest-environment-node');

/** Error.stackTraceLimit's default outside Jest (which raises it to 100): what a user's `pulumi` run records. */
const V8_DEFAULT_FRAMES = 10;

function isPulumiPromiseStack(callSites) {
  const top = callSites[0];
  return top !== undefined && top.getFunctionName() === 'debuggablePromise' && /[\\/]@pulumi[\\/]pulumi[\\/]/.test(top.getFileName() ?? '');
}

// Jest installs its formatter on this realm's Error after the environment is made, and again for each
// test file when it finds another one there: keep whatever it sets, and put the filter in front of it.
let jestFormatter;
const formatter = (error, callSites) =>
  isPulumiPromiseStack(callSites) || jestFormatter === undefined
    ? `${error.name}: ${error.message}${callSites.slice(0, V8_DEFAULT_FRAMES).map((site) => `\n    at ${site}`).join('')}`
    : jestFormatter(error, callSites);
Object.defineProperty(Error, 'prepareStackTrace', {
  configurable: true,
  get: () => formatter,
  set: (next) => {
    if (next !== formatter) jestFormatter = next;
  },
});

module.exports = TestEnvironment;
