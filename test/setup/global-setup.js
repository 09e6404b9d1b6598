/**
 * One scratch root per `npm test` run: the system temp directory and the kit's dist/ both point
 * into it for every worker and every process the tests start, and global-teardown.js deletes it.
 * So no test can write into the learner's dist/ or leave temp files behind, whatever it forgets.
 */
'use strict';
const { chmodSync, mkdirSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = function globalSetup() {
  const root = mkdtempSync(join(tmpdir(), 'iac-lab-test-run-'));
  mkdirSync(join(root, 'tmp'));
  // As the system temp folder is: the integration tests' servers run as their own users (postgres,
  // rabbitmq) and must reach their folders in it. mkdtemp made the root private (0700).
  chmodSync(root, 0o755);
  chmodSync(join(root, 'tmp'), 0o1777);
  process.env.IAC_LAB_TEST_ROOT = root;
  process.env.TMPDIR = join(root, 'tmp');
  process.env.IAC_LAB_DIST_DIR = join(root, 'dist');
};
