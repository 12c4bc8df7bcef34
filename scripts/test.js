#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm test`: everything CI checks, in order, stopping at the first failure.
 *
 *   install (npm ci, if needed) → Temporal CLI → Temporal server and SQL tool (the cluster and TLS tests)
 *   → build (tsc -p tsconfig.build.json)
 *   → type-check with tests (tsc -p tsconfig.json --noEmit) → eslint . → dependency rules → prettier --check .
 *   → evaluation gate of the offline triage (dist/bench/eval.js, reads ../shared/datasets)
 *   → Chromium (browser tests) → schemathesis (API contract test) → jest --ci
 *
 * Arguments go to jest: `npm test -- test/e2e` still runs every step, and
 * jest runs only test/e2e. The Temporal CLI's path is passed to jest as
 * TEMPORAL_CLI (jest's global setup starts a Temporal dev server with it),
 * Chromium's as CHROMIUM_PATH and schemathesis' as SCHEMATHESIS.
 *
 * The last line is jest's count in the plain form that CI systems read, alone on a line:
 * `tests: 1002 passed, 0 failed` (`, 3 skipped` when jest skipped any).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { repoRoot, ensureNodeModules, build, binPath } = require('./lib/bootstrap');
const { formatDuration } = require('./lib/processes');
const { ensureTemporalCli } = require('./lib/temporal-cli');
const { ensureTemporalServer } = require('./lib/temporal-server');
const { buildInbox } = require('./lib/inbox-ui');
const { ensureChromium } = require('./lib/chromium');
const { ensureSchemathesis } = require('./lib/schemathesis');

/** @param {string} line */
const log = (line) => console.log(line);

/** @type {import('node:child_process').ChildProcess | null} */
let current = null;
// A terminal Ctrl-C reaches the running step directly; a signal sent to this
// process alone is passed on. Either way, the step's failure ends the run.
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => {
    if (current) current.kill(signal);
    else process.exit(128 + (os.constants.signals[signal] ?? 0));
  });
}

/**
 * Run a tool from node_modules/.bin with this terminal's stdio.
 * @param {string} name
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Promise<void>}
 */
function runBin(name, args, env = process.env) {
  return run(binPath(name), args, name, env);
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} name used in the error message
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Promise<void>}
 */
function run(command, args, name, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
    current = child;
    child.once('error', (error) => reject(new Error(`${name} could not be started: ${error.message}`)));
    child.once('close', (code, signal) => {
      current = null;
      if (code === 0) resolve();
      else
        reject(new Error(`${name} ${args.join(' ')} failed (${signal ? `killed by ${signal}` : `exit code ${code}`})`));
    });
  });
}

async function main() {
  const jestArgs = process.argv.slice(2);
  /** @type {Array<{ name: string, ms: number }>} */
  const done = [];
  // jest's results, as JSON, for the closing line
  const jestResults = path.join(os.tmpdir(), `seamline-jest-${process.pid}.json`);
  /** @type {string | null} */
  let closingLine = null;

  /**
   * @param {string} name
   * @param {() => unknown} action
   */
  const step = async (name, action) => {
    log(`\n▶ ${name}`);
    const started = Date.now();
    try {
      await action();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`\n✖ ${name} failed after ${formatDuration(Date.now() - started)}: ${message}`);
      summary(done);
      if (closingLine) log(closingLine);
      process.exit(1);
    }
    const ms = Date.now() - started;
    done.push({ name, ms });
    log(`✔ ${name} (${formatDuration(ms)})`);
  };

  const total = Date.now();
  await step('Install dependencies (npm ci, if package-lock.json changed)', () => ensureNodeModules());
  /** @type {string} */
  let temporalCli = '';
  await step('Temporal CLI', async () => {
    temporalCli = await ensureTemporalCli({ log });
    log(temporalCli);
  });
  // Built here, once, rather than inside a test's time limit (the first build takes minutes).
  /** @type {{ server: string, sqlTool: string }} */
  let temporalServer = { server: '', sqlTool: '' };
  await step('Temporal server and SQL tool', async () => {
    temporalServer = await ensureTemporalServer({ log });
    log(`${temporalServer.server}\n${temporalServer.sqlTool}`);
  });
  await step('Build (tsc -p tsconfig.build.json, web inbox)', () => {
    build();
    buildInbox();
  });
  await step('Type-check with tests (tsc -p tsconfig.json --noEmit)', () =>
    runBin('tsc', ['-p', 'tsconfig.json', '--noEmit']),
  );
  await step('Lint (eslint .)', () => runBin('eslint', ['.']));
  await step('Dependency rules (depcruise, .dependency-cruiser.cjs)', () =>
    runBin('depcruise', [
      'apps',
      'libs',
      'workflows',
      'activities',
      'test',
      'bench',
      '--config',
      '.dependency-cruiser.cjs',
    ]),
  );
  await step('Format (prettier --check .)', () => runBin('prettier', ['--check', '--log-level', 'warn', '.']));
  // the gate of the offline classifier and router; a missing ../shared/datasets fails it with instructions
  await step('Triage evaluation gate (node dist/bench/eval.js, out-of-fold on ../shared/datasets)', () =>
    run(process.execPath, [path.join('dist', 'bench', 'eval.js')], 'dist/bench/eval.js'),
  );
  let chromium = '';
  await step('Chromium for the browser tests', () => log((chromium = ensureChromium({ log }))));
  let schemathesis = '';
  await step('schemathesis for the API contract test', () => log((schemathesis = ensureSchemathesis({ log }))));
  await step(`Tests (jest --ci${jestArgs.length ? ` ${jestArgs.join(' ')}` : ''})`, async () => {
    try {
      await runBin('jest', ['--ci', '--json', `--outputFile=${jestResults}`, ...jestArgs], {
        ...process.env,
        TEMPORAL_CLI: temporalCli,
        TEMPORAL_SERVER: temporalServer.server,
        TEMPORAL_SQL_TOOL: temporalServer.sqlTool,
        CHROMIUM_PATH: chromium,
        SCHEMATHESIS: schemathesis,
      });
    } finally {
      closingLine = countLine(jestResults);
    }
  });
  summary(done);
  log(`\nAll checks passed in ${formatDuration(Date.now() - total)}.`);
  if (closingLine) log(closingLine);
}

/**
 * jest's counts from its --json output file, as `tests: N passed, N failed[, N skipped]`; null when jest wrote
 * none (it did not start, or crashed before reporting).
 * @param {string} file
 * @returns {string | null}
 */
function countLine(file) {
  /** @type {Record<'numPassedTests' | 'numFailedTests' | 'numRuntimeErrorTestSuites' | 'numPendingTests' | 'numTodoTests', number | undefined>} */
  let results;
  try {
    results = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  } finally {
    fs.rmSync(file, { force: true });
  }
  const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
  // a test file that could not run counts as one failure: its tests never reported
  const failed = (results.numFailedTests ?? 0) + (results.numRuntimeErrorTestSuites ?? 0);
  const line = `tests: ${results.numPassedTests ?? 0} passed, ${failed} failed`;
  return skipped > 0 ? `${line}, ${skipped} skipped` : line;
}

/** @param {Array<{ name: string, ms: number }>} done */
function summary(done) {
  if (done.length === 0) return;
  log('\nCompleted steps:');
  for (const { name, ms } of done) log(`  ${formatDuration(ms).padStart(10)}  ${name}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
