#!/usr/bin/env node
/**
 * `npm test`: the type check, the linter and Jest, in one command. tsc and ESLint run beside Jest
 * instead of before it, at the lowest priority: Jest's two workers leave a core idle while they start
 * and while a test waits on a child process, and the type check fits there (about 1.5 s less on 2 cores). Their
 * output is printed whole when Jest is done; any of the three failing fails the run. Arguments go to
 * Jest (`npm test -- test/k8s`).
 */
'use strict';
const { spawn } = require('node:child_process');
const { setPriority } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const bin = (pkg, file) => join(ROOT, 'node_modules', pkg, file);

function run(label, args, options) {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: options.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
  // The checks take only what Jest leaves idle: at full priority they slowed the test files beside them.
  if (options.background) {
    try {
      setPriority(child.pid, 19);
    } catch {
      // Not permitted on this system: the checks then share the cores evenly.
    }
  }
  let output = '';
  if (!options.inherit) {
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
  }
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ label, code: 1, output: `${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ label, code: code ?? 1, signal, output }));
  });
}

async function main() {
  const checks = [
    run('Type check (tsc --noEmit)', [bin('typescript', 'bin/tsc'), '--noEmit'], { background: true }),
    run('Lint (eslint)', [bin('eslint', 'bin/eslint.js'), '--cache', '--cache-location', 'node_modules/.cache/eslint/', '.'], { background: true }),
  ];
  const jest = await run('Jest', [bin('jest', 'bin/jest.js'), ...process.argv.slice(2)], { inherit: true });
  const results = [...(await Promise.all(checks)), jest];
  for (const { label, code, output } of results.slice(0, 2)) {
    process.stdout.write(`\n${label}: ${code === 0 ? 'passed' : 'FAILED'}\n${code === 0 ? '' : output}`);
  }
  const failed = results.filter((r) => r.code !== 0);
  if (failed.length > 0) {
    process.stderr.write(`\nnpm test failed: ${failed.map((r) => r.label).join(', ')}\n`);
    process.exitCode = 1;
  }
}

void main();
