// @ts-check
'use strict';
/**
 * Finds (or builds) the Temporal CLI that runs the local Temporal dev server.
 * The version is pinned; Node built-ins only.
 *
 * Resolution order:
 *   1. TEMPORAL_CLI (must point to an executable; a different version only warns)
 *   2. `temporal` on PATH, if it is v1.5.1
 *   3. <repo>/.tools/bin/temporal (git-ignored), if it is v1.5.1
 *   4. build it: GOBIN=<repo>/.tools/bin go install github.com/temporalio/cli/cmd/temporal@v1.5.1
 */
const { execFile, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { formatDuration } = require('./processes');

const TEMPORAL_CLI_VERSION = '1.5.1';
const MODULE = 'github.com/temporalio/cli';
const MIN_GO = { major: 1, minor: 22 };

const repoRoot = path.resolve(__dirname, '..', '..');
const toolsBin = path.join(repoRoot, '.tools', 'bin');
const exeSuffix = process.platform === 'win32' ? '.exe' : '';

/** @typedef {(line: string) => void} LogFn */

/**
 * @param {{ log?: LogFn }} [options]
 * @returns {Promise<string>} absolute path of a Temporal CLI v1.5.1
 */
async function ensureTemporalCli({ log = console.log } = {}) {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    const binary = path.resolve(fromEnv);
    if (!isExecutableFile(binary)) {
      throw new Error(`TEMPORAL_CLI is set to "${fromEnv}", but that is not an executable file.`);
    }
    const version = await cliVersion(binary);
    if (version.matches === false) {
      log(
        `Warning: TEMPORAL_CLI (${binary}) is version ${version.label}; Seamline is tested with ${TEMPORAL_CLI_VERSION}.`,
      );
    }
    return binary;
  }

  const onPath = findOnPath(`temporal${exeSuffix}`);
  if (onPath) {
    const version = await cliVersion(onPath);
    if (version.matches) return onPath;
    log(`Ignoring ${onPath} (version ${version.label}; need ${TEMPORAL_CLI_VERSION}).`);
  }

  const local = path.join(toolsBin, `temporal${exeSuffix}`);
  if (isExecutableFile(local)) {
    const version = await cliVersion(local);
    // Built by us; without Go its version cannot be read back (matches === null), so trust it.
    if (version.matches !== false) return local;
    log(`${local} is version ${version.label}; rebuilding ${TEMPORAL_CLI_VERSION}.`);
  }

  await buildWithGo(log);
  const built = await cliVersion(local);
  if (!isExecutableFile(local) || built.matches === false) {
    throw new Error(`go install finished, but ${local} is missing or reports version ${built.label}.`);
  }
  return local;
}

/**
 * @typedef {object} VersionCheck
 * @property {boolean | null} matches null when it cannot be told (a source build and no Go)
 * @property {string} label human-readable version
 */

/**
 * A release binary prints "temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)".
 * A `go install` build prints "temporal version 0.0.0-DEV (...)"; its module
 * version is then read with `go version -m`.
 * @param {string} binary
 * @returns {Promise<VersionCheck>}
 */
async function cliVersion(binary) {
  const result = await run(binary, ['--version'], 15_000);
  const version = /temporal version (\S+)/.exec(result.stdout)?.[1];
  if (!result.ok || !version) return { matches: false, label: 'unknown (`--version` failed)' };
  if (!version.startsWith('0.0.0')) return { matches: version === TEMPORAL_CLI_VERSION, label: version };

  const go = findOnPath(`go${exeSuffix}`);
  if (!go) return { matches: null, label: `${version} (source build; Go is needed to read its module version)` };
  const info = await run(go, ['version', '-m', binary], 30_000);
  const escaped = MODULE.replace(/[.]/g, '\\.');
  const moduleVersion = new RegExp(`^\\s*mod\\s+${escaped}\\s+(\\S+)`, 'm').exec(info.stdout)?.[1];
  if (!moduleVersion) return { matches: false, label: `${version} (unknown module version)` };
  return { matches: moduleVersion === `v${TEMPORAL_CLI_VERSION}`, label: `${moduleVersion} (source build)` };
}

/** @param {LogFn} log */
async function buildWithGo(log) {
  const go = findOnPath(`go${exeSuffix}`);
  if (!go) {
    throw new Error(
      [
        `The Temporal CLI v${TEMPORAL_CLI_VERSION} is needed (it runs the local Temporal server) and was not found.`,
        'It is built from source with Go, and Go is not installed. Either:',
        `  - install Go ${MIN_GO.major}.${MIN_GO.minor} or newer (from your OS packages if they are recent enough, or from https://go.dev/dl/) and run this again; or`,
        `  - set TEMPORAL_CLI to the path of a Temporal CLI v${TEMPORAL_CLI_VERSION} binary.`,
      ].join('\n'),
    );
  }
  const goVersion = (await run(go, ['env', 'GOVERSION'], 30_000)).stdout.trim();
  const match = /^go(\d+)\.(\d+)/.exec(goVersion);
  if (
    match &&
    (Number(match[1]) < MIN_GO.major || (Number(match[1]) === MIN_GO.major && Number(match[2]) < MIN_GO.minor))
  ) {
    throw new Error(
      `Building the Temporal CLI needs Go ${MIN_GO.major}.${MIN_GO.minor} or newer, but ${go} is ${goVersion}. ` +
        `Install a newer Go (https://go.dev/dl/) or set TEMPORAL_CLI to a Temporal CLI v${TEMPORAL_CLI_VERSION} binary.`,
    );
  }

  const target = `${MODULE}/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
  log(`Building the Temporal CLI v${TEMPORAL_CLI_VERSION} with ${goVersion || 'go'} into ${toolsBin}`);
  log('This happens once and takes about 4 minutes the first time...');
  fs.mkdirSync(toolsBin, { recursive: true });

  const started = Date.now();
  const child = spawn(go, ['install', target], {
    cwd: repoRoot,
    env: { ...process.env, GOBIN: toolsBin },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  /** @type {string[]} */
  const output = [];
  /** @param {Buffer} chunk */
  const onData = (chunk) => {
    const text = chunk.toString('utf8');
    output.push(text);
    for (const line of text.split('\n')) if (line.trim()) log(`[go] ${line}`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const heartbeat = setInterval(() => log(`[go] still building (${formatDuration(Date.now() - started)})...`), 30_000);

  /** @type {{ code: number | null, signal: NodeJS.Signals | null, error?: Error }} */
  const result = await new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  }).finally(() => clearInterval(heartbeat));

  if (result.error) throw new Error(`Could not run ${go}: ${result.error.message}`);
  if (result.code !== 0) {
    const status = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
    throw new Error(
      `Building the Temporal CLI failed: \`go install ${target}\` ${status}:\n${output.join('').trimEnd()}`,
    );
  }
  log(`Built the Temporal CLI in ${formatDuration(Date.now() - started)}.`);
}

/**
 * @param {string} name
 * @returns {string | null}
 */
function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.resolve(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/** @param {string} file */
function isExecutableFile(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {number} timeoutMs
 * @returns {Promise<{ ok: boolean, stdout: string, stderr: string }>}
 */
function run(command, args, timeoutMs) {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

// findOnPath, isExecutableFile and run are shared with temporal-server.js, which builds the server the same way.
module.exports = { ensureTemporalCli, TEMPORAL_CLI_VERSION, findOnPath, isExecutableFile, run };
