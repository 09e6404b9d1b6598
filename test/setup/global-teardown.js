/** Deletes the run's scratch root (global-setup.js). */
'use strict';
const { rmSync } = require('node:fs');

module.exports = function globalTeardown() {
  if (process.env.IAC_LAB_TEST_ROOT) rmSync(process.env.IAC_LAB_TEST_ROOT, { recursive: true, force: true });
};
