// @ts-check
'use strict';
/**
 * First steps of `npm start` and `npm test`: install dependencies from the
 * committed lock file and compile. Runs before node_modules exists, so it uses
 * Node built-ins only.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * Run `npm ci` when node_modules is missing or older than package-lock.json
 * (npm writes node_modules/.package-lock.json on every install). `npm ci`
 * installs exactly the committed lock file; install scripts are limited by the
 * `allowScripts` field of package.json.
 * @returns {boolean} whether it installed
 */
function ensureNodeModules() {
  const lock = path.join(repoRoot, 'package-lock.json');
  const installed = path.join(repoRoot, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(lock)) throw new Error(`${lock} is missing; it is needed to install the exact dependencies.`);
  if (fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs) return false;

  console.log('Installing dependencies (npm ci)...');
  // Under `npm start`/`npm test`, npm_execpath is the running npm's own CLI.
  const npmCli = process.env.npm_execpath;
  const [command, args] =
    npmCli && /npm-cli\.c?js$/.test(npmCli) ? [process.execPath, [npmCli, 'ci']] : ['npm', ['ci']];
  runInherited(command, args, 'npm ci');
  return true;
}

/** Compile the application code (also its type-check): tsc -p tsconfig.build.json. */
function build() {
  runInherited(binPath('tsc'), ['-p', 'tsconfig.build.json'], 'tsc -p tsconfig.build.json');
}

/**
 * @param {string} name e.g. "tsc"
 * @returns {string} node_modules/.bin/<name>
 */
function binPath(name) {
  return path.join(repoRoot, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
}

/**
 * Run a command in the repository with this terminal's stdio; throws if it fails.
 * @param {string} command
 * @param {string[]} args
 * @param {string} label used in the error message
 */
function runInherited(command, args, label) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error) throw new Error(`${label} could not be started: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${label} failed (${result.signal ? `killed by ${result.signal}` : `exit code ${result.status}`})`);
  }
}

module.exports = { repoRoot, ensureNodeModules, build, binPath };
