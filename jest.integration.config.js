/**
 * `npm run test:integration`: the tests that need real servers (RabbitMQ, PostgreSQL, Redis),
 * which test/integration/servers/ starts and stops on free loopback ports. Two files at a time: each
 * starts its own servers on ports and folders of its own, and much of a file's time is servers
 * booting and waiting on I/O (measured on 2 cores: 93 s for the 8 files one at a time, 49-60 s two at a time).
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  maxWorkers: 2,
  roots: ['<rootDir>/test/integration'],
  testMatch: ['**/*.integration.test.ts'],
  testPathIgnorePatterns: [],
};
