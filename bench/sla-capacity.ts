/**
 * SLA capacity under a deadline burst: how many ladder levels per second fire on time, Seamline's ticket workflow
 * against bare Temporal timers on the same server, and how lag recovers after a burst past capacity.
 *
 *   npm run build && node dist/bench/sla.js --rate-ramp [--step-seconds 15] [--rates 10,20,33,50,75,100,150,200]
 *     [--targets seamline,baseline] [--no-burst]      (one target, or no burst: quicker runs while tuning)
 *
 * One Temporal dev server and PostgreSQL; the built Seamline worker and a baseline worker (bench/baseline,
 * sized alike: same workflow cache, task slots and heap), each a process of its own. For each target in turn,
 * each rate in turn: start `rate × step` workflows whose deadlines are `1/rate` apart over one step, then measure
 * deadline → fired lag (Seamline: the level's audit row; baseline: the row its local activity writes). The ramp
 * of a target stops at the first rate whose p99 is 2 s or more; its capacity is the last rate under. Then a burst
 * at twice Seamline's capacity followed by a trickle of 5/s shows how long lag takes to return under 2 s. Ends
 * with one JSON line `{"bench":"sla-capacity",...}`.
 */
import { Client, Connection } from '@temporalio/client';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../libs/persistence';
import { TICKET_WORKFLOW_TYPE, ticketWorkflowId } from '../workflows/ticket/ticket.messages';
import { textArg } from './lib/args';
import { BENCH_SLA, waitingTicket, waitingTicketSearchAttributes } from './lib/sla-fixtures';
import { numberArg, percentile, round, ROOT, startBenchStack, type BenchStack } from './lib/stack';

const STEP_SECONDS = numberArg('step-seconds', 15);
const RATES = (textArg('rates') ?? '10,20,33,50,75,100,150,200,300').split(',').map(Number);
const P99_TARGET_MS = 2_000;
const TRICKLE_RATE = 5;
const TRICKLE_SECONDS = 90;
const BASELINE_QUEUE = 'bench-timers';
type Target = 'seamline' | 'baseline';
const isTarget = (name: string): name is Target => name === 'seamline' || name === 'baseline';
const TARGETS = (textArg('targets') ?? 'seamline,baseline').split(',').filter(isTarget);
const BURST = !process.argv.includes('--no-burst');
const log = (line: string): void => void process.stderr.write(`[bench:sla-capacity] ${line}\n`);

interface Step {
  rate: number;
  count: number;
  fired: number;
  early: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU time the target's worker process spent per workflow started, from the step's start to its first deadline. */
  workerCpuMsPerStart: number;
  /** CPU time the target's worker process spent per level fired, from the step's first deadline to its end. */
  workerCpuMsPerLevel: number;
  /** The same two for the Temporal server (the dev server: history, matching and visibility in one process). */
  serverCpuMsPerStart: number;
  serverCpuMsPerLevel: number;
}

interface Scheduled {
  id: string;
  deadline: number;
}

export async function rateRamp(): Promise<void> {
  const stack = await startBenchStack('sla-capacity', log);
  const hook = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end()));
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const rss: number[] = [];
  try {
    const db = await createDataSource({ url: stack.databaseUrl, poolSize: 4 }).initialize();
    const seamlineWorker = stack.startApp('worker', {
      SLA_CONFIG: JSON.stringify(BENCH_SLA),
      SLA_WEBHOOKS: JSON.stringify({ 'sla-alerts': `http://127.0.0.1:${(hook.address() as AddressInfo).port}/` }),
      RECONCILE_INTERVAL_SECONDS: '0',
      DATABASE_POOL_SIZE: '10',
    });
    const baselineWorker = startBaselineWorker(stack);
    const workerPid: Record<Target, number> = {
      seamline: seamlineWorker.pid as number,
      baseline: baselineWorker.pid as number,
    };
    const sampler = setInterval(() => {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${seamlineWorker.pid}/status`, 'utf8'))?.[1]);
      if (Number.isFinite(kb)) rss.push(kb / 1024);
    }, 1000);
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection });
    await waitForTable(db, 'bench_timer_fired');

    const ramps: Record<Target, Step[]> = { seamline: [], baseline: [] };
    for (const target of TARGETS) {
      for (const rate of RATES) {
        const { lags: _lags, ...step } = await runStep(target, client, db, schedule(rate, STEP_SECONDS), {
          worker: () => cpuMs(workerPid[target]),
          server: () => cpuMs(stack.temporalPid),
        });
        ramps[target].push({ rate, ...step });
        log(
          `${target.padEnd(8)} ${String(rate).padStart(4)}/s  p50 ${step.p50} ms  p99 ${step.p99} ms  fired ${step.fired}/${step.count}` +
            `  CPU ms per start/level: worker ${step.workerCpuMsPerStart}/${step.workerCpuMsPerLevel},` +
            ` server ${step.serverCpuMsPerStart}/${step.serverCpuMsPerLevel}`,
        );
        if (step.p99 >= P99_TARGET_MS || step.fired < step.count) break;
      }
    }
    const capacity = (target: Target) => {
      const passing = ramps[target].filter((s) => s.p99 < P99_TARGET_MS && s.fired === s.count);
      return passing.at(-1)?.rate ?? 0;
    };
    const seamline = capacity('seamline');
    const baseline = capacity('baseline');
    const at33 = ramps.seamline.find((s) => s.rate === 33) ?? null;

    // A burst at twice capacity, then a trickle: when does lag come back under the target?
    const burstRate = Math.max(2 * seamline, RATES[0] ?? 10);
    const burst = schedule(burstRate, STEP_SECONDS);
    const burstEnd = burst.at(-1)?.deadline ?? Date.now();
    const trickle = schedule(TRICKLE_RATE, TRICKLE_SECONDS, burstEnd + 1000 / TRICKLE_RATE);
    const overload = BURST
      ? await runStep('seamline', client, db, [...burst, ...trickle], {
          worker: () => cpuMs(workerPid.seamline),
          server: () => cpuMs(stack.temporalPid),
          keepLags: true,
        })
      : null;
    const recoveredAt = overload && recovery(overload.lags, burstEnd);
    clearInterval(sampler);
    await db.destroy();
    await connection.close();

    const peakRss = Math.max(...rss);
    const result = {
      bench: 'sla-capacity',
      stepSeconds: STEP_SECONDS,
      p99TargetMs: P99_TARGET_MS,
      seamlineLevelsPerSecond: seamline,
      baselineTimersPerSecond: baseline,
      ratio: baseline ? round(seamline / baseline, 2) : null,
      lagAt33: at33 ? { p50: at33.p50, p99: at33.p99, max: at33.max } : null,
      burst: overload && {
        rate: burstRate,
        seconds: STEP_SECONDS,
        p99: round(percentile(sortedLags(overload.lags.slice(0, burst.length)), 99), 0),
        recoveredSecondsAfterBurst: recoveredAt === null ? null : round((recoveredAt - burstEnd) / 1000, 1),
      },
      workerRssMiB: { peak: round(peakRss) },
      ramps,
    };
    log('');
    log(`capacity (level-fired lag p99 < ${P99_TARGET_MS} ms, ${STEP_SECONDS} s steps):`);
    log(`  Seamline ticket workflow  ${seamline} levels/s`);
    log(`  bare timer + local write  ${baseline} timers/s   ratio ${result.ratio ?? 'n/a'}`);
    if (at33) log(`lag at 33/s: p50 ${at33.p50} ms, p99 ${at33.p99} ms, max ${at33.max} ms`);
    if (result.burst)
      log(
        `burst at ${burstRate}/s for ${STEP_SECONDS} s: p99 ${result.burst.p99} ms; back under ${P99_TARGET_MS} ms ` +
          `${result.burst.recoveredSecondsAfterBurst ?? 'never'} s after it ended (trickle ${TRICKLE_RATE}/s)`,
      );
    log(`Seamline worker RSS peak ${result.workerRssMiB.peak} MiB`);
    console.log(JSON.stringify(result));
  } finally {
    hook.close();
    await stack.stop();
  }
}

/** Deadlines `1/rate` apart over `seconds`, the first one `lead` from now (time enough to start them all). */
function schedule(rate: number, seconds: number, first?: number): Scheduled[] {
  const count = Math.round(rate * seconds);
  const start = first ?? Date.now() + Math.max(20_000, (count / 150) * 1000 + 10_000);
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    deadline: Math.round(start + (i * 1000) / rate),
  }));
}

async function runStep(
  target: Target,
  client: Client,
  db: DataSource,
  plan: Scheduled[],
  { worker, server, keepLags = false }: { worker: () => number; server: () => number; keepLags?: boolean },
): Promise<Omit<Step, 'rate'> & { lags: number[] }> {
  const ids = plan.map((p) => p.id);
  const cpu = () => ({ worker: worker(), server: server() });
  const cpuAtStart = cpu();
  if (target === 'seamline') {
    await db.query(
      `INSERT INTO tickets (id, workflow_id, status, customer_email, subject, route, queue, priority)
       SELECT id, 'ticket-' || id, 'awaiting_review', 'bench@example.com', 'Bench', 'review', 'standard', 'normal'
         FROM unnest($1::uuid[]) AS id`,
      [ids],
    );
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < plan.length) {
        const { id, deadline } = plan[next++] as Scheduled;
        if (target === 'seamline') {
          const input = waitingTicket(id, deadline);
          await client.workflow.start(TICKET_WORKFLOW_TYPE, {
            workflowId: ticketWorkflowId(id),
            taskQueue: 'tickets',
            args: [input],
            typedSearchAttributes: waitingTicketSearchAttributes(input),
          });
        } else {
          await client.workflow.start('bareTimerWorkflow', {
            workflowId: `timer-${id}`,
            taskQueue: BASELINE_QUEUE,
            args: [id, deadline],
          });
        }
      }
    }),
  );
  const lastDeadline = Math.max(...plan.map((p) => p.deadline));
  const firstDeadline = plan[0]?.deadline ?? 0;
  if (Date.now() > firstDeadline) log(`warning: starting ${plan.length} workflows ran past the first deadline`);
  await new Promise((resolve) => setTimeout(resolve, Math.max(firstDeadline - Date.now(), 0)));
  const cpuAtFirstDeadline = cpu();
  const firedRows = async () =>
    target === 'seamline'
      ? ((await db.query(
          `SELECT a.ticket_id::text AS id, extract(epoch FROM a.created_at) * 1000 AS at
             FROM ticket_audit a WHERE a.action = 'sla_escalation' AND a.ticket_id = ANY($1::uuid[])`,
          [ids],
        )) as { id: string; at: string }[])
      : ((await db.query(
          `SELECT id, extract(epoch FROM fired_at) * 1000 AS at FROM bench_timer_fired WHERE id = ANY($1::text[])`,
          [ids],
        )) as { id: string; at: string }[]);
  let rows = await firedRows();
  while (rows.length < plan.length && Date.now() < lastDeadline + 120_000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rows = await firedRows();
  }
  const cpuAtEnd = cpu();
  const firedAt = new Map(rows.map((r) => [r.id, Number(r.at)]));
  const lags = plan.map((p) => (firedAt.has(p.id) ? (firedAt.get(p.id) as number) - p.deadline : Number.NaN));
  const sorted = sortedLags(lags);
  return {
    count: plan.length,
    fired: rows.length,
    early: sorted.filter((l) => l < 0).length,
    p50: round(percentile(sorted, 50), 0),
    p99: round(percentile(sorted, 99), 0),
    max: round(sorted.at(-1) ?? Number.NaN, 0),
    workerCpuMsPerStart: round((cpuAtFirstDeadline.worker - cpuAtStart.worker) / Math.max(plan.length, 1), 2),
    workerCpuMsPerLevel: round((cpuAtEnd.worker - cpuAtFirstDeadline.worker) / Math.max(rows.length, 1), 2),
    serverCpuMsPerStart: round((cpuAtFirstDeadline.server - cpuAtStart.server) / Math.max(plan.length, 1), 2),
    serverCpuMsPerLevel: round((cpuAtEnd.server - cpuAtFirstDeadline.server) / Math.max(rows.length, 1), 2),
    lags: keepLags ? lags : [],
  };
}

function sortedLags(lags: number[]): number[] {
  return lags.filter((l) => Number.isFinite(l)).sort((a, b) => a - b);
}

/**
 * The first deadline after the burst from which every later level fired within the target (lags are in deadline
 * order), or null when lag never came back.
 */
function recovery(lags: number[], burstEnd: number, spacingMs = 1000 / TRICKLE_RATE): number | null {
  const trickle = lags.slice(lags.length - Math.round(TRICKLE_RATE * TRICKLE_SECONDS));
  for (let i = 0; i < trickle.length; i++) {
    if (trickle.slice(i).every((l) => Number.isFinite(l) && l < P99_TARGET_MS)) return burstEnd + (i + 1) * spacingMs;
  }
  return null;
}

function startBaselineWorker(stack: BenchStack): ChildProcess {
  const entry = join(ROOT, 'dist', 'bench', 'baseline', 'timer-worker.js');
  return stack.startScript(entry, { TEMPORAL_TASK_QUEUE: BASELINE_QUEUE });
}

/** User + system CPU of a process, all threads, from /proc (its clock ticks are USER_HZ, 100 per second on Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function waitForTable(db: DataSource, table: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const rows: unknown[] = await db.query(`SELECT 1 FROM pg_tables WHERE tablename = $1`, [table]);
    if (rows.length) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the baseline worker did not create ${table}`);
}
