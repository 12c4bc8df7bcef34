// @ts-check
'use strict';
/**
 * Runs `temporal server start-dev` (local Temporal with SQLite) and registers
 * the custom search attributes of deploy/temporal/search-attributes.json.
 * Node built-ins only.
 */
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { canConnect } = require('./ports');
const { startProcess, describeExit, sleep, formatDuration } = require('./processes');

const repoRoot = path.resolve(__dirname, '..', '..');
const SEARCH_ATTRIBUTES_FILE = path.join(repoRoot, 'deploy', 'temporal', 'search-attributes.json');
const SEARCH_ATTRIBUTE_TYPES = ['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'];
const READY_TIMEOUT_MS = 60_000;

/** @typedef {(line: string) => void} LogFn */

/**
 * @typedef {object} TemporalDevServer
 * @property {string} address "ip:port" of the frontend (gRPC)
 * @property {string | null} uiUrl null when headless
 * @property {() => Promise<void>} stop SIGTERM, up to 10 s, then SIGKILL; resolves once it exited
 * @property {import('./processes').ManagedProcess} process the server process (`.exited` resolves when it exits)
 */

/**
 * Start a Temporal dev server and wait until it serves the namespace.
 * @param {object} options
 * @param {string} options.cli path of the Temporal CLI (see temporal-cli.js)
 * @param {string | null} [options.dbFile] SQLite file for persistent state; in-memory when absent
 * @param {string} [options.ip]
 * @param {number} options.port frontend gRPC port
 * @param {number | null} [options.uiPort] null: no Web UI (--headless)
 * @param {number} [options.metricsPort] default: a random free port chosen by the CLI
 * @param {number} [options.httpPort] default: a random free port chosen by the CLI
 * @param {string} [options.namespace]
 * @param {string} [options.uiCodecEndpoint] the remote payload codec Temporal UI decodes payloads with
 * @param {LogFn} [options.log] status messages
 * @param {string} [options.logFile] server output goes to this file instead of stdout (`[temporal] ...`)
 * @returns {Promise<TemporalDevServer>}
 */
async function startTemporalDevServer(options) {
  const { cli, port, ip = '127.0.0.1', namespace = 'default', log = console.log } = options;
  const uiPort = options.uiPort ?? null;
  const address = `${ip}:${port}`;
  const searchAttributes = readSearchAttributes();

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--log-level', 'warn'];
  args.push(...(uiPort === null ? ['--headless'] : ['--ui-port', String(uiPort)]));
  if (options.metricsPort !== undefined) args.push('--metrics-port', String(options.metricsPort));
  if (options.httpPort !== undefined) args.push('--http-port', String(options.httpPort));
  if (uiPort !== null && options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFile) {
    fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
    args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  // "default" always exists; other namespaces are created at launch.
  if (namespace !== 'default') args.push('--namespace', namespace);
  for (const [name, type] of Object.entries(searchAttributes)) args.push('--search-attribute', `${name}=${type}`);

  const started = Date.now();
  const server = startProcess({
    name: 'temporal',
    command: cli,
    args,
    env: cliEnv(),
    log,
    logFile: options.logFile,
    output: options.logFile ? null : undefined,
    quietWhileStopping: true,
  });
  const stop = async () => {
    await server.stop(10_000);
  };

  try {
    await waitUntilReady({ cli, server, ip, port, namespace });
    // On an existing database file, --search-attribute does not add new attributes.
    await ensureSearchAttributes({ cli, address, namespace, searchAttributes, log });
  } catch (error) {
    await stop();
    throw error;
  }

  const uiUrl = uiPort === null ? null : `http://${ip}:${uiPort}`;
  log(`Temporal dev server ready at ${address} (${formatDuration(Date.now() - started)})`);
  return { address, uiUrl, stop, process: server };
}

/**
 * The frontend port accepts connections AND the namespace can be described.
 * @param {{ cli: string, server: import('./processes').ManagedProcess, ip: string, port: number, namespace: string }} options
 */
async function waitUntilReady({ cli, server, ip, port, namespace }) {
  const address = `${ip}:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = `nothing accepts connections on ${address} yet`;
  while (Date.now() < deadline) {
    if (!server.isRunning()) {
      const exit = await server.exited;
      throw new Error(
        `The Temporal dev server exited during startup (${describeExit(exit)}). Last output:\n${server.recentOutput() || '(none)'}`,
      );
    }
    if (await canConnect(port, ip)) {
      const result = await runCli(cli, [
        'operator',
        'namespace',
        'describe',
        '--address',
        address,
        '--namespace',
        namespace,
      ]);
      if (result.ok) return;
      lastProblem = `\`temporal operator namespace describe\` failed: ${lastLine(result.stderr || result.stdout)}`;
    }
    await sleep(250);
  }
  throw new Error(
    `The Temporal dev server was not ready after ${READY_TIMEOUT_MS / 1000} s (${lastProblem}). Last output:\n${server.recentOutput() || '(none)'}`,
  );
}

/**
 * Create the custom search attributes that are missing; idempotent. `connectionArgs` are extra CLI flags for
 * the connection (e.g. `--tls-ca-path ...` for a server with TLS).
 * @param {{ cli: string, address: string, namespace: string, searchAttributes: Record<string, string>, log: LogFn, connectionArgs?: string[] }} options
 */
async function ensureSearchAttributes({ cli, address, namespace, searchAttributes, log, connectionArgs = [] }) {
  const target = ['--address', address, '--namespace', namespace, ...connectionArgs];
  const listed = await runCli(cli, ['operator', 'search-attribute', 'list', ...target, '--output', 'json']);
  if (!listed.ok)
    throw new Error(`Could not list the search attributes: ${listed.stderr.trim() || listed.stdout.trim()}`);
  /** @type {Record<string, string>} e.g. { TicketStatus: "INDEXED_VALUE_TYPE_KEYWORD" } */
  const existing = JSON.parse(listed.stdout).customAttributes ?? {};

  for (const [name, type] of Object.entries(searchAttributes)) {
    const current = existing[name];
    if (current !== undefined) {
      if (normaliseType(current) !== normaliseType(type)) {
        throw new Error(
          `Search attribute ${name} is registered as ${current}, but ${SEARCH_ATTRIBUTES_FILE} says ${type}. ` +
            'A type cannot be changed; delete the Temporal database file to start over.',
        );
      }
      continue;
    }
    const created = await runCli(cli, [
      'operator',
      'search-attribute',
      'create',
      '--name',
      name,
      '--type',
      type,
      ...target,
    ]);
    if (!created.ok)
      throw new Error(
        `Could not create search attribute ${name} (${type}): ${created.stderr.trim() || created.stdout.trim()}`,
      );
    log(`Registered search attribute ${name} (${type})`);
  }
}

/**
 * "INDEXED_VALUE_TYPE_KEYWORD_LIST" and "KeywordList" both become "keywordlist".
 * @param {string} type
 */
function normaliseType(type) {
  return type
    .replace(/^INDEXED_VALUE_TYPE_/, '')
    .replace(/_/g, '')
    .toLowerCase();
}

/** @returns {Record<string, string>} name → type, without "$comment" */
function readSearchAttributes() {
  /** @type {Record<string, unknown>} */
  const raw = JSON.parse(fs.readFileSync(SEARCH_ATTRIBUTES_FILE, 'utf8'));
  /** @type {Record<string, string>} */
  const result = {};
  for (const [name, type] of Object.entries(raw)) {
    if (name.startsWith('$')) continue;
    if (typeof type !== 'string' || !SEARCH_ATTRIBUTE_TYPES.includes(type)) {
      throw new Error(
        `${SEARCH_ATTRIBUTES_FILE}: ${name} has type ${JSON.stringify(type)}; expected one of ${SEARCH_ATTRIBUTE_TYPES.join(', ')}`,
      );
    }
    result[name] = type;
  }
  return result;
}

/**
 * The environment for CLI calls, without TEMPORAL_* variables (a user's
 * TEMPORAL_ADDRESS, TLS or API key settings must not redirect these calls).
 * @returns {NodeJS.ProcessEnv}
 */
function cliEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('TEMPORAL_')));
}

/**
 * @param {string} cli
 * @param {string[]} args
 * @returns {Promise<{ ok: boolean, stdout: string, stderr: string }>}
 */
function runCli(cli, args) {
  return new Promise((resolve) => {
    execFile(cli, [...args, '--color', 'never'], { env: cliEnv(), timeout: 10_000 }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr) || (error ? error.message : '') });
    });
  });
}

/** @param {string} text */
function lastLine(text) {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

module.exports = { startTemporalDevServer, readSearchAttributes, ensureSearchAttributes, runCli, cliEnv };
