import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { testEnv } from './stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getFreePort } = require('../../scripts/lib/ports') as { getFreePort(): Promise<number> };

const ROOT = join(__dirname, '..', '..');

export interface RunningApps {
  baseUrl: string;
  taskQueue: string;
  env: Record<string, string>;
  worker: AppProcess;
  api: AppProcess;
  stop(): Promise<void>;
}

export interface AppProcess {
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built worker and API as real processes (as `npm start` does) against the test stack,
 * on a task queue of their own, and waits until the API reports healthy.
 */
export async function startApps(extraEnv: Record<string, string> = {}): Promise<RunningApps> {
  const { temporalAddress, databaseUrl } = testEnv();
  const port = await getFreePort();
  const taskQueue = `e2e-${port}-${Date.now()}`;
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    API_PORT: String(port),
    API_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const worker = spawnApp('worker', env);
  const api = spawnApp('api', env);
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  try {
    await waitForHealthy(baseUrl, [worker, api]);
  } catch (error) {
    await Promise.all([api.stop('SIGKILL'), worker.stop('SIGKILL')]);
    throw error;
  }
  return {
    baseUrl,
    taskQueue,
    env,
    worker,
    api,
    async stop() {
      await api.stop();
      await worker.stop();
    },
  };
}

export function spawnApp(name: 'api' | 'worker', env: Record<string, string>): AppProcess {
  const entry = join(ROOT, 'dist', 'apps', name, 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (npm test builds before running jest)`);
  const child = spawn(process.execPath, [entry], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

async function waitForHealthy(baseUrl: string, processes: AppProcess[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const p of processes) {
      if (p.child.exitCode !== null) throw new Error(`an app exited during start-up:\n${p.output()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the API did not become healthy in 60 s:\n${processes.map((p) => p.output()).join('\n')}`);
}
