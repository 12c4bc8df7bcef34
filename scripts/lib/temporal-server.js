// @ts-check
'use strict';
/**
 * A self-hosted Temporal cluster on this machine, the way production runs one: the Temporal server and its SQL
 * schema tool (pinned, built from the Go module proxy like the CLI in temporal-cli.js), the PostgreSQL schemas
 * set up by that tool, nodes configured from deploy/temporal/cluster-node.yaml.tmpl (each running frontend,
 * history, matching and worker; membership on loopback ports), and a TCP balancer in front of the frontends —
 * what a Kubernetes Service is to the frontend pods, so clients keep one address while nodes come and go.
 * Used by `npm run cluster`, test/cluster and bench/cluster.ts. Node built-ins, plus `pg` from node_modules.
 *
 * Binaries, in order:
 *   1. TEMPORAL_SERVER / TEMPORAL_SQL_TOOL (paths; another version only warns)
 *   2. <repo>/.tools/bin/temporal-server and temporal-sql-tool (git-ignored), if they are v1.29.1
 *   3. build both: go install go.temporal.io/server/cmd/server@v1.29.1 go.temporal.io/server/cmd/tools/sql@v1.29.1
 *      (Go names them `server` and `sql`; they are renamed as Temporal's images name them)
 *
 * The Temporal server has no Web UI of its own (the CLI embeds one only in its dev server; production runs the
 * separate temporalio/ui image, see deploy/compose): this cluster is headless.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { isPortFree, canConnect } = require('./ports');
const { startProcess, describeExit, sleep, formatDuration, withTimeout } = require('./processes');
const { findOnPath, isExecutableFile, run } = require('./temporal-cli');
const { readSearchAttributes, ensureSearchAttributes, runCli, cliEnv } = require('./temporal-dev-server');

const TEMPORAL_SERVER_VERSION = '1.29.1';
const MODULE = 'go.temporal.io/server';
const MIN_GO = { major: 1, minor: 25 }; // the server's go.mod: go 1.25.0
const repoRoot = path.resolve(__dirname, '..', '..');
const toolsBin = path.join(repoRoot, '.tools', 'bin');
const NODE_CONFIG_TEMPLATE = path.join(repoRoot, 'deploy', 'temporal', 'cluster-node.yaml.tmpl');
const DYNAMIC_CONFIG = path.join(repoRoot, 'deploy', 'temporal', 'dynamicconfig.yaml');
/** Cluster membership roles as the server writes them (common/primitives). */
const ROLES = { 1: 'frontend', 2: 'history', 3: 'matching', 4: 'worker' };

/** @typedef {(line: string) => void} LogFn */
/** @typedef {{ host: string, port: number, user: string, password: string }} PostgresTarget */

const BINARIES = /** @type {const} */ ({
  server: { pkg: 'cmd/server', goName: 'server', name: 'temporal-server', env: 'TEMPORAL_SERVER' },
  sqlTool: { pkg: 'cmd/tools/sql', goName: 'sql', name: 'temporal-sql-tool', env: 'TEMPORAL_SQL_TOOL' },
});

/**
 * @param {{ log?: LogFn }} [options]
 * @returns {Promise<{ server: string, sqlTool: string }>} absolute paths
 */
async function ensureTemporalServer({ log = console.log } = {}) {
  /** @type {{ server?: string, sqlTool?: string }} */
  const found = {};
  for (const key of /** @type {const} */ (['server', 'sqlTool'])) {
    const spec = BINARIES[key];
    const fromEnv = process.env[spec.env];
    if (fromEnv) {
      const binary = path.resolve(fromEnv);
      if (!isExecutableFile(binary))
        throw new Error(`${spec.env} is set to "${fromEnv}", but that is not an executable file.`);
      const version = await binaryVersion(binary);
      if (version !== TEMPORAL_SERVER_VERSION) {
        log(
          `Warning: ${spec.env} (${binary}) is version ${version}; Seamline is tested with ${TEMPORAL_SERVER_VERSION}.`,
        );
      }
      found[key] = binary;
      continue;
    }
    const local = path.join(toolsBin, spec.name);
    if (isExecutableFile(local)) {
      const version = await binaryVersion(local);
      if (version === TEMPORAL_SERVER_VERSION) found[key] = local;
      else log(`${local} is version ${version}; rebuilding ${TEMPORAL_SERVER_VERSION}.`);
    }
  }
  if (!found.server || !found.sqlTool) {
    await buildWithGo(log);
    for (const key of /** @type {const} */ (['server', 'sqlTool'])) {
      const local = path.join(toolsBin, BINARIES[key].name);
      const version = isExecutableFile(local) ? await binaryVersion(local) : 'missing';
      if (version !== TEMPORAL_SERVER_VERSION) {
        throw new Error(
          `go install finished, but ${local} is ${version} instead of version ${TEMPORAL_SERVER_VERSION}.`,
        );
      }
      found[key] ??= local;
    }
  }
  return { server: /** @type {string} */ (found.server), sqlTool: /** @type {string} */ (found.sqlTool) };
}

/**
 * "temporal version 1.29.1" (server) or "temporal-sql-tool version 1.29.1"; the version is compiled in, so a
 * source build reports it too.
 * @param {string} binary
 */
async function binaryVersion(binary) {
  const result = await run(binary, ['--version'], 15_000);
  return /version (\S+)/.exec(result.stdout)?.[1] ?? 'unknown (`--version` failed)';
}

/** @param {LogFn} log */
async function buildWithGo(log) {
  const go = findOnPath('go');
  const targets = Object.values(BINARIES).map((b) => `${MODULE}/${b.pkg}@v${TEMPORAL_SERVER_VERSION}`);
  if (!go) {
    throw new Error(
      [
        `The Temporal server v${TEMPORAL_SERVER_VERSION} and its SQL tool are needed (the self-hosted cluster runs on them) and were not found.`,
        'They are built from source with Go, and Go is not installed. Either:',
        `  - install Go ${MIN_GO.major}.${MIN_GO.minor} or newer (https://go.dev/dl/) and run this again; or`,
        `  - set TEMPORAL_SERVER and TEMPORAL_SQL_TOOL to the paths of temporal-server and temporal-sql-tool v${TEMPORAL_SERVER_VERSION}`,
        '    (both are in the temporalio/server and temporalio/admin-tools images).',
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
      `Building the Temporal server needs Go ${MIN_GO.major}.${MIN_GO.minor} or newer, but ${go} is ${goVersion}. ` +
        'Install a newer Go (https://go.dev/dl/) or set TEMPORAL_SERVER and TEMPORAL_SQL_TOOL.',
    );
  }
  // go install names the binaries after their packages (`server`, `sql`): build into a directory of our own,
  // then move them into .tools/bin under Temporal's names.
  fs.mkdirSync(toolsBin, { recursive: true });
  const staging = fs.mkdtempSync(path.join(repoRoot, '.tools', 'temporal-server-build-'));
  log(
    `Building the Temporal server and SQL tool v${TEMPORAL_SERVER_VERSION} with ${goVersion || 'go'} into ${toolsBin}`,
  );
  log('This happens once and takes about 4 minutes the first time...');
  const started = Date.now();
  try {
    const child = spawn(go, ['install', ...targets], {
      cwd: repoRoot,
      env: { ...process.env, GOBIN: staging },
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
    const heartbeat = setInterval(
      () => log(`[go] still building (${formatDuration(Date.now() - started)})...`),
      30_000,
    );
    /** @type {{ code: number | null, signal: NodeJS.Signals | null, error?: Error }} */
    const result = await new Promise((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    }).finally(() => clearInterval(heartbeat));
    if (result.error) throw new Error(`Could not run ${go}: ${result.error.message}`);
    if (result.code !== 0) {
      const status = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
      throw new Error(`\`go install ${targets.join(' ')}\` ${status}:\n${output.join('').trimEnd()}`);
    }
    for (const spec of Object.values(BINARIES)) {
      const from = path.join(staging, spec.goName);
      const to = path.join(toolsBin, spec.name);
      try {
        fs.renameSync(from, to);
      } catch {
        fs.copyFileSync(from, to); // .tools/bin may be on another file system
        fs.chmodSync(to, 0o755);
      }
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log(`Built the Temporal server in ${formatDuration(Date.now() - started)}.`);
}

/**
 * Creates the two databases (history and visibility) if missing and brings their schemas to the newest version,
 * with the server's own tool and its embedded schemas. Idempotent: an existing database is only updated.
 * @param {{ sqlTool: string, postgres: PostgresTarget, database: string, visibilityDatabase: string, log?: LogFn }} options
 */
async function setupTemporalDatabases({ sqlTool, postgres, database, visibilityDatabase, log = console.log }) {
  const started = Date.now();
  for (const [db, schema] of [
    [database, 'postgresql/v12/temporal'],
    [visibilityDatabase, 'postgresql/v12/visibility'],
  ]) {
    const base = [
      '--plugin',
      'postgres12',
      '--endpoint',
      postgres.host,
      '--port',
      String(postgres.port),
      '--user',
      postgres.user,
      '--password',
      postgres.password,
      '--database',
      db,
    ];
    const created = await runSqlTool(sqlTool, [...base, 'create-database', '--defaultdb', 'postgres']);
    const exists = !created.ok && /already exists/i.test(created.output);
    if (!created.ok && !exists) throw new Error(`temporal-sql-tool create-database ${db} failed:\n${created.output}`);
    if (!exists) {
      const setup = await runSqlTool(sqlTool, [...base, 'setup-schema', '--version', '0.0']);
      if (!setup.ok) throw new Error(`temporal-sql-tool setup-schema (${db}) failed:\n${setup.output}`);
    }
    const update = await runSqlTool(sqlTool, [...base, 'update-schema', '--schema-name', schema]);
    if (!update.ok) throw new Error(`temporal-sql-tool update-schema (${db}, ${schema}) failed:\n${update.output}`);
  }
  log(`Temporal schemas ready in ${database} and ${visibilityDatabase} (${formatDuration(Date.now() - started)})`);
}

/**
 * @param {string} sqlTool
 * @param {string[]} args
 * @returns {Promise<{ ok: boolean, output: string }>}
 */
function runSqlTool(sqlTool, args) {
  return new Promise((resolve) => {
    const child = spawn(sqlTool, args, { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', (error) => resolve({ ok: false, output: error.message }));
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, output: output.trim() });
    });
  });
}

/**
 * @typedef {object} NodeTls frontend TLS of a node (file paths)
 * @property {string} cert server certificate (also presented by the node's system worker as its client certificate)
 * @property {string} key
 * @property {string} ca CA that signed the frontend certificate, for the node's system worker
 * @property {string} serverName name in the frontend certificate
 * @property {string} [clientCa] mTLS: clients must present a certificate signed by this CA
 */

/**
 * @typedef {object} NodePorts
 * @property {number} frontend
 * @property {number} frontendHttp
 * @property {number} frontendMembership
 * @property {number} history
 * @property {number} historyMembership
 * @property {number} matching
 * @property {number} matchingMembership
 * @property {number} worker
 * @property {number} workerMembership
 * @property {number} metrics
 */

/**
 * @typedef {object} TemporalNode
 * @property {string} name
 * @property {string} address "127.0.0.1:<frontend port>"
 * @property {NodePorts} ports
 * @property {string} metricsUrl Prometheus metrics of the node
 * @property {() => boolean} isRunning
 * @property {() => Promise<void>} start (re)starts the process with the same ports and config; resolves when its frontend answers
 * @property {() => Promise<void>} stop SIGTERM (graceful), SIGKILL after 15 s
 * @property {() => Promise<void>} kill SIGKILL: a crashed node
 * @property {() => string} recentOutput
 */

/**
 * Writes a node's configuration (the template, rendered by the server itself) and returns a handle; `start()`
 * runs it. Every port is a free loopback port unless given.
 * @param {object} options
 * @param {string} options.server temporal-server binary
 * @param {string} options.cli Temporal CLI, to probe the frontend
 * @param {string} options.name e.g. "temporal-1"
 * @param {string} options.dir the node's own directory (its config goes there)
 * @param {PostgresTarget} options.postgres
 * @param {string} options.database
 * @param {string} options.visibilityDatabase
 * @param {number} [options.numHistoryShards] the same on every node, for the life of the cluster
 * @param {number} [options.maxConns] PostgreSQL connections per service (each node runs four)
 * @param {NodeTls} [options.tls]
 * @param {string[]} [options.cliConnectionArgs] CLI flags to reach this node's frontend (TLS)
 * @param {string} [options.logLevel]
 * @param {string} [options.logFile] server output goes there (and nowhere else)
 * @param {LogFn} [options.log]
 * @returns {Promise<TemporalNode>}
 */
async function createTemporalNode(options) {
  const { server, cli, name, dir, postgres, log = console.log } = options;
  /** @type {NodePorts} */
  const ports = {
    frontend: await freeServicePort(),
    frontendHttp: await freeServicePort(),
    frontendMembership: await freeServicePort(),
    history: await freeServicePort(),
    historyMembership: await freeServicePort(),
    matching: await freeServicePort(),
    matchingMembership: await freeServicePort(),
    worker: await freeServicePort(),
    workerMembership: await freeServicePort(),
    metrics: await freeServicePort(),
  };
  const configDir = path.join(dir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  fs.copyFileSync(NODE_CONFIG_TEMPLATE, path.join(configDir, 'development.yaml'));
  const tls = options.tls;
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...cliEnv(), // no TEMPORAL_*: the server reads some of those itself
    LOG_LEVEL: options.logLevel ?? 'warn',
    NUM_HISTORY_SHARDS: String(options.numHistoryShards ?? 4),
    SQL_HOST: postgres.host,
    SQL_PORT: String(postgres.port),
    SQL_USER: postgres.user,
    SQL_PASSWORD: postgres.password,
    SQL_DATABASE: options.database,
    SQL_VISIBILITY_DATABASE: options.visibilityDatabase,
    SQL_MAX_CONNS: String(options.maxConns ?? 6),
    SQL_VISIBILITY_MAX_CONNS: String(Math.min(options.maxConns ?? 6, 3)),
    BIND_IP: '127.0.0.1',
    BROADCAST_ADDRESS: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(ports.frontend),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    HISTORY_GRPC_PORT: String(ports.history),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matching),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.worker),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    METRICS_LISTEN_ADDRESS: `127.0.0.1:${ports.metrics}`,
    DYNAMIC_CONFIG_FILE: DYNAMIC_CONFIG,
    ...(tls
      ? {
          FRONTEND_TLS_CERT: tls.cert,
          FRONTEND_TLS_KEY: tls.key,
          FRONTEND_TLS_SERVER_CA: tls.ca,
          FRONTEND_TLS_SERVER_NAME: tls.serverName,
          ...(tls.clientCa ? { FRONTEND_TLS_CLIENT_CA: tls.clientCa } : {}),
        }
      : {}),
  };
  const address = `127.0.0.1:${ports.frontend}`;
  /** @type {import('./processes').ManagedProcess | null} */
  let proc = null;

  const start = async () => {
    if (proc?.isRunning()) return;
    const started = Date.now();
    proc = startProcess({
      name,
      command: server,
      args: ['--root', dir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'],
      env,
      log,
      logFile: options.logFile,
      output: options.logFile ? null : undefined,
      quietWhileStopping: true,
    });
    const current = proc;
    const deadline = Date.now() + 90_000;
    let problem = `nothing listens on ${address} yet`;
    for (;;) {
      if (!current.isRunning()) {
        const exit = await current.exited;
        throw new Error(
          `${name} exited during start-up (${describeExit(exit)}). Last output:\n${current.recentOutput()}`,
        );
      }
      if (await canConnect(ports.frontend)) {
        const health = await runCli(cli, [
          'operator',
          'cluster',
          'health',
          '--address',
          address,
          ...(options.cliConnectionArgs ?? []),
        ]);
        if (health.ok && /SERVING/.test(health.stdout)) break;
        problem = `\`temporal operator cluster health\`: ${(health.stderr || health.stdout).trim().split('\n').pop()}`;
      }
      if (Date.now() > deadline) {
        await current.stop(5_000);
        throw new Error(`${name} was not serving after 90 s (${problem}). Last output:\n${current.recentOutput()}`);
      }
      await sleep(250);
    }
    log(`${name} serving at ${address} (${formatDuration(Date.now() - started)})`);
  };

  return {
    name,
    address,
    ports,
    metricsUrl: `http://127.0.0.1:${ports.metrics}/metrics`,
    isRunning: () => Boolean(proc?.isRunning()),
    start,
    stop: async () => {
      await proc?.stop(15_000);
    },
    kill: async () => {
      if (!proc?.isRunning()) return;
      proc.child.kill('SIGKILL');
      await proc.exited;
    },
    recentOutput: () => proc?.recentOutput() ?? '',
  };
}

/** Ports handed out by freeServicePort in this process (a port is free until its node starts listening). */
const handedOut = new Set();

/**
 * A free loopback port below 32768. The PostgreSQL schema keeps membership ports in a SMALLINT column
 * (cluster_membership.rpc_port), so a node on an ephemeral port (the OS picks 32768 and up) fails at start-up
 * with "value is out of range for type smallint"; Temporal's usual ports (6933-7243) are far below.
 * @returns {Promise<number>}
 */
async function freeServicePort() {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port)) continue;
    if (await isPortFree(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free loopback port between 20000 and 32000 after 500 tries');
}

/**
 * A TCP balancer on 127.0.0.1 in front of the nodes' frontends: each new connection goes to the next node in
 * turn; a node that refuses is skipped (and tried again a second later). Connections to a node that dies break,
 * and the clients' reconnects land on the nodes still up — as behind a Kubernetes Service.
 * @param {{ targets: () => Array<{ name: string, port: number }>, port?: number }} options
 * @returns {Promise<{ address: string, port: number, connections: Record<string, number>, stop: () => Promise<void> }>}
 */
async function startFrontendBalancer({ targets, port = 0 }) {
  let turn = 0;
  /** @type {Map<string, number>} target name → time until which it is skipped */
  const downUntil = new Map();
  /** @type {Record<string, number>} connections forwarded per target, over the balancer's life */
  const connections = {};
  /** @type {Set<net.Socket>} */
  const sockets = new Set();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const all = targets();
    const now = Date.now();
    const first = turn++;
    const order = all
      .map((_, i) => all[(first + i) % all.length])
      .filter((t) => t !== undefined)
      .sort((a, b) => Number((downUntil.get(a.name) ?? 0) > now) - Number((downUntil.get(b.name) ?? 0) > now));
    /** @param {number} i */
    const attempt = (i) => {
      const target = order[i];
      if (!target || client.destroyed) return void client.destroy();
      const upstream = net.connect({ host: '127.0.0.1', port: target.port });
      let connected = false;
      sockets.add(upstream);
      upstream.once('close', () => sockets.delete(upstream));
      upstream.on('error', () => {
        upstream.destroy();
        if (connected) return void client.destroy();
        downUntil.set(target.name, Date.now() + 1000);
        attempt(i + 1);
      });
      upstream.once('connect', () => {
        connected = true;
        connections[target.name] = (connections[target.name] ?? 0) + 1;
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
        client.once('close', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
      });
    };
    attempt(0);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => resolve(undefined));
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    address: `127.0.0.1:${actualPort}`,
    port: actualPort,
    connections,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/**
 * The nodes' services as they registered in the cluster_membership table (role and membership port) and still
 * heartbeat: within 20 s, the cut-off the server itself uses for healthy hosts.
 * @param {PostgresTarget} postgres
 * @param {string} database
 * @returns {Promise<Array<{ role: string, port: number }>>}
 */
async function liveMembers(postgres, database) {
  const { Client } = require('pg');
  const client = new Client({ ...postgres, database, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT role, rpc_port FROM cluster_membership WHERE record_expiry > now() AT TIME ZONE 'UTC'
         AND last_heartbeat > (now() AT TIME ZONE 'UTC') - interval '20 seconds'`,
    );
    return rows.map((/** @type {{ role: number, rpc_port: number }} */ r) => ({
      role: ROLES[/** @type {1 | 2 | 3 | 4} */ (r.role)] ?? String(r.role),
      port: r.rpc_port,
    }));
  } finally {
    await client.end();
  }
}

/**
 * @typedef {object} TemporalCluster
 * @property {string} address the balancer: what clients connect to
 * @property {TemporalNode[]} nodes
 * @property {Record<string, number>} connections connections the balancer forwarded, per node
 * @property {string} namespace
 * @property {() => Promise<Array<{ role: string, port: number }>>} members services registered and heartbeating
 * @property {(node: TemporalNode) => Promise<void>} waitForMembership resolves when all four services of `node` are members
 * @property {() => Promise<void>} stop
 */

/**
 * Sets up the databases, starts the nodes one after the other (the first initialises the cluster metadata),
 * waits until every service of every node is a member, then creates the namespace and registers the search
 * attributes of deploy/temporal/search-attributes.json, and waits until each node serves the namespace.
 * @param {object} options
 * @param {{ server: string, sqlTool: string }} options.binaries
 * @param {string} options.cli Temporal CLI (namespace, search attributes, probes)
 * @param {PostgresTarget} options.postgres
 * @param {string} options.dir nodes' directories go below it
 * @param {number} [options.nodes] default 2
 * @param {string} [options.database] default "temporal"
 * @param {string} [options.visibilityDatabase] default "<database>_visibility"
 * @param {string} [options.namespace] default "default"
 * @param {NodeTls} [options.tls]
 * @param {string[]} [options.cliConnectionArgs]
 * @param {boolean} [options.balancer] default true; false: `address` is the first node's frontend
 * @param {number} [options.maxConns] PostgreSQL connections per service and node (default 6)
 * @param {string} [options.logDir] one log file per node
 * @param {LogFn} [options.log]
 * @returns {Promise<TemporalCluster>}
 */
async function startTemporalCluster(options) {
  const { binaries, cli, postgres, dir, log = console.log } = options;
  const count = options.nodes ?? 2;
  const database = options.database ?? 'temporal';
  const visibilityDatabase = options.visibilityDatabase ?? `${database}_visibility`;
  const namespace = options.namespace ?? 'default';
  const cliArgs = options.cliConnectionArgs ?? [];
  const started = Date.now();
  await setupTemporalDatabases({ sqlTool: binaries.sqlTool, postgres, database, visibilityDatabase, log });

  /** @type {TemporalNode[]} */
  const nodes = [];
  for (let i = 1; i <= count; i++) {
    const name = `temporal-${i}`;
    nodes.push(
      await createTemporalNode({
        server: binaries.server,
        cli,
        name,
        dir: path.join(dir, name),
        postgres,
        database,
        visibilityDatabase,
        tls: options.tls,
        maxConns: options.maxConns,
        cliConnectionArgs: cliArgs,
        logFile: options.logDir ? path.join(options.logDir, `${name}.log`) : undefined,
        log,
      }),
    );
  }
  /** @type {Awaited<ReturnType<typeof startFrontendBalancer>> | null} */
  let balancer = null;
  const stop = async () => {
    await balancer?.stop();
    await Promise.all(nodes.map((n) => n.stop()));
  };

  const members = () => liveMembers(postgres, database);
  /** @param {TemporalNode} node */
  const waitForMembership = async (node) => {
    // The table keeps each service's membership (ringpop) port, not its gRPC port.
    const wanted = [
      ['frontend', node.ports.frontendMembership],
      ['history', node.ports.historyMembership],
      ['matching', node.ports.matchingMembership],
      ['worker', node.ports.workerMembership],
    ];
    const deadline = Date.now() + 60_000;
    for (;;) {
      const live = await members();
      const missing = wanted.filter(([role, port]) => !live.some((m) => m.role === role && m.port === port));
      if (missing.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`${node.name}: ${missing.map(([r]) => r).join(', ')} did not join the cluster within 60 s`);
      }
      await sleep(250);
    }
  };

  try {
    for (const node of nodes) {
      await node.start();
      await waitForMembership(node);
    }
    balancer =
      options.balancer === false
        ? null
        : await startFrontendBalancer({ targets: () => nodes.map((n) => ({ name: n.name, port: n.ports.frontend })) });
    const address = balancer?.address ?? /** @type {TemporalNode} */ (nodes[0]).address;
    await ensureNamespace({ cli, address, namespace, cliArgs });
    // A new namespace reaches the other nodes' caches on their next refresh: wait until each one serves it.
    for (const node of nodes) await waitForNamespace({ cli, address: node.address, namespace, cliArgs });
    await ensureSearchAttributes({
      cli,
      address,
      namespace,
      searchAttributes: readSearchAttributes(),
      log,
      connectionArgs: cliArgs,
    });
    log(
      `Temporal cluster of ${count} nodes ready at ${address} (${nodes.map((n) => `${n.name} ${n.address}`).join(', ')}; ${formatDuration(Date.now() - started)})`,
    );
    return {
      address,
      nodes,
      connections: balancer?.connections ?? {},
      namespace,
      members,
      waitForMembership,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** @param {{ cli: string, address: string, namespace: string, cliArgs: string[] }} options */
async function ensureNamespace({ cli, address, namespace, cliArgs }) {
  const target = ['--address', address, '--namespace', namespace, ...cliArgs];
  if ((await runCli(cli, ['operator', 'namespace', 'describe', ...target])).ok) return;
  const created = await runCli(cli, ['operator', 'namespace', 'create', ...target, '--retention', '72h']);
  if (!created.ok && !/already (exists|registered)/i.test(created.stderr + created.stdout)) {
    throw new Error(`Could not create namespace ${namespace}: ${(created.stderr || created.stdout).trim()}`);
  }
}

/** @param {{ cli: string, address: string, namespace: string, cliArgs: string[] }} options */
async function waitForNamespace({ cli, address, namespace, cliArgs }) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    // Describing a namespace reads the database; listing its search attributes goes through the node's
    // namespace cache, as workflow starts do.
    const described = await runCli(cli, [
      'operator',
      'search-attribute',
      'list',
      '--address',
      address,
      '--namespace',
      namespace,
      ...cliArgs,
    ]);
    if (described.ok) return;
    if (Date.now() > deadline) {
      throw new Error(`${address} did not serve namespace ${namespace} within 60 s: ${described.stderr.trim()}`);
    }
    await sleep(500);
  }
}

/**
 * Sum of a Prometheus counter on a node, over the series whose labels contain every `labels` pair.
 * @param {string} metricsUrl
 * @param {string} metric
 * @param {Record<string, string>} [labels]
 */
async function scrapeCounter(metricsUrl, metric, labels = {}) {
  const response = await withTimeout(fetch(metricsUrl), 5_000);
  if (!response || !response.ok) throw new Error(`${metricsUrl} did not answer`);
  const text = await response.text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  }
  return total;
}

module.exports = {
  TEMPORAL_SERVER_VERSION,
  ensureTemporalServer,
  setupTemporalDatabases,
  createTemporalNode,
  startFrontendBalancer,
  startTemporalCluster,
  scrapeCounter,
};
