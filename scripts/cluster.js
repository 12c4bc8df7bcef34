#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run cluster`: Seamline on a real Temporal cluster, on loopback, the way production is shaped:
 *
 *   PostgreSQL (embedded) → Temporal schemas (temporal-sql-tool) → two Temporal server nodes in one cluster
 *   (frontend, history, matching and worker each; membership through PostgreSQL) behind one frontend address
 *   → migrations, demo data → two workers and two API instances → print the addresses
 *
 * Everything is throwaway (a temporary directory, deleted on exit); Ctrl-C stops the APIs, the workers, the
 * Temporal nodes and PostgreSQL, in that order. The Temporal server has no Web UI of its own (the CLI embeds
 * one only in its dev server): inspect workflows with `.tools/bin/temporal --address <printed address> ...`.
 *
 * Environment: CLUSTER_WORKERS [2], CLUSTER_APIS [2], SEAMLINE_DEBUG=1 (server output on the terminal).
 *
 * The same module exports startClusterStack(), which test/cluster and bench/cluster.ts use.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { repoRoot } = require('./lib/bootstrap');
const { getFreePort } = require('./lib/ports');
const { startPostgres } = require('./lib/postgres');
const {
  startProcess,
  runToCompletion,
  onShutdownSignal,
  removeDirIfOrphaned,
  sleep,
  formatDuration,
} = require('./lib/processes');
const { ensureTemporalCli } = require('./lib/temporal-cli');
const { ensureTemporalServer, startTemporalCluster } = require('./lib/temporal-server');
const { nodeFlagsFor } = require('./lib/app-runtime');

const ENTRY = {
  migrate: 'dist/libs/persistence/src/migrate.js',
  seed: 'dist/libs/persistence/src/seed/seed.js',
  seedUsers: 'dist/libs/persistence/src/identity/seed-users.js',
  smtpSink: 'dist/apps/smtp-sink/src/main.js',
  worker: 'dist/apps/worker/src/main.js',
  api: 'dist/apps/api/src/main.js',
};
/** The worker drains in-flight activities on SIGTERM: up to the longest activity timeout (90 s). */
const STOP_TIMEOUT_MS = { api: 10_000, worker: 100_000 };

/** @typedef {(line: string) => void} LogFn */

/**
 * @typedef {object} ClusterApp one worker or API process; restartable with the same ports
 * @property {string} name e.g. "worker-1", "api-2"
 * @property {'worker' | 'api'} kind
 * @property {string} healthUrl the API's /api/v1/health or the worker's /readyz
 * @property {string | null} baseUrl API only: http://127.0.0.1:<port>/api/v1
 * @property {Record<string, string>} env
 * @property {() => boolean} isRunning
 * @property {() => Promise<void>} start starts it (again) and waits until its health check answers 200
 * @property {() => Promise<void>} stop SIGTERM (a rolling restart), SIGKILL after its drain time
 * @property {() => Promise<void>} kill SIGKILL (a crash)
 * @property {() => string} recentOutput
 */

/**
 * @typedef {object} ClusterStack
 * @property {string} databaseUrl
 * @property {string} temporalAddress the frontend balancer
 * @property {import('./lib/temporal-server').TemporalCluster} temporal
 * @property {ClusterApp[]} workers
 * @property {ClusterApp[]} apis
 * @property {Record<string, string>} appEnv what every app gets
 * @property {string} dir
 * @property {() => Promise<void>} stop
 */

/**
 * PostgreSQL, a Temporal cluster of `nodes` nodes, the migrated database, then `workers` workers and `apis` APIs
 * (built apps, with their health checks awaited). Apps log to files in `logDir` (or nowhere).
 * @param {object} options
 * @param {number} [options.nodes] default 2
 * @param {number} [options.workers] default 2
 * @param {number} [options.apis] default 2
 * @param {Record<string, string>} [options.env] extra settings for every app (SMTP_PORT, SLA_CONFIG...)
 * @param {string} [options.databaseUrl] use this PostgreSQL (the apps' database, migrated here; Temporal's databases
 *   are created beside it under names of this run) instead of starting one; jest's test stack passes its own
 * @param {string} [options.logDir]
 * @param {LogFn} [options.log]
 * @returns {Promise<ClusterStack>}
 */
async function startClusterStack(options = {}) {
  const log = options.log ?? console.log;
  for (const file of [ENTRY.migrate, ENTRY.worker, ENTRY.api]) {
    if (!fs.existsSync(path.join(repoRoot, file))) throw new Error(`${file} is missing: build first (npm run build)`);
  }
  const [cli, binaries] = await Promise.all([ensureTemporalCli({ log }), ensureTemporalServer({ log })]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seamline-cluster-'));
  const keepDir = removeDirIfOrphaned(dir);
  const logDir = options.logDir;
  if (logDir) fs.mkdirSync(logDir, { recursive: true });

  /** @type {Array<() => Promise<void>>} stopped last first */
  const stops = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) {
      try {
        await s();
      } catch (error) {
        log(`stopping: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    keepDir();
  };

  try {
    /** @type {{ url: string }} */
    let postgres;
    if (options.databaseUrl) {
      postgres = { url: options.databaseUrl };
    } else {
      // Two nodes run four services each, every one with its own connection pools: more than PostgreSQL's
      // default 100 connections once the apps are added.
      const started = await startPostgres({
        port: await getFreePort(),
        persistent: false,
        maxConnections: 400,
        log: () => {},
      });
      stops.push(started.stop);
      postgres = started;
    }
    const url = new URL(postgres.url);
    const temporal = await startTemporalCluster({
      // A database server shared with others gets databases of this run's own.
      database: options.databaseUrl ? `temporal_${path.basename(dir).replace(/\W/g, '_').toLowerCase()}` : 'temporal',
      maxConns: options.databaseUrl ? 3 : undefined,
      binaries,
      cli,
      postgres: {
        host: url.hostname,
        port: Number(url.port),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      },
      dir: path.join(dir, 'temporal'),
      nodes: options.nodes ?? 2,
      logDir,
      log,
    });
    stops.push(temporal.stop);
    await runToCompletion({
      name: 'migrations',
      command: process.execPath,
      args: [ENTRY.migrate],
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: postgres.url },
      output: null,
    });

    /** @type {Record<string, string>} */
    const appEnv = {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: postgres.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'tickets',
      LOG_LEVEL: 'warn',
      API_HOST: '127.0.0.1',
      // One signing key for every API instance: a token from one is good at the others, as behind a balancer.
      AUTH_JWT_SECRET: require('node:crypto').randomBytes(32).toString('hex'),
      // On a shared database server, leave connections for the others.
      ...(options.databaseUrl ? { DATABASE_POOL_SIZE: '5' } : {}),
      ...(options.env ?? {}),
    };
    /** @type {ClusterApp[]} */
    const workers = [];
    /** @type {ClusterApp[]} */
    const apis = [];
    for (let i = 1; i <= (options.workers ?? 2); i++) {
      workers.push(createApp('worker', `worker-${i}`, { ...appEnv, WORKER_HEALTH_PORT: String(await getFreePort()) }));
    }
    for (let i = 1; i <= (options.apis ?? 2); i++) {
      apis.push(createApp('api', `api-${i}`, { ...appEnv, API_PORT: String(await getFreePort()) }));
    }
    stops.push(() => Promise.all(workers.map((w) => w.stop())).then(() => {}));
    stops.push(() => Promise.all(apis.map((a) => a.stop())).then(() => {}));
    // Workers one after the other: each bundles the workflow code at start, which takes a core for seconds.
    for (const worker of workers) await worker.start();
    await Promise.all(apis.map((a) => a.start()));
    return { databaseUrl: postgres.url, temporalAddress: temporal.address, temporal, workers, apis, appEnv, dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }

  /**
   * @param {'worker' | 'api'} kind
   * @param {string} name
   * @param {Record<string, string>} env
   * @returns {ClusterApp}
   */
  function createApp(kind, name, env) {
    const baseUrl = kind === 'api' ? `http://127.0.0.1:${env.API_PORT}/api/v1` : null;
    const healthUrl = kind === 'api' ? `${baseUrl}/health` : `http://127.0.0.1:${env.WORKER_HEALTH_PORT}/readyz`;
    /** @type {import('./lib/processes').ManagedProcess | null} */
    let proc = null;
    return {
      name,
      kind,
      healthUrl,
      baseUrl,
      env,
      isRunning: () => Boolean(proc?.isRunning()),
      start: async () => {
        if (proc?.isRunning()) return;
        proc = startProcess({
          name,
          command: process.execPath,
          args: [...nodeFlagsFor(kind, env), ENTRY[kind]],
          cwd: repoRoot,
          env,
          log,
          logFile: logDir ? path.join(logDir, `${name}.log`) : undefined,
          output: process.env.SEAMLINE_DEBUG ? undefined : null,
          quietWhileStopping: true,
        });
        await waitForHealth(healthUrl, proc, 90_000);
      },
      stop: async () => {
        await proc?.stop(STOP_TIMEOUT_MS[kind]);
      },
      kill: async () => {
        if (!proc?.isRunning()) return;
        proc.child.kill('SIGKILL');
        await proc.exited;
      },
      recentOutput: () => proc?.recentOutput() ?? '',
    };
  }
}

/**
 * @param {string} url
 * @param {import('./lib/processes').ManagedProcess} proc
 * @param {number} timeoutMs
 */
async function waitForHealth(url, proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!proc.isRunning()) throw new Error(`${proc.name} exited during start-up:\n${proc.recentOutput()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status} ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(`${proc.name}: ${url} did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}

async function main() {
  const { ensureNodeModules, build } = require('./lib/bootstrap');
  const { buildInbox } = require('./lib/inbox-ui');
  const log = (/** @type {string} */ line) => console.log(line);
  const begin = Date.now();
  ensureNodeModules();
  build();
  buildInbox();
  const count = (/** @type {string} */ name, /** @type {number} */ fallback) => {
    const n = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`${name} must be a whole number from 1 to 8`);
    return n;
  };
  const smtpPort = await getFreePort();
  const mailDir = path.join(repoRoot, '.data', 'cluster-mail');
  /** @type {import('./lib/processes').ManagedProcess | null} */
  let sink = null;
  /** @type {ClusterStack | null} */
  let stack = null;
  let stopping = false;
  const shutdown = async (/** @type {number} */ code) => {
    if (stopping) return;
    stopping = true;
    log('\nStopping the cluster...');
    await stack?.stop();
    await sink?.stop();
    process.exit(code);
  };
  onShutdownSignal(() => void shutdown(0), log);

  sink = startProcess({
    name: 'smtp-sink',
    command: process.execPath,
    args: [ENTRY.smtpSink, String(smtpPort), mailDir],
    cwd: repoRoot,
    log,
  });
  stack = await startClusterStack({
    workers: count('CLUSTER_WORKERS', 2),
    apis: count('CLUSTER_APIS', 2),
    env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort), NODE_ENV: 'development' },
    logDir: path.join(repoRoot, '.data', 'cluster-logs'),
    log,
  });
  const appEnv = { ...stack.appEnv };
  for (const entry of [ENTRY.seed, ENTRY.seedUsers]) {
    await runToCompletion({
      name: path.basename(entry, '.js'),
      command: process.execPath,
      args: [entry],
      cwd: repoRoot,
      env: appEnv,
    });
  }
  const { DEMO_USERS, DEMO_INGEST_KEY } = require(
    path.join(repoRoot, 'dist/libs/persistence/src/identity/demo-users.js'),
  );
  log(
    [
      '',
      `Seamline on a ${stack.temporal.nodes.length}-node Temporal cluster (started in ${formatDuration(Date.now() - begin)}):`,
      ...stack.apis.map(
        (a) => `  ${a.name.padEnd(10)} ${a.baseUrl}   (inbox at ${a.baseUrl?.replace(/\/api\/v1$/, '/')})`,
      ),
      ...stack.workers.map((w) => `  ${w.name.padEnd(10)} health ${w.healthUrl}`),
      `  Temporal   ${stack.temporalAddress} (balancer) → ${stack.temporal.nodes.map((n) => `${n.name} ${n.address}`).join(', ')}`,
      `             no Web UI: the full server has none; try .tools/bin/temporal workflow list --address ${stack.temporalAddress}`,
      `  PostgreSQL ${stack.databaseUrl.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}`,
      `  Mail sink  smtp://127.0.0.1:${smtpPort} (replies saved in ${path.relative(repoRoot, mailDir)}/)`,
      `  Logs       ${path.relative(repoRoot, path.join(repoRoot, '.data', 'cluster-logs'))}/`,
      'Demo logins (development only):',
      ...DEMO_USERS.map(
        (/** @type {{ email: string, password: string, role: string }} */ u) =>
          `  ${u.role.padEnd(10)} ${u.email.padEnd(24)} ${u.password}`,
      ),
      `  ingest key ${DEMO_INGEST_KEY.token}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`npm run cluster failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

module.exports = { startClusterStack };
