/**
 * SLA timers at scale: many open tickets waiting on deadlines in one worker.
 *
 *   npm run build && node dist/bench/sla.js [--tickets 10000] [--window 300] [--concurrency 32]
 *   npm run build && node dist/bench/sla.js --rate-ramp     (capacity against bare timers: see sla-capacity.ts)
 *
 * Starts its own Temporal dev server and PostgreSQL and the built worker, stores `--tickets` tickets in the read
 * model and starts their workflows already triaged and waiting for an agent (continued state), each with a
 * first-reply deadline spread evenly over `--window` seconds after all have started. Every deadline records a
 * breach and fires one ladder level (raise priority, move to escalations, notify). Measures the lag between
 * each deadline and its breach being recorded in PostgreSQL, and its level's audit row (written after the
 * level's actions ran) (p50/p99/max), and the worker's resident memory (peak, sampled every second), with the
 * worker run as `npm start` runs it. `--cached-workflows N` overrides the worker's WORKER_MAX_CACHED_WORKFLOWS.
 * Ends with one JSON line `{"bench":"sla",...}`.
 */
import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createDataSource } from '../libs/persistence';
import { TICKET_WORKFLOW_TYPE, ticketWorkflowId } from '../workflows/ticket/ticket.messages';
import { textArg } from './lib/args';
import { BENCH_SLA, waitingTicket, waitingTicketSearchAttributes } from './lib/sla-fixtures';
import { rateRamp } from './sla-capacity';
import { numberArg, percentile, round, startBenchStack } from './lib/stack';

const TICKETS = Math.floor(numberArg('tickets', 10_000));
const WINDOW_SECONDS = numberArg('window', 300);
const CONCURRENCY = Math.floor(numberArg('concurrency', 32));
/** The worker's workflow cache (its WORKER_MAX_CACHED_WORKFLOWS); the worker's own default when not given. */
const CACHED = textArg('cached-workflows');
const log = (line: string): void => void process.stderr.write(`[bench:sla] ${line}\n`);

async function main(): Promise<void> {
  const stack = await startBenchStack('sla', log);
  const rss: number[] = [];
  try {
    const db = await createDataSource({
      url: stack.databaseUrl,
      poolSize: 4,
      applicationName: 'bench-sla',
    }).initialize();
    const ids = Array.from({ length: TICKETS }, () => randomUUID());
    await db.query(
      `INSERT INTO tickets (id, workflow_id, status, customer_email, subject, route, queue, priority)
       SELECT id, 'ticket-' || id, 'awaiting_review', 'bench@example.com', 'Bench', 'review', 'standard', 'normal'
         FROM unnest($1::uuid[]) AS id`,
      [ids],
    );
    const worker = stack.startApp('worker', {
      SLA_CONFIG: JSON.stringify(BENCH_SLA),
      RECONCILE_INTERVAL_SECONDS: '0',
      DATABASE_POOL_SIZE: '10',
      ...(CACHED ? { WORKER_MAX_CACHED_WORKFLOWS: CACHED } : {}),
    });
    const sampler = setInterval(() => {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${worker.pid}/status`, 'utf8'))?.[1] ?? NaN);
      if (Number.isFinite(kb)) rss.push(kb / 1024);
    }, 1000);

    const connection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection });
    // All deadlines fall after the last start: [startEnd + 30 s, startEnd + 30 s + window].
    const estimatedStartSeconds = Math.max(30, TICKETS / 50);
    const firstDeadline = Date.now() + (estimatedStartSeconds + 30) * 1000;
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < TICKETS) {
          const i = next++;
          const ticketId = ids[i] as string;
          const deadline = firstDeadline + Math.floor((i / TICKETS) * WINDOW_SECONDS * 1000);
          const input = waitingTicket(ticketId, deadline);
          await client.workflow.start(TICKET_WORKFLOW_TYPE, {
            workflowId: ticketWorkflowId(ticketId),
            taskQueue: 'tickets',
            args: [input],
            typedSearchAttributes: waitingTicketSearchAttributes(input),
          });
        }
      }),
    );
    const startSeconds = (Date.now() - started) / 1000;
    log(
      `started ${TICKETS} waiting tickets in ${startSeconds.toFixed(1)} s; deadlines from ${new Date(firstDeadline).toISOString()} over ${WINDOW_SECONDS} s`,
    );
    if (Date.now() > firstDeadline)
      log('warning: starting took longer than planned; the first deadlines passed during start-up');

    const lastDeadline = firstDeadline + WINDOW_SECONDS * 1000;
    const count = async (action: string): Promise<number> =>
      (
        (await db.query(`SELECT count(*)::int AS n FROM ticket_audit WHERE action = $1`, [action])) as { n: number }[]
      )[0]?.n ?? 0;
    while (Date.now() < lastDeadline + 5 * 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if ((await count('sla_breach')) >= TICKETS && (await count('sla_escalation')) >= TICKETS) break;
    }
    clearInterval(sampler);
    // Breach: when the audit row was written. Level: when its audit row was written, after its actions ran (the
    // notify activity included). Both against the deadline the breach row carries.
    const lagsOf = async (action: string): Promise<number[]> =>
      (
        (await db.query(
          `SELECT extract(epoch FROM a.created_at - (b.after->>'deadline')::timestamptz) * 1000 AS lag
           FROM ticket_audit a JOIN ticket_audit b ON b.ticket_id = a.ticket_id AND b.action = 'sla_breach'
          WHERE a.action = $1`,
          [action],
        )) as { lag: string }[]
      )
        .map((l) => Number(l.lag))
        .sort((x, y) => x - y);
    const breachLags = await lagsOf('sla_breach');
    const levelLags = await lagsOf('sla_escalation');
    const early = breachLags.filter((l) => l < 0).length;
    await db.destroy();
    await connection.close();

    const summary = (sorted: number[]) => ({
      p50: round(percentile(sorted, 50), 0),
      p99: round(percentile(sorted, 99), 0),
      max: round(sorted.at(-1) ?? NaN, 0),
    });
    const peakRss = Math.max(...rss);
    const result = {
      bench: 'sla',
      tickets: TICKETS,
      windowSeconds: WINDOW_SECONDS,
      deadlinesPerSecond: round(TICKETS / WINDOW_SECONDS),
      cachedWorkflows: CACHED ?? 'worker default',
      startSeconds: round(startSeconds),
      breachesRecorded: breachLags.length,
      levelsFired: levelLags.length,
      firedEarly: early,
      breachLagMs: summary(breachLags),
      levelLagMs: summary(levelLags),
      workerRssMiB: { peak: round(peakRss), last: round(rss.at(-1) ?? NaN) },
      targetsMet:
        percentile(levelLags, 99) < 2000 &&
        peakRss < 600 &&
        early === 0 &&
        breachLags.length === TICKETS &&
        levelLags.length === TICKETS,
    };
    log(
      `breaches recorded ${result.breachesRecorded}/${TICKETS}, levels fired ${result.levelsFired}/${TICKETS}, fired early ${early}`,
    );
    log(
      `deadline → breach recorded: p50 ${result.breachLagMs.p50} ms, p99 ${result.breachLagMs.p99} ms, max ${result.breachLagMs.max} ms`,
    );
    log(
      `deadline → level fired:     p50 ${result.levelLagMs.p50} ms, p99 ${result.levelLagMs.p99} ms, max ${result.levelLagMs.max} ms (target p99 < 2000 ms)`,
    );
    log(`worker RSS: peak ${result.workerRssMiB.peak} MiB (target < 600 MiB)`);
    console.log(JSON.stringify(result));
  } finally {
    await stack.stop();
  }
}

(process.argv.includes('--rate-ramp') ? rateRamp() : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
