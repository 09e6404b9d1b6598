/** @type {import('jest').Config} */
module.exports = {
  // Node's, with Pulumi's per-promise stacks left unmapped (test/setup/environment.js).
  testEnvironment: '<rootDir>/test/setup/environment.js',
  // Jest defaults to one worker fewer than the cores; on the 2-core machines the kit targets that is one.
  maxWorkers: 2,
  // Pulumi keeps state on globals between modules; Jest 30's cleanup would warn (JEST-01) on every file.
  testEnvironmentOptions: { globalsCleanup: 'off' },
  roots: ['<rootDir>/test'],
  // A scratch root per run for temp files and dist/ (test/setup/global-setup.js), deleted at the end.
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
  testMatch: ['**/*.test.ts'],
  // Server-backed tests run in `npm run test:integration` (jest.integration.config.js), so `npm test` needs no servers;
  // the learner who has done every exercise in `npm run test:solutions` (jest.solutions.config.js), four to five minutes long.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/', '<rootDir>/test/solutions/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
    // beautiful-mermaid (and its `entities` dependency) and GitHub's workflow parser (@actions/*) ship only ES modules; Jest runs CommonJS.
    '^.+/node_modules/(beautiful-mermaid|entities|@actions/[^/]+)/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // The @actions packages export for `import` only: point Jest's require-style resolution at their files.
  moduleNameMapper: {
    '^@actions/(workflow-parser|expressions)$': '<rootDir>/node_modules/@actions/$1/dist/index.js',
    '^@actions/(workflow-parser|expressions)/(.+)$': '<rootDir>/node_modules/@actions/$1/dist/$2.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!(beautiful-mermaid|entities|@actions)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
