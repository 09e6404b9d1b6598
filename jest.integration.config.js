/**
 * `npm run test:integration`: the tests that need real servers (RabbitMQ, PostgreSQL, Redis),
 * which test/integration/servers/ starts and stops on free loopback ports. One file at a time:
 * each starts its own servers, and two brokers booting at once on 2 cores only slows both.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  maxWorkers: 1,
  roots: ['<rootDir>/test/integration'],
  testMatch: ['**/*.integration.test.ts'],
  testPathIgnorePatterns: [],
};
