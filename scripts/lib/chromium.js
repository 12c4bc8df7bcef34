// @ts-check
'use strict';
/**
 * The browser tests drive Debian's Chromium through playwright-core. This finds it, or installs it:
 *   1. CHROMIUM_PATH, if set (must exist);
 *   2. /usr/bin/chromium;
 *   3. running as root: `apt-get update && apt-get install -y chromium`;
 *   4. otherwise: an error that says what to run.
 * Node built-ins only.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const DEFAULT_PATH = '/usr/bin/chromium';

/**
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {string} the Chromium executable
 */
function ensureChromium(options = {}) {
  const log = options.log ?? console.log;
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`CHROMIUM_PATH=${configured} is not an executable file.`);
    return configured;
  }
  if (isExecutable(DEFAULT_PATH)) return DEFAULT_PATH;
  if (process.platform !== 'linux' || typeof process.getuid !== 'function' || process.getuid() !== 0 || !hasAptGet()) {
    throw new Error(
      `Chromium is needed for the browser tests and ${DEFAULT_PATH} is missing. Install it with ` +
        '`sudo apt-get update && sudo apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome executable.',
    );
  }
  log('Chromium is missing: installing it with apt-get (apt-get update && apt-get install -y chromium)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.error) throw new Error(`apt-get ${args.join(' ')} could not be started: ${result.error.message}`);
    if (result.status !== 0)
      throw new Error(`apt-get ${args.join(' ')} failed (exit code ${result.status}); install chromium by hand.`);
  }
  if (!isExecutable(DEFAULT_PATH)) throw new Error(`apt-get installed chromium, but ${DEFAULT_PATH} is still missing.`);
  return DEFAULT_PATH;
}

/** @param {string} file */
function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function hasAptGet() {
  return spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

module.exports = { ensureChromium, CHROMIUM_DEFAULT_PATH: DEFAULT_PATH };
