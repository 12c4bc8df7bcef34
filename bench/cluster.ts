/**
 * Seamline on a two-node Temporal cluster: pipeline throughput with one worker and with two, in the same run, and
 * ingest-to-routed latency at a fixed arrival rate.
 *
 *   npm run build && node dist/bench/cluster.js [--tickets 200] [--concurrency 16] [--rate 5] [--seconds 30]
 *
 * Starts PostgreSQL, a Temporal cluster of two server nodes behind one frontend address (scripts/cluster.js), two
 * workers and two API instances, and seeds the demo store. Throughput: `--tickets` messages posted over HTTP with
 * at most `--concurrency` in flight, first with one worker (the other stopped), then with both; a ticket counts
 * when the read model shows its route. Latency: `--rate` tickets per second for `--seconds`, each posted at its
 * time whatever the others do, with both workers. Prints a table and ends with one JSON line `{"bench":"cluster",...}`.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDataSource, generateApiKey, IdentityRepository, seedDemoStore } from '../libs/persistence';
import { numberArg, percentile, ROOT, round } from './lib/stack';

/* eslint-disable @typescript-eslint/no-require-imports */
interface ClusterApp {
  name: string;
  baseUrl: string | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}
const { startClusterStack } = require('../../scripts/cluster') as {
  startClusterStack(o: { workers: number; apis: number; logDir?: string; log?: (line: string) => void }): Promise<{
    databaseUrl: string;
    temporalAddress: string;
    workers: ClusterApp[];
    apis: ClusterApp[];
    stop(): Promise<void>;
  }>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const TICKETS = Math.floor(numberArg('tickets', 200));
const CONCURRENCY = Math.floor(numberArg('concurrency', 16));
const RATE = numberArg('rate', 5);
const SECONDS = numberArg('seconds', 30);
const log = (line: string): void => void process.stderr.write(`[bench:cluster] ${line}\n`);

const TEXTS = [
  (o: string) => `Hi, where is my order ${o}? Thanks!`,
  (o: string) => `Hello, I would like to return the shirt from order ${o}, it is too small. How do I send it back?`,
  (o: string) => `My package ${o} arrived damaged, the box was crushed. What can you do?`,
  (o: string) => `Please cancel order ${o}, I ordered it by mistake.`,
  (o: string) => `I was charged twice for order ${o}. Please fix this.`,
];

type Db = Awaited<ReturnType<ReturnType<typeof createDataSource>['initialize']>>;
interface Customer {
  email: string;
  order_number: string;
}
interface Throughput {
  workers: number;
  tickets: number;
  seconds: number;
  perSecond: number;
}

async function main(): Promise<void> {
  const stack = await startClusterStack({
    workers: 2,
    apis: 2,
    logDir: join(ROOT, 'test-output', 'bench-cluster'),
    log,
  });
  let db: Db | undefined;
  try {
    db = await createDataSource({ url: stack.databaseUrl, poolSize: 4, applicationName: 'bench-cluster' }).initialize();
    await seedDemoStore(db, { customers: 300 });
    const customers: Customer[] = await db.query(
      `SELECT c.email, o.order_number FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.order_number`,
    );
    const key = generateApiKey();
    await new IdentityRepository(db).createApiKey({ name: 'bench-cluster', scopes: ['ingest'], createdBy: null }, key);
    const bases = stack.apis.map((a) => a.baseUrl as string);
    let turn = 0;
    let serial = 0;
    const post = async (): Promise<{ id: string; sentAt: number }> => {
      const i = serial++;
      const customer = customers[i % customers.length] as Customer;
      const sentAt = performance.now();
      const res = await fetch(`${bases[turn++ % bases.length]}/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key.token },
        body: JSON.stringify({
          messageId: `<bench-${i}-${randomUUID()}@bench.example.com>`,
          from: { email: customer.email },
          subject: 'Order question',
          text: (TEXTS[i % TEXTS.length] as (o: string) => string)(customer.order_number),
          orderNumber: customer.order_number,
        }),
      });
      if (res.status !== 201 && res.status !== 200)
        throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
      return { id: ((await res.json()) as { ticketId: string }).ticketId, sentAt };
    };
    const warmUp = async () => waitRouted(db as Db, [(await post()).id]);

    const [, second] = stack.workers as [ClusterApp, ClusterApp];
    await second.stop();
    await warmUp();
    const one = await throughput(1, post, db);
    log(`1 worker:  ${one.tickets} tickets routed in ${one.seconds} s → ${one.perSecond}/s`);
    await second.start();
    await warmUp();
    const two = await throughput(2, post, db);
    log(`2 workers: ${two.tickets} tickets routed in ${two.seconds} s → ${two.perSecond}/s`);

    // Fixed arrival rate: each ticket is posted at its own time, so a slow answer never delays the next arrival.
    const arrivals = Math.round(RATE * SECONDS);
    const started = performance.now();
    const posted: Promise<{ id: string; sentAt: number }>[] = [];
    // the read model is watched while tickets arrive, so a ticket's route is seen when it lands, not at the end
    const tracked: string[] = [];
    const watching = watchRouted(db, tracked, arrivals);
    // awaited below; until then, a failed post must not leave the watcher's later rejection unhandled
    watching.catch(() => undefined);
    for (let i = 0; i < arrivals; i++) {
      const wait = started + (i * 1000) / RATE - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      posted.push(post().then((s) => (tracked.push(s.id), s)));
    }
    const sent = await Promise.all(posted);
    const routedAt = await watching;
    const latencies = sent.map((s) => (routedAt.get(s.id) as number) - s.sentAt).sort((a, b) => a - b);
    const latency = {
      rate: RATE,
      tickets: arrivals,
      p50: round(percentile(latencies, 50), 0),
      p99: round(percentile(latencies, 99), 0),
    };

    const ratio = two.perSecond / one.perSecond;
    log('');
    log(`                 throughput (ingest → routed, ${TICKETS} tickets, ${CONCURRENCY} in flight)`);
    log(`1 worker     ${one.perSecond.toFixed(1).padStart(8)}/s`);
    log(`2 workers    ${two.perSecond.toFixed(1).padStart(8)}/s   ratio 2/1: ${ratio.toFixed(2)}`);
    log(`latency at ${RATE}/s for ${SECONDS} s (2 workers): p50 ${latency.p50} ms, p99 ${latency.p99} ms`);
    console.log(
      JSON.stringify({
        bench: 'cluster',
        nodes: 2,
        apis: stack.apis.length,
        concurrency: CONCURRENCY,
        oneWorker: one,
        twoWorkers: two,
        ratio: round(ratio, 3),
        latencyMs: latency,
      }),
    );
  } finally {
    await db?.destroy();
    await stack.stop();
  }
}

async function throughput(
  workers: number,
  post: () => Promise<{ id: string; sentAt: number }>,
  db: Db,
): Promise<Throughput> {
  const started = performance.now();
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TICKETS) {
        next += 1;
        ids.push((await post()).id);
      }
    }),
  );
  const routedAt = await waitRouted(db, ids);
  const seconds = (Math.max(...routedAt.values()) - started) / 1000;
  return { workers, tickets: TICKETS, seconds: round(seconds, 2), perSecond: round(TICKETS / seconds, 1) };
}

/** Polls the read model (every 20 ms) until every ticket shows its route; the time each was first seen. */
function waitRouted(db: Db, ids: string[]): Promise<Map<string, number>> {
  return watchRouted(db, ids, ids.length);
}

/**
 * Polls the read model (every 20 ms) for the tickets in `ids`, which may still grow, until `expected` of them show
 * their route; the time each was first seen.
 */
async function watchRouted(db: Db, ids: readonly string[], expected: number): Promise<Map<string, number>> {
  const routedAt = new Map<string, number>();
  const deadline = performance.now() + 10 * 60_000;
  while (routedAt.size < expected) {
    if (performance.now() > deadline) throw new Error(`only ${routedAt.size} of ${expected} tickets routed in 10 min`);
    const pending = ids.filter((id) => !routedAt.has(id));
    const rows: { id: string }[] = await db.query(
      `SELECT id FROM tickets WHERE id = ANY($1::uuid[]) AND route IS NOT NULL`,
      [pending],
    );
    const now = performance.now();
    for (const row of rows) routedAt.set(row.id, now);
    if (routedAt.size < expected) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return routedAt;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
