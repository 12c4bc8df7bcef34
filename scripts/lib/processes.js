// @ts-check
'use strict';
/**
 * Child processes for the dev scripts: output prefixed line by line (`[api] ...`),
 * graceful stop (SIGTERM, wait, then SIGKILL), Ctrl-C handling, and cleanup
 * after this Node process is gone, however it ended. Node built-ins only.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

/** @typedef {(line: string) => void} LogFn */

/**
 * @typedef {object} ExitInfo
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 * @property {Error} [error] set when the process could not be started at all
 */

/**
 * @typedef {object} ManagedProcess
 * @property {string} name
 * @property {import('node:child_process').ChildProcess} child
 * @property {Promise<ExitInfo>} exited resolves (never rejects) once the process has exited
 * @property {() => boolean} isRunning
 * @property {() => boolean} isStopping true once stop() was called
 * @property {() => string} recentOutput the last lines of output, for error messages
 * @property {(timeoutMs?: number) => Promise<ExitInfo>} stop
 */

const TAIL_LINES = 50;

/**
 * Cleanup when this process is gone, however it ended (exit, signal, SIGKILL,
 * a native crash): a small detached "reaper" process, started on first use,
 * learns the pids of the children (and throwaway directories) through a pipe.
 * When the pipe closes because this process ended, it signals the children
 * still registered, waits for them to exit (up to 15 s) and deletes the
 * directories. Children that were stopped normally have been unregistered.
 */
const REAPER_SOURCE = `
const fs = require('node:fs');
const pids = new Map();
const dirs = new Set();
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (pending + chunk).split('\\n');
  pending = lines.pop();
  for (const line of lines) {
    const [op, arg, signal] = line.split('\\t');
    if (op === 'pid+') pids.set(Number(arg), signal);
    if (op === 'pid-') pids.delete(Number(arg));
    if (op === 'dir+') dirs.add(arg);
    if (op === 'dir-') dirs.delete(arg);
  }
});
const alive = (pid) => {
  try { process.kill(pid, 0); } catch { return false; }
  try { return !/\\) Z /.test(fs.readFileSync('/proc/' + pid + '/stat', 'utf8')); } catch { return true; }
};
process.stdin.on('end', () => {
  for (const [pid, signal] of pids) { try { process.kill(pid, signal); } catch {} }
  const deadline = Date.now() + 15000;
  const finish = () => {
    if ([...pids.keys()].some(alive) && Date.now() < deadline) return setTimeout(finish, 100);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  };
  finish();
});
`;

/** @type {import('node:net').Socket | null} */
let reaperPipe = null;

/** @param {string[]} fields */
function tellReaper(...fields) {
  if (!reaperPipe) {
    const reaper = spawn(process.execPath, ['-e', REAPER_SOURCE], {
      detached: true, // not reached by a terminal's Ctrl-C or a signal to our process group
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { ...process.env, NODE_OPTIONS: '' }, // e.g. no --inspect
    });
    reaper.unref();
    reaper.on('error', () => {}); // cleanup is best effort
    reaperPipe = /** @type {import('node:net').Socket} */ (reaper.stdin);
    reaperPipe.on('error', () => {});
    reaperPipe.unref(); // must not keep this process alive
  }
  reaperPipe.write(`${fields.join('\t')}\n`);
}

/**
 * Children that get their force signal from onShutdownSignal's forced exit.
 * @typedef {{ child: import('node:child_process').ChildProcess, forceSignal: NodeJS.Signals, group: boolean }} TrackedChild
 * @type {Set<TrackedChild>}
 */
const tracked = new Set();

/**
 * Make sure `child` receives `exitSignal` if this process ends while the child
 * still runs, and `forceSignal` on a forced shutdown (see onShutdownSignal).
 * With `group`, the force signal goes to the child's whole process group.
 * @param {import('node:child_process').ChildProcess} child
 * @param {{ exitSignal?: NodeJS.Signals, forceSignal?: NodeJS.Signals, group?: boolean }} [options]
 */
function trackChild(child, options = {}) {
  const { pid } = child;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  /** @type {TrackedChild} */
  const entry = { child, forceSignal: options.forceSignal ?? 'SIGKILL', group: options.group ?? false };
  tracked.add(entry);
  tellReaper('pid+', String(pid), options.exitSignal ?? 'SIGTERM');
  child.once('exit', () => {
    tracked.delete(entry);
    tellReaper('pid-', String(pid));
  });
}

/**
 * Delete `dir` if this process ends before the returned function is called.
 * @param {string} dir
 * @returns {() => void} call once the directory is removed (or should be kept)
 */
function removeDirIfOrphaned(dir) {
  tellReaper('dir+', dir);
  return () => tellReaper('dir-', dir);
}

/**
 * Signal the process group led by `child` (a child spawned with `detached: true`).
 * @param {import('node:child_process').ChildProcess} child
 * @param {NodeJS.Signals} signal
 */
function killGroup(child, signal) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal); // the group is gone already; fall back to the process itself
  }
}

/** @param {ExitInfo} info */
function describeExit(info) {
  if (info.error) return `could not be started: ${info.error.message}`;
  if (info.signal) return `killed by ${info.signal}`;
  return `exit code ${info.code}`;
}

/**
 * Start a long-running child process.
 * @param {object} options
 * @param {string} options.name shown as the `[name]` prefix and in messages
 * @param {string} options.command
 * @param {string[]} options.args
 * @param {NodeJS.ProcessEnv} [options.env] defaults to process.env
 * @param {string} [options.cwd]
 * @param {LogFn | null} [options.output] receives every output line; default prints `[name] line` to stdout; null discards
 * @param {string} [options.logFile] every output line is also appended to this file
 * @param {boolean} [options.quietWhileStopping] once stop() is called, lines go only to logFile and recentOutput (hides shutdown noise)
 * @param {boolean} [options.ownProcessGroup] default true: a terminal Ctrl-C then reaches only this script, which stops the children in order
 * @param {NodeJS.Signals} [options.stopSignal] default SIGTERM
 * @param {LogFn} [options.log] for messages about the process (default console.log)
 * @returns {ManagedProcess}
 */
function startProcess(options) {
  const { name, command, args } = options;
  const log = options.log ?? console.log;
  const stopSignal = options.stopSignal ?? 'SIGTERM';
  const output =
    options.output === undefined
      ? (/** @type {string} */ line) => process.stdout.write(`[${name}] ${line}\n`)
      : options.output;

  /** @type {string[]} */
  const tail = [];
  let stopping = false;
  let running = true;

  /** @type {fs.WriteStream | null} */
  let file = null;
  if (options.logFile) {
    fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
    file = fs.createWriteStream(options.logFile, { flags: 'a' });
  }

  const ownGroup = options.ownProcessGroup ?? true;
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownGroup,
  });
  trackChild(child, { group: ownGroup });

  /** @param {string} line */
  const onLine = (line) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    file?.write(`${line}\n`);
    if (output && !(stopping && options.quietWhileStopping)) output(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
  }

  /** @type {Promise<ExitInfo>} */
  const exited = new Promise((resolve) => {
    /** @type {Error | undefined} */
    let startError;
    child.once('error', (error) => {
      startError = error;
    });
    // 'close' comes after 'exit' once the output pipes are drained, so the tail is complete.
    child.once('close', (code, signal) => {
      running = false;
      file?.end();
      resolve({ code, signal, ...(startError ? { error: startError } : {}) });
    });
  });

  /** @param {number} [timeoutMs] */
  async function stop(timeoutMs = 10_000) {
    if (!running) return exited;
    stopping = true;
    child.kill(stopSignal);
    const finished = await withTimeout(exited, timeoutMs);
    if (finished) return finished;
    log(`${name} did not stop within ${Math.round(timeoutMs / 1000)} s; killing it`);
    if (ownGroup) killGroup(child, 'SIGKILL');
    else child.kill('SIGKILL');
    return exited;
  }

  return {
    name,
    child,
    exited,
    isRunning: () => running,
    isStopping: () => stopping,
    recentOutput: () => tail.join('\n'),
    stop,
  };
}

/**
 * Run a command to completion with prefixed output (e.g. migrations).
 * Rejects with the exit status and the last lines of output when it fails.
 * @param {object} options
 * @param {string} options.name
 * @param {string} options.command
 * @param {string[]} options.args
 * @param {NodeJS.ProcessEnv} [options.env]
 * @param {string} [options.cwd]
 * @param {LogFn | null} [options.output]
 * @returns {Promise<void>}
 */
async function runToCompletion(options) {
  // Same process group as ours: a terminal Ctrl-C stops a one-shot command directly.
  const proc = startProcess({ ...options, ownProcessGroup: false });
  const result = await proc.exited;
  if (result.code !== 0) {
    throw new Error(
      `${options.name} failed (${describeExit(result)}). Last output:\n${proc.recentOutput() || '(none)'}`,
    );
  }
}

/**
 * Resolves with the promise's value, or with null after `ms` milliseconds.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @returns {Promise<T | null>}
 */
async function withTimeout(promise, ms) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return /** @type {T | null} */ (await Promise.race([promise, timeout]));
  } finally {
    clearTimeout(timer);
  }
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Signals that mean "please stop" for the scripts. */
const SHUTDOWN_SIGNALS = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);

/**
 * Call `handler` on the first SIGINT/SIGTERM/SIGHUP. The handler does the
 * orderly shutdown and decides the exit code.
 *
 * A repeat within 2 s is ignored: under `npm start`, a terminal Ctrl-C reaches
 * this process twice (from the terminal and forwarded by npm). A later repeat
 * forces: every tracked child gets its force signal and the process exits 130.
 * @param {(signal: NodeJS.Signals) => void} handler
 * @param {LogFn} [log]
 * @returns {() => void} removes the signal handlers again
 */
function onShutdownSignal(handler, log = console.log) {
  let firstAt = 0;
  /** @param {NodeJS.Signals} signal */
  const listener = (signal) => {
    const now = Date.now();
    if (firstAt === 0) {
      firstAt = now;
      handler(signal);
      return;
    }
    if (now - firstAt < 2000) return;
    log(`Received ${signal} again: forcing exit`);
    for (const { child, forceSignal, group } of tracked) {
      if (group) killGroup(child, forceSignal);
      else child.kill(forceSignal);
    }
    process.exit(130);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, listener);
  return () => {
    for (const signal of SHUTDOWN_SIGNALS) process.removeListener(signal, listener);
  };
}

/**
 * @param {number} ms
 * @returns {string} e.g. "850 ms", "12.3 s", "4 min 05 s"
 */
function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

module.exports = {
  startProcess,
  runToCompletion,
  trackChild,
  removeDirIfOrphaned,
  onShutdownSignal,
  describeExit,
  withTimeout,
  sleep,
  formatDuration,
};
