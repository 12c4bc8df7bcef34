// @ts-check
'use strict';
/**
 * Builds the web inbox (apps/inbox: Preact + TypeScript) into dist/inbox, which the API serves at `/`:
 * type-check with its own tsconfig (DOM + JSX), then `vite build`. Part of the build step of `npm start`
 * and `npm test`; nothing is fetched from a CDN at run time.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { repoRoot, binPath } = require('./bootstrap');

function buildInbox() {
  run(binPath('tsc'), ['-p', path.join('apps', 'inbox', 'tsconfig.json')], 'tsc -p apps/inbox/tsconfig.json');
  run(binPath('vite'), ['build', '--config', path.join('apps', 'inbox', 'vite.config.mjs')], 'vite build (apps/inbox)');
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} label
 */
function run(command, args, label) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.error) throw new Error(`${label} could not be started: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${label} failed (${result.signal ? `killed by ${result.signal}` : `exit code ${result.status}`})`);
}

module.exports = { buildInbox };
