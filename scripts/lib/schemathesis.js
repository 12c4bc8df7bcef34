// @ts-check
'use strict';
/**
 * The API contract test (test/contract) runs schemathesis, a Python tool from PyPI, at a pinned version. This
 * finds it, or installs it:
 *   1. .tools/schemathesis-<version>/ (git-ignored), a virtual environment of its own, when a previous install
 *      finished there and its `schemathesis --version` is the pinned one;
 *   2. otherwise: `python3 -m venv` there and `pip install schemathesis==<version>` into it (about a minute, ~100 MB).
 * python3 (3.11 or newer, with the venv module) is needed; without it this is an error that says what to install.
 * Node built-ins only.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { repoRoot } = require('./bootstrap');

const VERSION = '4.32.5';
const PYTHON = 'python3';
const MIN_PYTHON = [3, 11];
const VENV = path.join(repoRoot, '.tools', `schemathesis-${VERSION}`);
/** Written last: a venv without it is a partial install (interrupted, or pip failed) and is made again. */
const DONE = path.join(VENV, '.installed');

/**
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {string} the schemathesis executable
 */
function ensureSchemathesis(options = {}) {
  const log = options.log ?? console.log;
  const executable = path.join(VENV, 'bin', 'schemathesis');
  if (fs.existsSync(DONE) && reportsPinnedVersion(executable)) return executable;

  checkPython();
  log(`schemathesis ${VERSION} is missing: installing it from PyPI into ${path.relative(repoRoot, VENV)}...`);
  fs.rmSync(VENV, { recursive: true, force: true });
  run(PYTHON, ['-m', 'venv', VENV], `${PYTHON} -m venv`);
  run(
    path.join(VENV, 'bin', 'python'),
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', `schemathesis==${VERSION}`],
    `pip install schemathesis==${VERSION}`,
  );
  if (!reportsPinnedVersion(executable)) {
    throw new Error(`pip installed schemathesis, but ${executable} --version does not report ${VERSION}.`);
  }
  fs.writeFileSync(DONE, `schemathesis ${VERSION}\n`);
  return executable;
}

/** @param {string} executable */
function reportsPinnedVersion(executable) {
  const result = spawnSync(executable, ['--version'], { encoding: 'utf8' });
  return result.status === 0 && new RegExp(`version ${VERSION.replace(/\./g, '\\.')}\\b`).test(result.stdout);
}

function checkPython() {
  const hint =
    `The API contract test needs Python ${MIN_PYTHON.join('.')} or newer with the venv module as \`${PYTHON}\` ` +
    '(Debian/Ubuntu: `sudo apt-get install -y python3 python3-venv`); it installs schemathesis from PyPI itself.';
  const probe = spawnSync(PYTHON, ['-c', 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])'], {
    encoding: 'utf8',
  });
  if (probe.error) throw new Error(`${PYTHON} could not be started (${probe.error.message}). ${hint}`);
  if (probe.status !== 0) throw new Error(`${PYTHON} has no venv/ensurepip module. ${hint}`);
  const [major, minor] = probe.stdout.trim().split('.').map(Number);
  if ((major ?? 0) < MIN_PYTHON[0] || ((major ?? 0) === MIN_PYTHON[0] && (minor ?? 0) < MIN_PYTHON[1])) {
    throw new Error(`${PYTHON} is ${probe.stdout.trim()}. ${hint}`);
  }
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} label
 */
function run(command, args, label) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.error) throw new Error(`${label} could not be started: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(
      `${label} failed (${result.signal ? `killed by ${result.signal}` : `exit code ${result.status}`}); ` +
        'PyPI must be reachable (or a pip index configured, e.g. PIP_INDEX_URL).',
    );
  }
}

module.exports = { ensureSchemathesis, SCHEMATHESIS_VERSION: VERSION };
