/**
 * The inbox under load at 100,000 tickets.
 *
 *   npm run build && node dist/bench/inbox.js [--tickets 100000] [--seconds 8] [--connections 4]
 *
 * Starts its own throwaway PostgreSQL and Temporal dev server (the API needs Temporal to boot), migrates, seeds
 * `--tickets` tickets straight into the read model (realistic triage blobs, messages, audit rows; ~60 % waiting
 * for a person, spread over the five queues with deadlines from two days overdue to three days ahead), starts
 * the built API on loopback, signs in as an agent (two queues) and a supervisor (all queues), and measures with
 * autocannon (bounded: fixed connections and duration):
 *   - GET /api/v1/inbox as the agent and as the supervisor (first page, 50 items, SLA order),
 *   - GET /api/v1/inbox deep in the list (a cursor 2,000 items in),
 *   - GET /api/v1/tickets/:id (the briefing; rotating over 1,000 tickets),
 *   - GET /api/v1/inbox/counts (the queue badges; served from a per-process cache that every ticket change clears,
 *     so its SQL baseline — a count over every waiting ticket — is what a cache miss costs).
 * As the baseline, the same repository queries run directly against PostgreSQL with the same concurrency in the
 * same run. Prints a table, the plan of the inbox query, and one JSON line `{"bench":"inbox",...}`.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import {
  classifyOffline,
  DEFAULT_ROUTING_POLICY,
  draftOffline,
  QUEUES,
  routeTicket,
  scoreConfidence,
  type OrderSnapshot,
  type Queue,
  type TriageOutcome,
} from '../libs/domain';
import {
  createDataSource,
  DEFAULT_INBOX_STATUSES,
  hashPassword,
  IdentityRepository,
  InboxRepository,
  TicketRepository,
} from '../libs/persistence';
import { numberArg } from './lib/args';

/* eslint-disable @typescript-eslint/no-require-imports */
type LogFn = (line: string) => void;
const { ensureTemporalCli } = require('../../scripts/lib/temporal-cli') as {
  ensureTemporalCli(o: { log?: LogFn }): Promise<string>;
};
const { startTemporalDevServer } = require('../../scripts/lib/temporal-dev-server') as {
  startTemporalDevServer(o: {
    cli: string;
    port: number;
    uiPort: null;
    log?: LogFn;
    logFile?: string;
  }): Promise<{ address: string; stop(): Promise<void> }>;
};
const { startPostgres } = require('../../scripts/lib/postgres') as {
  startPostgres(o: { port: number; persistent: false; log?: LogFn }): Promise<{ url: string; stop(): Promise<void> }>;
};
const { getFreePort } = require('../../scripts/lib/ports') as { getFreePort(): Promise<number> };
/* eslint-enable @typescript-eslint/no-require-imports */

const ROOT = join(__dirname, '..', '..');
const log: LogFn = (line) => process.stderr.write(`[bench:inbox] ${line}\n`);

const TICKETS = Math.floor(numberArg('tickets', 100_000));
const SECONDS = numberArg('seconds', 8);
const CONNECTIONS = Math.floor(numberArg('connections', 4));
const AGENT_QUEUES: Queue[] = ['standard', 'priority'];

interface Measured {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  rps: number;
  requests: number;
  errors: number;
}

async function main(): Promise<void> {
  const cli = await ensureTemporalCli({ log });
  const [temporal, postgres] = await Promise.all([
    startTemporalDevServer({
      cli,
      port: await getFreePort(),
      uiPort: null,
      log: () => {},
      logFile: join(ROOT, 'test-output', 'bench-inbox-temporal.log'),
    }),
    startPostgres({ port: await getFreePort(), persistent: false, log: () => {} }),
  ]);
  const children: ChildProcess[] = [];
  let db: DataSource | null = null;
  try {
    await runNode(join(ROOT, 'dist', 'libs', 'persistence', 'src', 'migrate.js'), { DATABASE_URL: postgres.url });
    db = await createDataSource({
      url: postgres.url,
      poolSize: CONNECTIONS,
      applicationName: 'bench-inbox',
    }).initialize();

    const seedStarted = performance.now();
    const ids = await seed(db, TICKETS);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(`seeded ${TICKETS} tickets in ${seedSeconds.toFixed(1)} s`);

    const identities = new IdentityRepository(db);
    const password = `bench-${randomUUID()}`;
    const passwordHash = await hashPassword(password);
    const agent = await identities.createUser({
      email: 'agent@bench.local',
      displayName: 'Bench Agent',
      role: 'agent',
      passwordHash,
      queues: AGENT_QUEUES,
    });
    const supervisor = await identities.createUser({
      email: 'supervisor@bench.local',
      displayName: 'Bench Supervisor',
      role: 'supervisor',
      passwordHash,
      queues: [],
    });

    const port = await getFreePort();
    const api = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: postgres.url,
        TEMPORAL_ADDRESS: temporal.address,
        API_PORT: String(port),
        API_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATABASE_POOL_SIZE: String(CONNECTIONS),
        AUTH_JWT_SECRET: randomUUID() + randomUUID(),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(api);
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(`${base}/api/v1/health`, api);
    const agentToken = await login(base, agent.email, password);
    const supervisorToken = await login(base, supervisor.email, password);

    // A cursor 2,000 items deep into the supervisor's list (walk 40 pages of 50).
    let deepCursor: string | null = null;
    for (let page = 0; page < 40; page++) {
      const q: string = deepCursor ? `&cursor=${deepCursor}` : '';
      const res = await fetch(`${base}/api/v1/inbox?limit=50${q}`, {
        headers: { authorization: `Bearer ${supervisorToken}` },
      });
      deepCursor = ((await res.json()) as { nextCursor: string | null }).nextCursor;
    }
    if (!deepCursor) throw new Error('the seeded inbox is shorter than 2,000 items');

    const briefingIds = ids.slice(0, 1000);
    let next = 0;
    const briefingPath = () => `/api/v1/tickets/${briefingIds[next++ % briefingIds.length]}`;

    const targets = {
      inboxAgent: { path: '/api/v1/inbox', token: agentToken },
      inboxSupervisor: { path: '/api/v1/inbox', token: supervisorToken },
      inboxDeepPage: { path: `/api/v1/inbox?cursor=${deepCursor}`, token: supervisorToken },
      briefing: { path: briefingPath, token: supervisorToken },
      counts: { path: '/api/v1/inbox/counts', token: supervisorToken },
    };
    // Warm every endpoint first (JIT, connection pools, PostgreSQL buffers), then measure each in turn.
    for (const t of Object.values(targets)) await load(base, t.path, t.token, 2);
    const http = {
      inboxAgent: await load(base, targets.inboxAgent.path, targets.inboxAgent.token),
      inboxSupervisor: await load(base, targets.inboxSupervisor.path, targets.inboxSupervisor.token),
      inboxDeepPage: await load(base, targets.inboxDeepPage.path, targets.inboxDeepPage.token),
      briefing: await load(base, targets.briefing.path, targets.briefing.token),
      counts: await load(base, targets.counts.path, targets.counts.token),
    };

    // Baseline: the same repository queries, straight to PostgreSQL, same concurrency.
    const inbox = new InboxRepository(db);
    const tickets = new TicketRepository(db);
    const deep = JSON.parse(Buffer.from(deepCursor, 'base64url').toString('utf8')) as [string | null, string];
    let nextDb = 0;
    const sql = {
      inboxAgent: await loadDb(() => inbox.list({ queues: AGENT_QUEUES, statuses: DEFAULT_INBOX_STATUSES, limit: 51 })),
      inboxSupervisor: await loadDb(() => inbox.list({ queues: QUEUES, statuses: DEFAULT_INBOX_STATUSES, limit: 51 })),
      inboxDeepPage: await loadDb(() =>
        inbox.list({
          queues: QUEUES,
          statuses: DEFAULT_INBOX_STATUSES,
          limit: 51,
          after: { deadline: deep[0], id: deep[1] },
        }),
      ),
      briefing: await loadDb(() => tickets.findView(briefingIds[nextDb++ % briefingIds.length] as string)),
      counts: await loadDb(() => inbox.counts(QUEUES)),
    };

    const plan = await explainInbox(db);
    const table = Object.keys(http).map((k) => {
      const h = http[k as keyof typeof http];
      const s = sql[k as keyof typeof sql];
      return (
        `${k.padEnd(16)} HTTP p50 ${h.p50.toFixed(1).padStart(6)} ms  p99 ${h.p99.toFixed(1).padStart(6)} ms  ${h.rps.toFixed(0).padStart(6)} req/s  errors ${h.errors}` +
        `   |  SQL p50 ${s.p50.toFixed(2).padStart(6)} ms  p99 ${s.p99.toFixed(2).padStart(6)} ms  ${s.rps.toFixed(0).padStart(6)} q/s`
      );
    });
    log(`load: ${CONNECTIONS} connections × ${SECONDS} s per endpoint on loopback`);
    for (const line of table) log(line);
    log(`inbox plan (supervisor, first page): ${plan.summary}`);

    const waiting = (await db.query(
      `SELECT count(*)::int AS n FROM tickets WHERE status IN ('awaiting_review','escalated')`,
    )) as { n: number }[];
    console.log(
      JSON.stringify({
        bench: 'inbox',
        tickets: TICKETS,
        waiting: waiting[0]?.n ?? null,
        connections: CONNECTIONS,
        secondsPerEndpoint: SECONDS,
        seedSeconds: round(seedSeconds),
        http,
        sql,
        inboxP99UnderTarget: http.inboxAgent.p99 < 50 && http.inboxSupervisor.p99 < 50,
        plan: { usesInboxIndex: plan.usesIndex, executionMs: plan.executionMs },
        machine: { cpus: cpus().length, loadavg1m: round(loadavg()[0] ?? 0) },
      }),
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await db?.destroy().catch(() => {});
    await Promise.all([temporal.stop(), postgres.stop()]);
  }
}

// ---- Seeding ----------------------------------------------------------------------------------------------

const TEMPLATE_MESSAGES = [
  'Hi, where is my order SL-{N}? The tracking has not moved for five days.',
  'I would like to return the jacket from order SL-{N}, it is too small. How do I send it back?',
  'My package SL-{N} arrived broken, the box was crushed. I want a replacement.',
  'Please cancel order SL-{N}, I ordered it by mistake.',
  'You sent me the wrong size for SL-{N}. I ordered a medium and got an XL.',
  'I was charged twice for order SL-{N}. This is the third time I write, I am really upset!',
  'Can I change the delivery address on order SL-{N}? I am moving next week.',
  'Does the oak desk come in a darker colour, and what is the warranty?',
  'Your checkout does not work with my screen reader, I cannot finish my purchase.',
  'I did not place order SL-{N} and I do not recognise the charge. Someone used my card.',
  'If I do not get my refund for SL-{N} this week I will contact my lawyer.',
  'Can I please talk to a real person about order SL-{N}?',
];

function templates(): TriageOutcome[] {
  const policy = {
    storeName: 'Seamline Demo Store',
    returnWindowDays: 30,
    refundProcessingDays: 5,
    domesticShippingDays: '3-5 business days',
    internationalShippingDays: '7-14 business days',
    supportSignature: 'The Seamline Demo Store support team',
  };
  return TEMPLATE_MESSAGES.map((template, i) => {
    const orderNumber = `SL-${20000 + i}`;
    const order: OrderSnapshot = {
      orderNumber,
      status: 'shipped',
      placedAt: '2025-11-20T10:15:00Z',
      total: 59.9 + i * 10,
      currency: 'USD',
      lines: [{ sku: `SKU-${i}`, name: 'Organic cotton T-shirt', quantity: 2, unitPrice: 29.95 + i * 5 }],
      shipments: [
        {
          carrier: 'UPS',
          trackingNumber: `1Z999AA1012345678${i}`,
          status: 'in_transit',
          items: [`SKU-${i}`],
          estimatedDelivery: '2025-11-28',
        },
      ],
      shippingCountry: 'US',
      international: false,
      customer: {
        customerId: `C${i}`,
        name: 'Casey Example',
        email: 'casey@example.com',
        vip: i % 5 === 0,
        recentContacts: i % 4,
      },
    };
    const classification = classifyOffline({
      subject: 'Order question',
      text: template.replace('{N}', String(20000 + i)),
    });
    const draft = draftOffline({
      classification,
      order,
      policy,
      customerName: 'Casey',
      version: 1,
      requestedOrderNumber: orderNumber,
    });
    const confidence = scoreConfidence({ classification, order, draft, requestedOrderNumber: orderNumber });
    const decision = routeTicket({
      classification,
      order,
      confidence,
      draft,
      policy: DEFAULT_ROUTING_POLICY,
      autoSendEnabled: false,
    });
    return { classification, order, draft, confidence, decision };
  });
}

/** Inserts `count` tickets with messages and audit rows in batches; answers the ids of waiting tickets. */
async function seed(db: DataSource, count: number): Promise<string[]> {
  const outcomes = templates();
  await db.query(`CREATE TEMP TABLE bench_triage (k int PRIMARY KEY, triage jsonb NOT NULL)`);
  for (const [k, outcome] of outcomes.entries()) {
    await db.query(`INSERT INTO bench_triage (k, triage) VALUES ($1, $2)`, [k, JSON.stringify(outcome)]);
  }
  const batch = 20_000;
  for (let from = 0; from < count; from += batch) {
    const to = Math.min(count, from + batch) - 1;
    // Deterministic spread: 60 % waiting (awaiting_review / escalated), the rest resolved or closed; five queues;
    // deadlines from 48 h overdue to 72 h ahead; a few without a deadline yet.
    await db.query(
      `WITH s AS (
         SELECT i, gen_random_uuid() AS id,
                (ARRAY['risk','priority','accessibility','standard','escalations'])[1 + (i * 7 % 5)] AS queue,
                CASE WHEN i % 10 < 4 THEN 'awaiting_review' WHEN i % 10 < 6 THEN 'escalated' WHEN i % 10 < 8 THEN 'resolved' ELSE 'closed' END AS status,
                (ARRAY['low','normal','normal','high','urgent'])[1 + (i * 3 % 5)] AS priority
           FROM generate_series($1::int, $2::int) AS i
       ), t AS (
         INSERT INTO tickets (id, workflow_id, status, customer_email, subject, order_number, route, queue, priority, confidence,
                              draft_version, escalated, sla_state, sla_deadline, state_seq, triage, created_at, updated_at)
         SELECT s.id, 'ticket-' || s.id, s.status, 'customer' || s.i || '@example.com', 'Question about order SL-' || (20000 + s.i % 1000),
                'SL-' || (20000 + s.i % 1000), CASE WHEN s.status = 'escalated' THEN 'escalate' ELSE 'review' END, s.queue, s.priority,
                round((0.3 + (s.i % 70) / 100.0)::numeric, 3), 1, s.status = 'escalated',
                CASE WHEN s.i % 97 = 0 THEN 'breached' ELSE 'ok' END,
                CASE WHEN s.i % 211 = 0 THEN NULL ELSE now() - interval '48 hours' + ((s.i * 7919) % 432000) * interval '1 second' END,
                3, b.triage, now() - ((s.i * 31) % 604800) * interval '1 second', now()
           FROM s JOIN bench_triage b ON b.k = s.i % ${outcomes.length}
         RETURNING id, created_at
       ), m AS (
         INSERT INTO messages (ticket_id, message_id, direction, from_email, from_name, subject, body_text, body_html, received_at)
         SELECT t.id, '<' || t.id || '@bench.example>', 'inbound', 'customer@example.com', 'Casey Example', 'Question about my order',
                'Hi, where is my order? The tracking has not moved for five days. Thanks, Casey',
                '<p>Hi, where is my <b>order</b>?</p><p>The tracking has not moved for five days.</p><img src="https://tracker.example/p.gif">',
                t.created_at
           FROM t
       )
       INSERT INTO ticket_audit (ticket_id, key, actor, action, before, after, created_at)
       SELECT t.id, 'bench:' || t.id || ':' || n, 'system', CASE n WHEN 1 THEN 'claim' ELSE 'note' END, NULL,
              jsonb_build_object('text', 'Checked the carrier page; waiting for an update.'), t.created_at + n * interval '1 minute'
         FROM t CROSS JOIN generate_series(1, 2) AS n`,
      [from, to],
    );
  }
  // Steady state: autovacuum would have set the visibility map and statistics by now.
  await db.query(`VACUUM ANALYZE tickets`);
  await db.query(`VACUUM ANALYZE messages`);
  await db.query(`VACUUM ANALYZE ticket_audit`);
  const rows = (await db.query(
    `SELECT id FROM tickets WHERE status IN ('awaiting_review','escalated') ORDER BY id LIMIT 1000`,
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

// ---- Measuring --------------------------------------------------------------------------------------------

async function load(base: string, path: string | (() => string), token: string, seconds = SECONDS): Promise<Measured> {
  const headers = { authorization: `Bearer ${token}` };
  const requests =
    typeof path === 'string'
      ? [{ method: 'GET' as const, path, headers }]
      : [{ method: 'GET' as const, headers, setupRequest: (req: object) => ({ ...req, path: path() }) }];
  const result = await autocannon({ url: base, connections: CONNECTIONS, duration: seconds, requests, pipelining: 1 });
  return {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    rps: round(result.requests.average),
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
  };
}

/** The same work without HTTP: CONNECTIONS concurrent loops for SECONDS, each timing every query. */
async function loadDb(query: () => Promise<unknown>): Promise<Measured> {
  const run = async (seconds: number): Promise<number[]> => {
    const samples: number[] = [];
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < end) {
          const started = performance.now();
          await query();
          samples.push(performance.now() - started);
        }
      }),
    );
    return samples;
  };
  await run(2);
  const samples = (await run(SECONDS)).sort((a, b) => a - b);
  const at = (q: number) => round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0);
  return {
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: round(samples.at(-1) ?? 0),
    rps: round(samples.length / SECONDS),
    requests: samples.length,
    errors: 0,
  };
}

async function explainInbox(
  db: DataSource,
): Promise<{ summary: string; usesIndex: boolean; executionMs: number | null }> {
  // The same statement InboxRepository.list sends, captured by wrapping its query function.
  let captured: { text: string; params: unknown[] } | null = null;
  await new InboxRepository({
    query: async (text: string, params?: unknown[]) => {
      captured = { text, params: params ?? [] };
      return [];
    },
  }).list({ queues: QUEUES, statuses: DEFAULT_INBOX_STATUSES, limit: 51 });
  const statement = captured as { text: string; params: unknown[] } | null;
  if (!statement) return { summary: 'no statement', usesIndex: false, executionMs: null };
  const rows = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${statement.text}`, statement.params)) as {
    'QUERY PLAN': string;
  }[];
  const text = rows.map((r) => r['QUERY PLAN']).join('\n');
  const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? NaN);
  return {
    summary: text
      .split('\n')
      .filter((l) => /Index (Only )?Scan|Sort Method|Execution Time/.test(l))
      .map((l) =>
        l
          .trim()
          .replace(/^->\s*/, '')
          .replace(/\s+\(cost.*$/, ''),
      )
      .join(' › '),
    usesIndex: text.includes('tickets_inbox_idx'),
    executionMs: Number.isFinite(executionMs) ? executionMs : null,
  };
}

// ---- Plumbing ---------------------------------------------------------------------------------------------

async function login(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the API exited during start-up');
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the API did not become healthy in 60 s');
}

function runNode(script: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`))));
  });
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
