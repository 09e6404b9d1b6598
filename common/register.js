/**
 * Runs the kit's TypeScript directly: `node --require ./common/register.js <file>.ts`.
 *
 * It compiles only `.ts` files, with SWC (the compiler Jest already uses here, so code runs the
 * same in tests and commands), and leaves every `.js` file of node_modules to Node itself. A
 * general-purpose runner such as tsx intercepts all of them too: loading @pulumi/pulumi's ~700
 * files took 0.95 s with tsx against 0.55 s without. Type-checking happens once, in `npm test`.
 *
 * Compiled files are kept by content hash in node_modules/.cache/iac-lab-kit/ts, so a command
 * run twice loads no compiler at all.
 */
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  // For `NODE_OPTIONS=--enable-source-maps` when debugging. Not on by default: Node would then
  // also read the source maps of every library file it loads (0.2 s more for a GCP plan).
  sourceMaps: 'inline',
};
const CACHE = join(__dirname, '..', 'node_modules', '.cache', 'iac-lab-kit', 'ts');
const SWC_VERSION = require('@swc/core/package.json').version;

function compile(source, filename) {
  const key = createHash('sha1').update(`${SWC_VERSION}\0${JSON.stringify(OPTIONS)}\0${filename}\0${source}`).digest('hex');
  const cached = join(CACHE, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    const { code } = require('@swc/core').transformSync(source, { ...OPTIONS, filename });
    try {
      // Written aside and renamed: processes running side by side never read half a file.
      const partial = `${cached}.${process.pid}`;
      mkdirSync(CACHE, { recursive: true });
      writeFileSync(partial, code);
      renameSync(partial, cached);
    } catch {
      // A read-only checkout still runs; it just compiles every time.
    }
    return code;
  }
}

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  module._compile(compile(readFileSync(filename, 'utf8'), filename), filename);
};
