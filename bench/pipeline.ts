/**
 * Ticket throughput from HTTP ingest to a routed ticket, against a baseline on the same Temporal server.
 *
 *   npm run build && node dist/bench/pipeline.js [--tickets 500] [--concurrency 16]
 *
 * Starts its own Temporal dev server and PostgreSQL, seeds the demo store, runs the built worker and API, and
 * posts `--tickets` customer messages over HTTP with at most `--concurrency` requests in flight. A ticket counts
 * as routed when the read model shows its route (the workflow ran classify, fetchOrder, draftReply,
 * scoreConfidence, routeTicket and publishBriefing). The baseline, in the same run and on the same server, is a
 * workflow of six no-op activities started as many times with the same concurrency. Prints a table and ends with
 * one JSON line `{"bench":"pipeline",...}`.
 *
 * `--overhead <rounds>`: instead, the cost of the operations features on the same pipeline, in one run: the apps
 * are started `rounds` times in each of four set-ups (plain; payload codec on; tracing on, exporting to an OTLP/HTTP
 * sink on loopback; both), `--tickets` each time, on a task queue of their own. Reports, per set-up, the median over
 * rounds of throughput and of the p50 latency, and their ratios to the plain set-up; ends with one JSON line
 * `{"bench":"pipeline-overhead",...}`.
 */
import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createDataSource, generateApiKey, IdentityRepository, seedDemoStore } from '../libs/persistence';
import { createBaselineActivities } from './baseline/baseline.activities';
import { numberArg, percentile, round, startBenchStack, getFreePort, stopChild, waitForHealth } from './lib/stack';

const TICKETS = Math.floor(numberArg('tickets', 500));
const OVERHEAD_ROUNDS = Math.floor(numberArg('overhead', 0));
const CONCURRENCY = Math.floor(numberArg('concurrency', 16));
const PIPELINE_STEPS = 6;
const log = (line: string): void => void process.stderr.write(`[bench:pipeline] ${line}\n`);

const TEXTS = [
  (o: string) => `Hi, where is my order ${o}? Thanks!`,
  (o: string) => `Hello, I would like to return the shirt from order ${o}, it is too small. How do I send it back?`,
  (o: string) => `My package ${o} arrived damaged, the box was crushed. What can you do?`,
  (o: string) => `Please cancel order ${o}, I ordered it by mistake.`,
  (o: string) => `I was charged twice for order ${o}. Please fix this.`,
];

interface RunResult {
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
}

async function main(): Promise<void> {
  const stack = await startBenchStack('pipeline', log);
  try {
    const db = await createDataSource({
      url: stack.databaseUrl,
      poolSize: 4,
      applicationName: 'bench-pipeline',
    }).initialize();
    await seedDemoStore(db, { customers: 300 });
    const customers: { email: string; order_number: string }[] = await db.query(
      `SELECT c.email, o.order_number FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.order_number`,
    );
    const key = generateApiKey();
    await new IdentityRepository(db).createApiKey({ name: 'bench-pipeline', scopes: ['ingest'], createdBy: null }, key);

    if (OVERHEAD_ROUNDS > 0) {
      await runOverhead(stack, key.token, customers, db);
      await db.destroy();
      return;
    }

    const port = await getFreePort();
    const env = {
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      RECONCILE_INTERVAL_SECONDS: '0',
      AUTH_JWT_SECRET: randomUUID() + randomUUID(),
    };
    stack.startApp('worker', env);
    const api = stack.startApp('api', env);
    await waitForHealth(`http://127.0.0.1:${port}/api/v1/health`, api);
    await warmUp(`http://127.0.0.1:${port}`, key.token, customers[0] as { email: string; order_number: string }, db);

    const seamline = await runSeamline(`http://127.0.0.1:${port}`, key.token, customers, db);
    log(
      `seamline: ${TICKETS} tickets in ${seamline.seconds.toFixed(2)} s → ${seamline.perSecond.toFixed(1)} tickets/s routed`,
    );
    const baseline = await runBaseline(stack.temporalAddress);
    log(
      `baseline: ${TICKETS} workflows × ${PIPELINE_STEPS} no-op activities in ${baseline.seconds.toFixed(2)} s → ${baseline.perSecond.toFixed(1)} workflows/s`,
    );
    await db.destroy();

    const ratio = seamline.perSecond / baseline.perSecond;
    log('');
    log(`                 throughput      p50       p95       p99   (ingest → routed / start → completed)`);
    for (const [name, r] of [
      ['seamline', seamline],
      ['baseline', baseline],
    ] as const) {
      log(
        `${name.padEnd(12)} ${r.perSecond.toFixed(1).padStart(8)}/s ${r.latencyMs.p50.toFixed(0).padStart(6)} ms ${r.latencyMs.p95.toFixed(0).padStart(6)} ms ${r.latencyMs.p99.toFixed(0).padStart(6)} ms`,
      );
    }
    log(`ratio seamline/baseline: ${ratio.toFixed(2)} (target ≥ 0.80)`);
    console.log(
      JSON.stringify({
        bench: 'pipeline',
        tickets: TICKETS,
        concurrency: CONCURRENCY,
        seamline,
        baseline,
        ratio: round(ratio, 3),
        targetMet: ratio >= 0.8,
      }),
    );
  } finally {
    await stack.stop();
  }
}

type Customer = { email: string; order_number: string };
type Db = Awaited<ReturnType<typeof createDataSource>>;

const VARIANTS = ['plain', 'codec', 'tracing', 'codec+tracing'] as const;
type Variant = (typeof VARIANTS)[number];

async function runOverhead(
  stack: Awaited<ReturnType<typeof startBenchStack>>,
  token: string,
  customers: Customer[],
  db: Db,
): Promise<void> {
  // An OTLP/HTTP receiver that takes every batch and drops it: the exporter's real cost, no backend's.
  let spans = 0;
  const sink = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      spans += bytes > 0 ? 1 : 0;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
  const sinkAddress = sink.address();
  const otlp = `http://127.0.0.1:${typeof sinkAddress === 'object' && sinkAddress ? sinkAddress.port : 0}`;
  const payloadKeys = `bench:${randomBytes(32).toString('base64')}`;
  const results: Record<Variant, RunResult[]> = { plain: [], codec: [], tracing: [], 'codec+tracing': [] };
  try {
    for (let round = 0; round < OVERHEAD_ROUNDS; round += 1) {
      // rotate the order each round, so no set-up always runs first on a cold server
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length] as Variant);
      for (const variant of order) {
        const port = await getFreePort();
        const env: Record<string, string> = {
          API_PORT: String(port),
          API_HOST: '127.0.0.1',
          RECONCILE_INTERVAL_SECONDS: '0',
          AUTH_JWT_SECRET: randomUUID() + randomUUID(),
          TEMPORAL_TASK_QUEUE: `bench-${variant.replace('+', '-')}-${round}-${randomUUID().slice(0, 8)}`,
          ...(variant.includes('codec') ? { PAYLOAD_KEYS: payloadKeys } : {}),
          ...(variant.includes('tracing') ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlp } : {}),
        };
        const worker = stack.startApp('worker', env);
        const api = stack.startApp('api', env);
        try {
          await waitForHealth(`http://127.0.0.1:${port}/api/v1/health`, api);
          const base = `http://127.0.0.1:${port}`;
          await warmUp(base, token, customers[0] as Customer, db);
          const result = await runSeamline(base, token, customers, db);
          results[variant].push(result);
          log(
            `round ${round + 1} ${variant.padEnd(14)} ${result.perSecond.toFixed(1).padStart(7)} tickets/s  p50 ${result.latencyMs.p50} ms  p95 ${result.latencyMs.p95} ms`,
          );
        } finally {
          await Promise.all([stopChild(api), stopChild(worker)]);
        }
      }
    }
  } finally {
    sink.closeAllConnections();
    sink.close();
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };
  const summary = Object.fromEntries(
    VARIANTS.map((v) => [
      v,
      {
        perSecond: round(median(results[v].map((r) => r.perSecond)), 1),
        p50Ms: round(median(results[v].map((r) => r.latencyMs.p50)), 0),
        p95Ms: round(median(results[v].map((r) => r.latencyMs.p95)), 0),
      },
    ]),
  ) as Record<Variant, { perSecond: number; p50Ms: number; p95Ms: number }>;
  const plain = summary.plain;
  const ratios = Object.fromEntries(
    VARIANTS.filter((v) => v !== 'plain').map((v) => [
      v,
      {
        throughput: round(summary[v].perSecond / plain.perSecond, 3),
        p50Latency: round(summary[v].p50Ms / plain.p50Ms, 3),
        p95Latency: round(summary[v].p95Ms / plain.p95Ms, 3),
      },
    ]),
  );
  log('');
  log(`medians over ${OVERHEAD_ROUNDS} rounds of ${TICKETS} tickets (concurrency ${CONCURRENCY}):`);
  log(`                   throughput      p50      p95   throughput ratio   p50 ratio`);
  for (const v of VARIANTS) {
    const r = summary[v];
    const ratio =
      v === 'plain' ? { throughput: 1, p50Latency: 1 } : (ratios[v] as { throughput: number; p50Latency: number });
    log(
      `${v.padEnd(16)} ${r.perSecond.toFixed(1).padStart(8)}/s ${String(r.p50Ms).padStart(6)} ms ${String(r.p95Ms).padStart(6)} ms ${ratio.throughput.toFixed(3).padStart(18)} ${ratio.p50Latency.toFixed(3).padStart(11)}`,
    );
  }
  log(`OTLP batches received by the sink: ${spans}`);
  console.log(
    JSON.stringify({
      bench: 'pipeline-overhead',
      tickets: TICKETS,
      concurrency: CONCURRENCY,
      rounds: OVERHEAD_ROUNDS,
      medians: summary,
      ratios,
      runs: results,
    }),
  );
}

async function warmUp(
  base: string,
  token: string,
  customer: { email: string; order_number: string },
  db: Awaited<ReturnType<typeof createDataSource>>,
): Promise<void> {
  const id = await post(base, token, customer, 'warm-up');
  await waitRouted(db, [id]);
}

async function post(
  base: string,
  token: string,
  customer: { email: string; order_number: string },
  tag: string,
  text?: string,
): Promise<string> {
  const res = await fetch(`${base}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': token },
    body: JSON.stringify({
      messageId: `<${tag}-${randomUUID()}@bench.example.com>`,
      from: { email: customer.email },
      subject: 'Order question',
      text: text ?? `Hi, where is my order ${customer.order_number}?`,
      orderNumber: customer.order_number,
    }),
  });
  if (res.status !== 201) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { ticketId: string }).ticketId;
}

async function runSeamline(
  base: string,
  token: string,
  customers: { email: string; order_number: string }[],
  db: Awaited<ReturnType<typeof createDataSource>>,
): Promise<RunResult> {
  const postedAt = new Map<string, number>();
  const started = performance.now();
  let next = 0;
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TICKETS) {
        const i = next++;
        const customer = customers[i % customers.length] as { email: string; order_number: string };
        const text = (TEXTS[i % TEXTS.length] as (o: string) => string)(customer.order_number);
        const sentAt = performance.now();
        const id = await post(base, token, customer, `t${i}`, text);
        postedAt.set(id, sentAt);
        ids.push(id);
      }
    }),
  );
  const routedAt = await waitRouted(db, ids);
  const finished = Math.max(...routedAt.values());
  const latencies = ids.map((id) => (routedAt.get(id) as number) - (postedAt.get(id) as number)).sort((a, b) => a - b);
  return summarize(TICKETS, (finished - started) / 1000, latencies);
}

/** Polls the read model (every 20 ms, so latencies are accurate to about that) until every ticket is routed. */
async function waitRouted(
  db: Awaited<ReturnType<typeof createDataSource>>,
  ids: string[],
): Promise<Map<string, number>> {
  const routedAt = new Map<string, number>();
  const deadline = performance.now() + 10 * 60_000;
  while (routedAt.size < ids.length) {
    if (performance.now() > deadline)
      throw new Error(`only ${routedAt.size} of ${ids.length} tickets routed in 10 minutes`);
    const pending = ids.filter((id) => !routedAt.has(id));
    const rows: { id: string }[] = await db.query(
      `SELECT id FROM tickets WHERE id = ANY($1::uuid[]) AND route IS NOT NULL`,
      [pending],
    );
    const now = performance.now();
    for (const row of rows) routedAt.set(row.id, now);
    if (routedAt.size < ids.length) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return routedAt;
}

async function runBaseline(address: string): Promise<RunResult> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const taskQueue = `baseline-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./baseline/baseline.workflow'),
    activities: createBaselineActivities(),
  });
  try {
    return await worker.runUntil(async () => {
      await client.workflow.execute('baselineWorkflow', {
        taskQueue,
        workflowId: `warm-${randomUUID()}`,
        args: [PIPELINE_STEPS],
      });
      // Started like the tickets are posted (at most CONCURRENCY starts in flight), then all awaited.
      const latencies: number[] = [];
      const completions: Promise<void>[] = [];
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < TICKETS) {
            next += 1;
            const t0 = performance.now();
            const handle = await client.workflow.start('baselineWorkflow', {
              taskQueue,
              workflowId: `baseline-${randomUUID()}`,
              args: [PIPELINE_STEPS],
            });
            completions.push(handle.result().then(() => void latencies.push(performance.now() - t0)));
          }
        }),
      );
      await Promise.all(completions);
      return summarize(
        TICKETS,
        (performance.now() - started) / 1000,
        latencies.sort((a, b) => a - b),
      );
    });
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}

function summarize(count: number, seconds: number, sorted: number[]): RunResult {
  return {
    seconds: round(seconds, 2),
    perSecond: round(count / seconds, 1),
    latencyMs: {
      p50: round(percentile(sorted, 50), 0),
      p95: round(percentile(sorted, 95), 0),
      p99: round(percentile(sorted, 99), 0),
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
