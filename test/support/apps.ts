import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Queue } from '../../libs/domain';
import { generateApiKey, hashPassword, IdentityRepository, type UserRole } from '../../libs/persistence';
import { repoRoot } from './repo-root';
import { TEST_PAYLOAD_KEYS, testEnv } from './stack';

// From the repository root, so this also works compiled into dist/ (the chaos runner uses it).
const ROOT = repoRoot();
/* eslint-disable @typescript-eslint/no-require-imports */
const { getFreePort } = require(join(ROOT, 'scripts', 'lib', 'ports')) as { getFreePort(): Promise<number> };
const { nodeFlagsFor } = require(join(ROOT, 'scripts', 'lib', 'app-runtime')) as {
  nodeFlagsFor(app: string, env: Record<string, string | undefined>): string[];
};
/* eslint-enable @typescript-eslint/no-require-imports */

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
  /** The last 20,000 characters of stdout and stderr. */
  output(): string;
  /** Everything the process wrote to stdout and stderr (up to 20 MB), for tests that read every log line. */
  fullOutput(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built worker and API as real processes (as `npm start` does) against the test stack,
 * on a task queue of their own, and waits until the API reports healthy.
 */
export async function startApps(extraEnv: Record<string, string> = {}): Promise<RunningApps> {
  const { temporalAddress, databaseUrl } = testEnv();
  // a test that must know the API's address beforehand (Temporal UI's codec endpoint) passes API_PORT
  const port = extraEnv.API_PORT ? Number(extraEnv.API_PORT) : await getFreePort();
  const taskQueue = `e2e-${port}-${Date.now()}`;
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    API_PORT: String(port),
    API_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // One signing key per test stack, so tokens stay valid when a test restarts the API with `env`.
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    // The stacks share one database: earned autonomy would learn from every spec's outcomes at once. Specs run on
    // the fixed policy unless they ask for earned autonomy, on a database of their own (isolatedDatabase).
    ROUTING_AUTONOMY: 'fixed',
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
  const running: RunningApps = {
    baseUrl,
    taskQueue,
    env,
    worker,
    api,
    // Tests may replace `worker` or `api` (a restart): stop whichever runs now.
    async stop() {
      await running.api.stop();
      await running.worker.stop();
    },
  };
  return running;
}

export function spawnApp(name: 'api' | 'worker', env: Record<string, string>): AppProcess {
  const entry = join(ROOT, 'dist', 'apps', name, 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (npm test builds before running jest)`);
  const child = spawn(process.execPath, [...nodeFlagsFor(name, env), entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const all: Buffer[] = [];
  let allBytes = 0;
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
    if (allBytes < 20_000_000) {
      all.push(chunk);
      allBytes += chunk.length;
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    fullOutput: () => Buffer.concat(all).toString('utf8'),
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

// ---- Authentication for tests --------------------------------------------------------------------------------

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: UserRole;
  queues: Queue[];
  /** `Authorization: Bearer <token>` from a real login over HTTP. */
  headers: Record<string, string>;
}

/** Runs `fn` with the identity repository on the apps' database. */
async function withIdentities<T>(apps: RunningApps, fn: (repo: IdentityRepository) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: apps.env.DATABASE_URL ?? testEnv().databaseUrl });
  await client.connect();
  try {
    return await fn(new IdentityRepository({ query: async (text, params) => (await client.query(text, params)).rows }));
  } finally {
    await client.end();
  }
}

/** A fresh user of `role` (unique email), signed in through POST /auth/login. */
export async function createTestUser(
  apps: RunningApps,
  role: UserRole,
  queues: Queue[] = [],
  name?: string,
): Promise<TestUser> {
  const email = `${role}.${randomUUID()}@test.seamline.local`;
  const password = `pw-${randomUUID()}`;
  const user = await withIdentities(apps, async (repo) =>
    repo.createUser({
      email,
      displayName: name ?? `Test ${role}`,
      role,
      passwordHash: await hashPassword(password),
      queues,
    }),
  );
  const res = await fetch(`${apps.baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`test login failed: ${res.status} ${await res.text()}`);
  const { accessToken } = (await res.json()) as { accessToken: string };
  return { id: user.id, email, password, role, queues, headers: { authorization: `Bearer ${accessToken}` } };
}

/** A fresh ingest-only API key, as `X-Api-Key` headers. */
export async function createIngestKey(apps: RunningApps): Promise<Record<string, string>> {
  const key = generateApiKey();
  await withIdentities(apps, (repo) =>
    repo.createApiKey({ name: `test-${randomUUID()}`, scopes: ['ingest'], createdBy: null }, key),
  );
  return { 'x-api-key': key.token };
}

/**
 * Headers that authenticate as a fresh principal: an ingest API key (`ingest`, may only ingest), or a signed-in
 * user of the given role (supervisors and admins see every queue; agents only `queues`).
 */
export async function authHeaders(
  apps: RunningApps,
  who: 'ingest' | UserRole,
  queues: Queue[] = [],
): Promise<Record<string, string>> {
  if (who === 'ingest') return createIngestKey(apps);
  return (await createTestUser(apps, who, queues)).headers;
}
