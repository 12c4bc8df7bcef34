/** Shared plumbing of the benchmarks: a throwaway Temporal dev server and PostgreSQL, the built apps as processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export { numberArg } from './args';

/* eslint-disable @typescript-eslint/no-require-imports */
type LogFn = (line: string) => void;
const { ensureTemporalCli } = require('../../../scripts/lib/temporal-cli') as {
  ensureTemporalCli(o: { log?: LogFn }): Promise<string>;
};
const { startTemporalDevServer } = require('../../../scripts/lib/temporal-dev-server') as {
  startTemporalDevServer(o: {
    cli: string;
    port: number;
    uiPort: null;
    log?: LogFn;
    logFile?: string;
  }): Promise<{ address: string; process: { child: ChildProcess }; stop(): Promise<void> }>;
};
const { startPostgres } = require('../../../scripts/lib/postgres') as {
  startPostgres(o: { port: number; persistent: false; log?: LogFn }): Promise<{ url: string; stop(): Promise<void> }>;
};
export const { getFreePort } = require('../../../scripts/lib/ports') as { getFreePort(): Promise<number> };
const { nodeFlagsFor } = require('../../../scripts/lib/app-runtime') as {
  nodeFlagsFor(app: string, env: Record<string, string | undefined>): string[];
};
/* eslint-enable @typescript-eslint/no-require-imports */

export const ROOT = join(__dirname, '..', '..', '..');

export interface BenchStack {
  temporalAddress: string;
  /** The Temporal dev server process, for its CPU time. */
  temporalPid: number;
  databaseUrl: string;
  /** Starts a built app (`api`, `worker`) with the stack's settings plus `env`; stopped with the stack. */
  startApp(name: 'api' | 'worker', env: Record<string, string>): ChildProcess;
  /** Starts another built script (a baseline worker) the same way, with the worker's heap bound. */
  startScript(entry: string, env: Record<string, string>): ChildProcess;
  stop(): Promise<void>;
}

/** A throwaway PostgreSQL on a free loopback port, with Seamline's migrations run. */
export async function startMigratedPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const postgres = await startPostgres({ port: await getFreePort(), persistent: false, log: () => {} });
  try {
    await runNode(join(ROOT, 'dist', 'libs', 'persistence', 'src', 'migrate.js'), { DATABASE_URL: postgres.url });
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  return postgres;
}

/** Temporal (in memory, headless) and PostgreSQL (throwaway, migrated), both on free loopback ports. */
export async function startBenchStack(name: string, log: LogFn): Promise<BenchStack> {
  const cli = await ensureTemporalCli({ log });
  const [temporal, postgres] = await Promise.all([
    startTemporalDevServer({
      cli,
      port: await getFreePort(),
      uiPort: null,
      log: () => {},
      logFile: join(ROOT, 'test-output', `bench-${name}-temporal.log`),
    }),
    startPostgres({ port: await getFreePort(), persistent: false, log: () => {} }),
  ]);
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((child) => stopChild(child)));
    await Promise.all([temporal.stop(), postgres.stop()]);
  };
  try {
    await runNode(join(ROOT, 'dist', 'libs', 'persistence', 'src', 'migrate.js'), { DATABASE_URL: postgres.url });
  } catch (error) {
    await stop();
    throw error;
  }
  const spawnNode = (flags: string[], entry: string, env: Record<string, string>): ChildProcess => {
    const child = spawn(process.execPath, [...flags, entry], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: postgres.url,
        TEMPORAL_ADDRESS: temporal.address,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  return {
    temporalAddress: temporal.address,
    temporalPid: temporal.process.child.pid as number,
    databaseUrl: postgres.url,
    startApp(app, env) {
      const entry = join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
      return spawnNode(nodeFlagsFor(app, { ...process.env, ...env }), entry, env);
    },
    startScript(entry, env) {
      return spawnNode(nodeFlagsFor('worker', { ...process.env, ...env }), entry, env);
    },
    stop,
  };
}

export function runNode(entry: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${entry} exited with ${code}`))));
  });
}

export async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited during start-up (code ${child.exitCode})`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** Stops a child process: SIGTERM, then SIGKILL after 15 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
