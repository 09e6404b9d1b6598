/**
 * One scratch root per `npm test` run: the system temp directory and the kit's dist/ both point
 * into it for every worker and every process the tests start, and global-teardown.js deletes it.
 * So no test can write into the learner's dist/ or leave temp files behind, whatever it forgets.
 */
'use strict';
const { mkdirSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = function globalSetup() {
  const root = mkdtempSync(join(tmpdir(), 'iac-lab-test-run-'));
  mkdirSync(join(root, 'tmp'));
  process.env.IAC_LAB_TEST_ROOT = root;
  process.env.TMPDIR = join(root, 'tmp');
  process.env.IAC_LAB_DIST_DIR = join(root, 'dist');
};
