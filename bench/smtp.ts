/**
 * Inbound SMTP burst over loopback: the built API (SMTP listener on) and worker against a throwaway PostgreSQL and
 * an in-memory Temporal dev server, fed by nodemailer.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/smtp.js [--messages 1000] [--concurrency 20]
 *
 * Sends `--messages` distinct support emails over `--concurrency` SMTP connections (a bounded loop), timing each
 * from DATA to the server's 250. Then waits (bounded) until every message is stored and its ticket routed by the
 * workflow, sampling the API process's RSS throughout. Prints accepted messages/s, p50/p99 time to 250, the
 * API's memory, and ends with one JSON line `{"bench":"smtp",...}`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { Client } from 'pg';
import { numberArg } from './lib/args';

/* eslint-disable @typescript-eslint/no-require-imports */
type LogFn = (line: string) => void;
const ROOT = join(__dirname, '..', '..');
const { ensureTemporalCli } = require(join(ROOT, 'scripts/lib/temporal-cli')) as {
  ensureTemporalCli(o: { log?: LogFn }): Promise<string>;
};
const { startTemporalDevServer } = require(join(ROOT, 'scripts/lib/temporal-dev-server')) as {
  startTemporalDevServer(o: {
    cli: string;
    port: number;
    uiPort: null;
    log?: LogFn;
    logFile?: string;
  }): Promise<{ address: string; stop(): Promise<void> }>;
};
const { startPostgres } = require(join(ROOT, 'scripts/lib/postgres')) as {
  startPostgres(o: { port: number; persistent: false; log?: LogFn }): Promise<{ url: string; stop(): Promise<void> }>;
};
const { getFreePort } = require(join(ROOT, 'scripts/lib/ports')) as { getFreePort(): Promise<number> };
const { runToCompletion } = require(join(ROOT, 'scripts/lib/processes')) as {
  runToCompletion(o: {
    name: string;
    command: string;
    args: string[];
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    output?: LogFn | null;
  }): Promise<void>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const SUPPORT = 'support@shop.test';
const ROUTE_TIMEOUT_MS = 10 * 60_000;
const log: LogFn = (line) => process.stderr.write(`${line}\n`);

const BODIES = [
  'Hi, my parcel for order {ORDER} has not moved for five days. Where is it?',
  'Hello, I would like to return the jacket from order {ORDER}, it is too small. How do I do that?',
  'The mug from order {ORDER} arrived broken. Can you send a new one?',
  'Please cancel order {ORDER}, I ordered it twice by mistake.',
  'I was charged twice for order {ORDER}. Please refund the second payment.',
  'Can I change the delivery address of order {ORDER}? I am moving next week.',
];

function message(i: number, run: string, kind: 'bench' | 'warm' = 'bench'): Promise<Buffer> {
  const order = `SL-${50_000 + i}`;
  return new MailComposer({
    from: `Customer ${i} <${kind}-${i}.${run}@example.com>`,
    to: SUPPORT,
    subject: `Order ${order}`,
    messageId: `<${kind}-${i}.${run}@mail.example.com>`,
    date: new Date(Date.UTC(2025, 2, 20, 10, 0, i % 60)),
    text: `${(BODIES[i % BODIES.length] as string).replace('{ORDER}', order)}\n\nThanks,\nCustomer ${i}\n\nOn Mon, 17 Mar 2025, Shop Support <${SUPPORT}> wrote:\n> Thank you for your order ${order}.\n`,
  })
    .compile()
    .build();
}

function rssMb(pid: number): number {
  try {
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function spawnApp(
  name: 'api' | 'worker',
  env: Record<string, string>,
): { child: ChildProcess; output(): string; stop(): Promise<void> } {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', name, 'src', 'main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-10_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitHealthy(baseUrl: string, apps: { child: ChildProcess; output(): string }[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const app of apps)
      if (app.child.exitCode !== null) throw new Error(`an app exited during start-up:\n${app.output()}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the API did not become healthy in 60 s');
}

async function send(transport: Transporter, raw: Buffer): Promise<number> {
  try {
    const info = (await transport.sendMail({ envelope: { from: 'mta@relay.test', to: [SUPPORT] }, raw })) as {
      response: string;
    };
    return Number(info.response.slice(0, 3));
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    if (typeof code === 'number') return code;
    throw error;
  }
}

async function main(): Promise<void> {
  const total = Math.floor(numberArg('messages', 1000));
  const concurrency = Math.min(Math.floor(numberArg('concurrency', 20)), total);
  const run = `b${Date.now().toString(36)}`;
  const stops: (() => Promise<void>)[] = [];
  try {
    const cli = await ensureTemporalCli({ log: () => {} });
    const [temporal, postgres] = await Promise.all([
      getFreePort().then((port) =>
        startTemporalDevServer({
          cli,
          port,
          uiPort: null,
          log: () => {},
          logFile: join(ROOT, 'test-output', 'bench-smtp-temporal.log'),
        }),
      ),
      getFreePort().then((port) => startPostgres({ port, persistent: false, log: () => {} })),
    ]);
    stops.push(
      () => temporal.stop(),
      () => postgres.stop(),
    );
    await runToCompletion({
      name: 'migrate',
      command: process.execPath,
      args: [join(ROOT, 'dist', 'libs', 'persistence', 'src', 'migrate.js')],
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: postgres.url },
      output: null,
    });

    const apiPort = await getFreePort();
    const smtpPort = await getFreePort();
    const env: Record<string, string> = {
      DATABASE_URL: postgres.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: `bench-smtp-${run}`,
      API_PORT: String(apiPort),
      LOG_LEVEL: 'warn',
      AUTO_SEND_ENABLED: 'false',
      INBOUND_SMTP_ENABLED: 'true',
      INBOUND_SMTP_PORT: String(smtpPort),
      INBOUND_SMTP_MAX_CLIENTS: String(Math.max(20, concurrency)),
      SUPPORT_ADDRESSES: SUPPORT,
    };
    const worker = spawnApp('worker', env);
    const api = spawnApp('api', env);
    stops.push(
      () => worker.stop(),
      () => api.stop(),
    );
    await waitHealthy(`http://127.0.0.1:${apiPort}/api/v1`, [worker, api]);
    const apiPid = api.child.pid as number;

    const transports = Array.from({ length: concurrency }, () =>
      nodemailer.createTransport({
        host: '127.0.0.1',
        port: smtpPort,
        secure: false,
        ignoreTLS: true,
        pool: true,
        maxConnections: 1,
        maxMessages: Infinity,
      }),
    );
    stops.push(async () => transports.forEach((t) => t.close()));

    // Warm-up: connections, parser processes, JIT (not counted).
    const warm = await Promise.all(transports.map(async (t, i) => send(t, await message(i, run, 'warm'))));
    if (warm.some((c) => c !== 250)) throw new Error(`warm-up messages were refused: ${warm.join(',')}`);

    const rssStart = rssMb(apiPid);
    let rssPeak = rssStart;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(apiPid))), 50);
    const latencies: number[] = [];
    const codes = new Map<number, number>();
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      transports.map(async (transport) => {
        for (let i = next++; i < total; i = next++) {
          const raw = await message(i, run);
          const t0 = process.hrtime.bigint();
          const code = await send(transport, raw);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }
      }),
    );
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const rssAfterBurst = rssMb(apiPid);
    const accepted = codes.get(250) ?? 0;

    const db = new Client({ connectionString: postgres.url });
    await db.connect();
    stops.push(() => db.end());
    const pattern = `<bench-%.${run}@mail.example.com>`;
    const routeStart = Date.now();
    let stored = 0;
    let routed = 0;
    while (Date.now() - routeStart < ROUTE_TIMEOUT_MS) {
      stored = (
        await db.query(
          `SELECT count(*)::int AS n FROM inbound_raw_messages WHERE status = 'accepted' AND message_key LIKE $1`,
          [pattern],
        )
      ).rows[0].n;
      routed = (
        await db.query(
          `SELECT count(DISTINCT t.id)::int AS n FROM messages m JOIN tickets t ON t.id = m.ticket_id
            WHERE m.message_id LIKE $1 AND t.route IS NOT NULL`,
          [pattern],
        )
      ).rows[0].n;
      if (stored >= total && routed >= total) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const routedAfterMs = Date.now() - routeStart;
    clearInterval(sampler);
    const rssEnd = rssMb(apiPid);

    latencies.sort((a, b) => a - b);
    const result = {
      bench: 'smtp',
      messages: total,
      concurrency,
      accepted,
      answers: Object.fromEntries(codes),
      acceptedPerSec: Math.round((accepted / elapsedMs) * 1000 * 10) / 10,
      burstMs: Math.round(elapsedMs),
      p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
      p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
      maxMs: Math.round((latencies.at(-1) ?? NaN) * 10) / 10,
      stored,
      routed,
      routedWithinMsAfterBurst: routedAfterMs,
      apiRssMb: {
        start: Math.round(rssStart),
        peak: Math.round(rssPeak),
        afterBurst: Math.round(rssAfterBurst),
        end: Math.round(rssEnd),
      },
      node: process.version,
    };
    console.log(`SMTP burst: ${total} messages over ${concurrency} connections in ${(elapsedMs / 1000).toFixed(1)} s`);
    console.log(`  accepted (250): ${accepted}/${total}  → ${result.acceptedPerSec} msgs/s`);
    console.log(`  time to 250: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms`);
    console.log(`  stored ${stored}, routed ${routed} (all routed ${routedAfterMs} ms after the burst)`);
    console.log(
      `  API RSS: start ${result.apiRssMb.start} MB, peak ${result.apiRssMb.peak} MB, end ${result.apiRssMb.end} MB`,
    );
    console.log(JSON.stringify(result));
    if (accepted !== total || stored !== total || routed !== total) process.exitCode = 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`cleanup: ${String(error)}`));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
