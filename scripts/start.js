#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm start`: runs Seamline on this machine.
 *
 *   install (npm ci, if needed) → build → Temporal CLI → check ports →
 *   PostgreSQL + Temporal dev server (in parallel) → migrations →
 *   worker + API → wait for /api/v1/health → print the URLs
 *
 * Data is kept in .data/ (git-ignored). Ctrl-C stops the API, then the worker,
 * then Temporal and PostgreSQL, and exits 0; a second Ctrl-C forces. If any
 * process exits on its own, everything is stopped and the exit code is 1.
 *
 * Environment (defaults in brackets):
 *   API_PORT [3000]  TEMPORAL_PORT [7233]  TEMPORAL_UI_PORT [8233]
 *   TEMPORAL_METRICS_PORT [9233]  POSTGRES_PORT [5433]  SMTP_SINK_PORT [2525]
 *   DATABASE_URL: use this PostgreSQL instead of starting one
 *   TEMPORAL_NAMESPACE [default]
 *   TEMPORAL_CLI: path of a Temporal CLI v1.5.1 (otherwise found or built)
 *   API_METRICS_PORT [9464]  WORKER_HEALTH_PORT [8081]: Prometheus /metrics of the API and of the worker
 *   PAYLOAD_KEYS: payload encryption keys (otherwise a development key kept in .data/payload-keys)
 *   LOG_FORMAT [pretty]: json for one JSON object a line
 *   SEAMLINE_DEBUG=1: also show PostgreSQL's output
 *   WORKER_HEAP_MIB [384]: the worker's V8 heap bound (scripts/lib/app-runtime.js)
 * Everything in the environment is passed on to the worker and the API.
 */
const fs = require('node:fs');
const path = require('node:path');
const { repoRoot, ensureNodeModules, build } = require('./lib/bootstrap');
const { assertPortFree, portFromEnv } = require('./lib/ports');
const { startPostgres } = require('./lib/postgres');
const {
  startProcess,
  runToCompletion,
  onShutdownSignal,
  describeExit,
  sleep,
  formatDuration,
} = require('./lib/processes');
const { ensureTemporalCli } = require('./lib/temporal-cli');
const { startTemporalDevServer } = require('./lib/temporal-dev-server');
const { buildInbox } = require('./lib/inbox-ui');
const { nodeFlagsFor } = require('./lib/app-runtime');

/** Build output started by this script (compiled from apps/ and libs/). */
const ENTRY_POINTS = {
  migrate: 'dist/libs/persistence/src/migrate.js',
  seed: 'dist/libs/persistence/src/seed/seed.js',
  seedUsers: 'dist/libs/persistence/src/identity/seed-users.js',
  smtpSink: 'dist/apps/smtp-sink/src/main.js',
  worker: 'dist/apps/worker/src/main.js',
  api: 'dist/apps/api/src/main.js',
};
const HEALTH_TIMEOUT_MS = 60_000;
/** How long each app may take to shut down after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = { api: 10_000, worker: 30_000 };

/** @param {string} line */
const log = (line) => console.log(line);

/**
 * Running parts, grouped in stages: stopped from the last stage to the first,
 * the parts of one stage in parallel.
 * @type {Array<Array<{ name: string, stop: () => Promise<void> }>>}
 */
const stages = [[], [], [], []];
const STAGE = { infrastructure: 0, services: 1, worker: 2, api: 3 };

let shuttingDown = false;
/** @type {Promise<void>} */
let startup = Promise.resolve();

/**
 * Remember a running part, and shut everything down if it exits by itself.
 * @param {number} stage
 * @param {string} name
 * @param {() => Promise<void>} stop
 * @param {Promise<unknown> | null} exited
 * @param {() => string} [describe] how it exited
 */
function register(stage, name, stop, exited, describe) {
  stages[stage].push({ name, stop });
  exited?.then(() => {
    if (!shuttingDown)
      void shutdown(1, `\n${name} exited unexpectedly${describe ? `: ${describe()}` : ''}\nStopping everything.`);
  });
}

/**
 * Stop everything that runs, in order, and exit.
 * @param {number} exitCode
 * @param {string} reason printed first
 */
async function shutdown(exitCode, reason) {
  if (shuttingDown) return;
  shuttingDown = true;
  log(reason);
  // Let parts that are still starting come up (bounded by their own timeouts), so they are stopped too.
  await startup.catch(() => {});
  const running = stages.flat().length;
  for (const stage of [...stages].reverse()) {
    await Promise.all(
      stage.map(async ({ name, stop }) => {
        try {
          await stop();
        } catch (error) {
          log(`Could not stop ${name}: ${error instanceof Error ? error.message : String(error)}`);
          exitCode = 1;
        }
      }),
    );
  }
  if (running > 0) log('Stopped.');
  process.exit(exitCode);
}

class Cancelled extends Error {}
function checkNotCancelled() {
  if (shuttingDown) throw new Cancelled('shutting down');
}

async function startAll() {
  const begin = Date.now();
  ensureNodeModules();
  build();
  buildInbox();
  for (const file of Object.values(ENTRY_POINTS)) {
    if (!fs.existsSync(path.join(repoRoot, file))) {
      throw new Error(
        `${file} is missing after the build (its source file should be ${file.replace(/^dist\//, '').replace(/\.js$/, '.ts')}).`,
      );
    }
  }
  const cli = await ensureTemporalCli({ log });
  checkNotCancelled();

  const ports = {
    api: portFromEnv('API_PORT', 3000),
    temporal: portFromEnv('TEMPORAL_PORT', 7233),
    temporalUi: portFromEnv('TEMPORAL_UI_PORT', 8233),
    temporalMetrics: portFromEnv('TEMPORAL_METRICS_PORT', 9233),
    postgres: portFromEnv('POSTGRES_PORT', 5433),
    smtpSink: portFromEnv('SMTP_SINK_PORT', 2525),
    apiMetrics: portFromEnv('API_METRICS_PORT', 9464),
    workerHealth: portFromEnv('WORKER_HEALTH_PORT', 8081),
  };
  await assertPortFree(ports.api, 'API_PORT');
  await assertPortFree(ports.temporal, 'TEMPORAL_PORT');
  await assertPortFree(ports.temporalUi, 'TEMPORAL_UI_PORT');
  await assertPortFree(ports.temporalMetrics, 'TEMPORAL_METRICS_PORT');
  if (!process.env.DATABASE_URL) await assertPortFree(ports.postgres, 'POSTGRES_PORT');
  await assertPortFree(ports.smtpSink, 'SMTP_SINK_PORT');
  await assertPortFree(ports.apiMetrics, 'API_METRICS_PORT');
  await assertPortFree(ports.workerHealth, 'WORKER_HEALTH_PORT');

  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  const [postgresResult, temporalResult] = await Promise.allSettled([
    startPostgres({ dataDir: path.join(repoRoot, '.data', 'postgres'), port: ports.postgres, persistent: true, log }),
    startTemporalDevServer({
      cli,
      dbFile: path.join(repoRoot, '.data', 'temporal', 'temporal.db'),
      port: ports.temporal,
      uiPort: ports.temporalUi,
      metricsPort: ports.temporalMetrics,
      namespace,
      // Temporal UI decodes payloads through the API's codec endpoint (supervisors and admins only).
      uiCodecEndpoint: `http://127.0.0.1:${ports.api}/api/v1/codec`,
      log,
    }),
  ]);
  if (postgresResult.status === 'fulfilled') {
    const db = postgresResult.value;
    register(STAGE.infrastructure, 'PostgreSQL', db.stop, db.exited, () => `its last output:\n${db.recentOutput()}`);
  }
  if (temporalResult.status === 'fulfilled') {
    const server = temporalResult.value;
    register(STAGE.infrastructure, 'Temporal dev server', server.stop, server.process.exited, () =>
      exitOf(server.process),
    );
  }
  if (postgresResult.status === 'rejected') throw postgresResult.reason;
  if (temporalResult.status === 'rejected') throw temporalResult.reason;
  const db = postgresResult.value;
  const temporal = temporalResult.value;
  checkNotCancelled();

  /** Environment of the migrations, the worker and the API. */
  const appEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: namespace,
    API_PORT: String(ports.api),
    // Tokens survive restarts: a secret made once for this checkout (git-ignored), unless one is given.
    AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET || devJwtSecret(),
    // Payloads reach Temporal encrypted; the key is kept in .data/ so a restart still decrypts the old histories.
    PAYLOAD_KEYS: process.env.PAYLOAD_KEYS || devPayloadKeys(),
    API_METRICS_PORT: String(ports.apiMetrics),
    WORKER_HEALTH_PORT: String(ports.workerHealth),
    LOG_FORMAT: process.env.LOG_FORMAT || 'pretty',
  };

  await runToCompletion({
    name: 'migrate',
    command: process.execPath,
    args: [ENTRY_POINTS.migrate],
    cwd: repoRoot,
    env: appEnv,
  });
  checkNotCancelled();

  await runToCompletion({
    name: 'seed',
    command: process.execPath,
    args: [ENTRY_POINTS.seed],
    cwd: repoRoot,
    env: appEnv,
  });
  await runToCompletion({
    name: 'seed-users',
    command: process.execPath,
    args: [ENTRY_POINTS.seedUsers],
    cwd: repoRoot,
    env: appEnv,
  });
  checkNotCancelled();

  // Replies go to a local SMTP sink that keeps every message as an .eml file in .data/mail.
  const mailDir = path.join(repoRoot, '.data', 'mail');
  const smtp = startApp('smtp-sink', ENTRY_POINTS.smtpSink, appEnv, [String(ports.smtpSink), mailDir]);
  register(
    STAGE.services,
    'SMTP sink',
    () => smtp.stop(10_000).then(() => {}),
    smtp.exited,
    () => exitOf(smtp),
  );
  Object.assign(appEnv, { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(ports.smtpSink) });

  const worker = startApp('worker', ENTRY_POINTS.worker, appEnv);
  register(
    STAGE.worker,
    'worker',
    () => worker.stop(STOP_TIMEOUT_MS.worker).then(() => {}),
    worker.exited,
    () => exitOf(worker),
  );
  const api = startApp('api', ENTRY_POINTS.api, appEnv);
  register(
    STAGE.api,
    'API',
    () => api.stop(STOP_TIMEOUT_MS.api).then(() => {}),
    api.exited,
    () => exitOf(api),
  );

  await waitForHealth(`http://127.0.0.1:${ports.api}/api/v1/health`, [api, worker]);

  const lines = [
    '',
    `Seamline is running (started in ${formatDuration(Date.now() - begin)}):`,
    `  Inbox (web)   http://127.0.0.1:${ports.api}/`,
    `  API           http://127.0.0.1:${ports.api}/api/v1`,
    `  OpenAPI docs  http://127.0.0.1:${ports.api}/docs`,
    `  Temporal UI   ${temporal.uiUrl}`,
    `  Temporal      ${temporal.address} (namespace ${namespace})`,
    `  PostgreSQL    ${db.url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}`,
    `  Mail sink     smtp://127.0.0.1:${ports.smtpSink} (replies saved in ${path.relative(repoRoot, mailDir)}/)`,
    `  Metrics       http://127.0.0.1:${ports.apiMetrics}/metrics (API), http://127.0.0.1:${ports.workerHealth}/metrics (worker)`,
    `  Codec         http://127.0.0.1:${ports.api}/api/v1/codec (Temporal UI's codec endpoint: sign in to the inbox as a supervisor, and tick "Include cross-origin credentials" in the UI's codec settings)`,
    ...demoCredentials(),
    'Press Ctrl-C to stop.',
    '',
  ];
  log(lines.join('\n'));
}

/** The demo logins seeded by seed-users (development only), for the banner. */
function demoCredentials() {
  const { DEMO_USERS, DEMO_INGEST_KEY } = require(
    path.join(repoRoot, 'dist/libs/persistence/src/identity/demo-users.js'),
  );
  return [
    'Demo logins (development only; reset at every start):',
    ...DEMO_USERS.map(
      (/** @type {{ email: string, password: string, role: string, queues: string[] }} */ u) =>
        `  ${u.role.padEnd(10)} ${u.email.padEnd(24)} ${u.password.padEnd(22)} ${u.role === 'agent' ? `queues: ${u.queues.join(', ')}` : 'all queues'}`,
    ),
    `  ingest key ${DEMO_INGEST_KEY.token}  (X-Api-Key; can only POST /api/v1/tickets)`,
  ];
}

/** A JWT secret kept in .data/jwt-secret (created once, mode 600), so `npm start` logins survive restarts. */
function devJwtSecret() {
  const file = path.join(repoRoot, '.data', 'jwt-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, require('node:crypto').randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/**
 * A payload encryption key kept in .data/payload-keys (created once, mode 600) as `dev-<date>:<base64>`, so
 * histories written before a restart still decrypt. To rotate, append a new `id:key` to the file (the last encrypts).
 */
function devPayloadKeys() {
  const file = path.join(repoRoot, '.data', 'payload-keys');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const id = `dev-${new Date().toISOString().slice(0, 10)}`;
    fs.writeFileSync(file, `${id}:${require('node:crypto').randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  return fs
    .readFileSync(file, 'utf8')
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join(',');
}

/**
 * @param {string} name
 * @param {string} entryPoint relative to the repository
 * @param {NodeJS.ProcessEnv} env
 * @param {string[]} [args] command-line arguments for the entry point
 */
function startApp(name, entryPoint, env, args = []) {
  return startProcess({
    name,
    command: process.execPath,
    args: [...nodeFlagsFor(name, env), entryPoint, ...args],
    cwd: repoRoot,
    env,
    log,
  });
}

/**
 * @param {import('./lib/processes').ManagedProcess} proc
 * @returns {string} e.g. "exit code 1"
 */
function exitOf(proc) {
  const { exitCode, signalCode } = proc.child;
  return signalCode ? `killed by ${signalCode}` : `exit code ${exitCode}`;
}

/**
 * Poll the health endpoint until it answers 200.
 * @param {string} url
 * @param {import('./lib/processes').ManagedProcess[]} apps fail fast if one of them exits
 */
async function waitForHealth(url, apps) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let lastProblem = 'no answer';
  while (Date.now() < deadline) {
    checkNotCancelled();
    for (const app of apps) {
      if (!app.isRunning()) throw new Error(`${app.name} exited during startup (${describeExit(await app.exited)}).`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await sleep(500);
  }
  throw new Error(`${url} did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${lastProblem}).`);
}

function main() {
  onShutdownSignal(() => void shutdown(0, '\nStopping Seamline (press Ctrl-C again to force)...'), log);
  startup = startAll();
  startup.catch(async (error) => {
    // A terminal Ctrl-C also kills the step in progress (tsc, go, postgres...), which
    // then fails; give our own SIGINT a moment to arrive so that counts as stopping.
    await sleep(200);
    if (shuttingDown) return;
    const message = error instanceof Error ? error.message : String(error);
    void shutdown(1, `\nnpm start failed: ${message}\n`);
  });
}

main();
