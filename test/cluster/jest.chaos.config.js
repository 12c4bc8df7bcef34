// @ts-check
/**
 * `npm run cluster:chaos`: only the cluster chaos run (test/cluster/*.chaos.ts), with the integration project's
 * setup (jest.config.js: SWC, the test stack's PostgreSQL and Temporal CLI). Too long for `npm test`, which runs
 * the two-node smoke version (cluster-smoke.spec.ts).
 */
const path = require('node:path');
const { projects } = require('../../jest.config.js');

const integration = projects.find((/** @type {{ displayName?: string }} */ p) => p.displayName === 'integration');
if (!integration) throw new Error('jest.config.js has no "integration" project');

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...integration,
      rootDir: path.join(__dirname, '..', '..'),
      displayName: 'cluster-chaos',
      testMatch: ['<rootDir>/test/cluster/*.chaos.ts'],
    },
  ],
};
