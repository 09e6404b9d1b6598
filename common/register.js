/**
 * Runs the kit's TypeScript directly: `node --require ./common/register.js <file>.ts`.
 *
 * It compiles only `.ts` files, with SWC (the compiler Jest already uses here, so code runs the
 * same in tests and commands), and leaves every `.js` file of node_modules to Node itself. A
 * general-purpose runner such as tsx intercepts all of them too: loading @pulumi/pulumi's ~700
 * files took 0.95 s with tsx against 0.55 s without. Type-checking happens once, in `npm test`.
 *
 * Compiled files are kept in node_modules/.cache/iac-lab-kit/ts (IAC_LAB_TS_CACHE overrides it),
 * so a command run twice loads no compiler at all. The key is the file's name and source, not its
 * folder: two clones, a moved checkout and the kit's own scratch copies share entries. Entries
 * unused for two weeks, and the oldest beyond 256 MB, are removed at most once a day.
 * Delete the folder to clear it.
 */
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } = require('node:fs');
const { basename, join } = require('node:path');

const OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  // For `NODE_OPTIONS=--enable-source-maps` when debugging. Not on by default: Node would then
  // also read the source maps of every library file it loads (0.2 s more for a GCP plan).
  sourceMaps: 'inline',
};
const CACHE = process.env.IAC_LAB_TS_CACHE || join(__dirname, '..', 'node_modules', '.cache', 'iac-lab-kit', 'ts');
const SWC_VERSION = require('@swc/core/package.json').version;
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_AGE_MS = 14 * DAY_MS;
const MAX_BYTES = 256 * 1024 * 1024;
const PRUNED_MARKER = '.pruned';

let pruneChecked = false;

/** Removes stale entries, and the oldest while the cache is over its size, once a day at most. */
function pruneOnceADay(now = Date.now()) {
  if (pruneChecked) return;
  pruneChecked = true;
  const marker = join(CACHE, PRUNED_MARKER);
  try {
    if (now - statSync(marker).mtimeMs < DAY_MS) return;
  } catch {
    // No marker yet: prune now.
  }
  const entries = readdirSync(CACHE)
    .filter((name) => name.endsWith('.js'))
    .map((name) => {
      const path = join(CACHE, name);
      const { mtimeMs, size } = statSync(path);
      return { path, mtimeMs, size };
    })
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  let kept = 0;
  for (const entry of entries) {
    if (now - entry.mtimeMs > MAX_AGE_MS || kept + entry.size > MAX_BYTES) unlinkSync(entry.path);
    else kept += entry.size;
  }
  writeFileSync(marker, '');
  utimesSync(marker, now / 1000, now / 1000);
}

function compile(source, filename) {
  // SWC sees only the file's name: the inline source map then names the file next to the output,
  // which Node resolves to the right path wherever the checkout lives.
  const name = basename(filename);
  const key = createHash('sha1').update(`${SWC_VERSION}\0${JSON.stringify(OPTIONS)}\0${name}\0${source}`).digest('hex');
  const cached = join(CACHE, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    const { code } = require('@swc/core').transformSync(source, { ...OPTIONS, filename: name });
    try {
      // Written aside and renamed: processes running side by side never read half a file.
      const partial = `${cached}.${process.pid}`;
      mkdirSync(CACHE, { recursive: true });
      writeFileSync(partial, code);
      renameSync(partial, cached);
      pruneOnceADay();
    } catch {
      // A read-only checkout still runs; it just compiles every time.
    }
    return code;
  }
}

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  module._compile(compile(readFileSync(filename, 'utf8'), filename), filename);
};

module.exports = { pruneOnceADay, CACHE };
