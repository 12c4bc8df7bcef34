import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SmtpSink } from '../../libs/integrations';
import { eventually } from '../support/eventually';
import { testEnv } from '../support/stack';
import {
  ClusterScenario,
  clusterAppEnv,
  LOG_DIR,
  startClusterStack,
  startSink,
  type ClusterStack,
} from './support/scenario';

const RATE = 5; // tickets per second
const SECONDS = 120;

interface Outage {
  what: string;
  killedAt: number;
  restartedAt: number;
  /** From the kill until the process is back and healthy (a node: serving and a member again). */
  downMs: number;
}

/**
 * Two Temporal nodes, two workers and two API instances under a steady 5 tickets/s for two minutes, a supervisor
 * approving whatever waits for review: one worker, then one Temporal node, then one API instance is killed
 * (SIGKILL) and restarted. Afterwards every ticket is routed and resolved, every reply reached the SMTP sink
 * exactly once, no SLA level fired before it was due, and the read model agrees with every workflow.
 */
describe('cluster chaos: a worker, a Temporal node and an API instance killed under load', () => {
  let stack: ClusterStack;
  let sink: SmtpSink;
  let scenario: ClusterScenario;

  beforeAll(async () => {
    const started = await startSink();
    sink = started.sink;
    stack = await startClusterStack({
      databaseUrl: testEnv().databaseUrl,
      workers: 2,
      apis: 2,
      env: clusterAppEnv(started.port),
      logDir: join(LOG_DIR, 'chaos'),
      log: (line) => process.stderr.write(`[cluster] ${line}\n`),
    });
    scenario = new ClusterScenario(stack, sink);
    await scenario.open();
  }, 300_000);

  afterAll(async () => {
    await scenario?.close();
    await stack?.stop();
    await sink?.close();
  }, 180_000);

  it('loses nothing, sends every reply once, fires no SLA level early, converges', async () => {
    const begin = Date.now();
    const outages: Outage[] = [];
    const outage = async (
      at: number,
      what: string,
      down: () => Promise<void>,
      up: () => Promise<void>,
      pauseMs: number,
    ) => {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, begin + at * 1000 - Date.now())));
      const killedAt = Date.now();
      await down();
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      await up();
      const restartedAt = Date.now();
      outages.push({
        what,
        killedAt: killedAt - begin,
        restartedAt: restartedAt - begin,
        downMs: restartedAt - killedAt,
      });
    };
    const [worker, node, api] = [stack.workers[0], stack.temporal.nodes[1], stack.apis[0]];
    if (!worker || !node || !api) throw new Error('the stack has fewer apps than asked for');

    scenario.startApproving();
    await Promise.all([
      scenario.postAtRate(RATE * SECONDS, RATE),
      (async () => {
        await outage(
          20,
          `${worker.name} (SIGKILL)`,
          () => worker.kill(),
          () => worker.start(),
          10_000,
        );
        await outage(
          50,
          `${node.name} (SIGKILL)`,
          () => node.kill(),
          async () => {
            await node.start();
            await stack.temporal.waitForMembership(node);
          },
          15_000,
        );
        await outage(
          85,
          `${api.name} (SIGKILL)`,
          () => api.kill(),
          () => api.start(),
          10_000,
        );
      })(),
    ]);
    const loadEnded = Date.now() - begin;

    // Every ticket reaches its end: auto-sent after the undo window, or approved and sent.
    await eventually(
      async () => {
        const rows = await scenario.readModel();
        expect(rows).toHaveLength(scenario.tickets.length);
        const open = rows.filter((r) => r.status !== 'resolved');
        expect(open.map((r) => `${r.id}:${r.status}`)).toEqual([]);
      },
      300_000,
      1_000,
    );
    await scenario.stopApproving();
    const settled = Date.now() - begin;

    const rows = await scenario.readModel();
    const routes = rows.reduce<Record<string, number>>(
      (acc, r) => ({ ...acc, [r.route ?? 'none']: (acc[r.route ?? 'none'] ?? 0) + 1 }),
      {},
    );
    const mailCounts = scenario.tickets.map((t) => scenario.mailsTo(t.email));
    const firings = await scenario.slaFirings();
    const early = firings.filter((f) => !(f.firedAt >= f.dueAt && f.wroteAt >= f.dueAt));
    const divergences = await eventually(
      async () => {
        const found = await scenario.divergences();
        expect(found).toEqual([]);
        return found;
      },
      30_000,
      1_000,
    );

    const result = {
      tickets: scenario.tickets.length,
      rate: RATE,
      seconds: SECONDS,
      postErrors: scenario.errors,
      routes,
      approved: scenario.approved.size,
      delivered: mailCounts.filter((n) => n === 1).length,
      duplicates: mailCounts.filter((n) => n > 1).length,
      undelivered: mailCounts.filter((n) => n === 0).length,
      sinkTotal: sink.received.length,
      slaFirings: firings.length,
      slaFiredEarly: early.length,
      outages,
      loadEndedMs: loadEnded,
      settledMs: settled,
      balancerConnections: stack.temporal.connections,
      divergences: divergences.length,
    };
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(join(LOG_DIR, 'chaos-result.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(`[cluster chaos] ${JSON.stringify(result)}\n`);

    expect(scenario.errors).toEqual([]);
    expect(scenario.tickets).toHaveLength(RATE * SECONDS);
    expect(rows.every((r) => r.route !== null)).toBe(true);
    expect(mailCounts.every((n) => n === 1)).toBe(true);
    expect(sink.received).toHaveLength(scenario.tickets.length);
    expect(early).toEqual([]);
    expect(firings.length).toBeGreaterThan(0); // the check above saw levels fire, so it could have failed
    expect(outages.map((o) => o.what)).toHaveLength(3);
  }, 900_000);
});
