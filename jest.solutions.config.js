/**
 * `npm run test:solutions`: every reference solution applied together in a clone of the kit, then
 * the learner-facing commands there (test/solutions/). One file, its steps in order.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  maxWorkers: 1,
  roots: ['<rootDir>/test/solutions'],
  testMatch: ['**/*.solutions.test.ts'],
  testPathIgnorePatterns: [],
};
