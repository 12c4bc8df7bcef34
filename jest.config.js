// @ts-check
/** Jest runs TypeScript through SWC (type-checking is `tsc`'s job in `npm test`).
 * NestJS 12 packages are ES modules; in tests they are transformed to CommonJS. */
/** @type {import('jest').Config} */
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};

const integration = {
  ...base,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-setup.ts'],
};

/** `npm run record:histories` sets SEAMLINE_RECORD_HISTORIES to run only the history recorder. */
const recording = Boolean(process.env.SEAMLINE_RECORD_HISTORIES);

/** @type {import('jest').Config} */
module.exports = {
  projects: recording
    ? [{ ...integration, displayName: 'record', testMatch: ['<rootDir>/test/replay/*.record.ts'] }]
    : [
        { ...base, displayName: 'unit', testMatch: ['<rootDir>/{libs,activities,workflows,apps}/**/*.spec.ts'] },
        { ...integration, displayName: 'integration', testMatch: ['<rootDir>/test/**/*.spec.ts'] },
      ],
};
