import type { SmtpSink } from '../../libs/integrations';
import { eventually } from '../support/eventually';
import { testEnv } from '../support/stack';
import {
  ClusterScenario,
  clusterAppEnv,
  LOG_DIR,
  scrapeCounter,
  startClusterStack,
  startSink,
  type ClusterStack,
} from './support/scenario';

/**
 * The two-node smoke run of `npm test`: a real Temporal cluster (two server nodes on PostgreSQL, one frontend
 * address), the built worker and API, tickets through both nodes, then one node killed while tickets keep
 * flowing. The full run under steady load with a worker, a node and an API killed is `npm run cluster:chaos`.
 */
describe('Seamline on a two-node Temporal cluster', () => {
  let stack: ClusterStack;
  let sink: SmtpSink;
  let scenario: ClusterScenario;

  beforeAll(async () => {
    const started = await startSink();
    sink = started.sink;
    stack = await startClusterStack({
      databaseUrl: testEnv().databaseUrl,
      workers: 1,
      apis: 1,
      env: clusterAppEnv(started.port),
      logDir: `${LOG_DIR}/smoke`,
      log: () => {},
    });
    scenario = new ClusterScenario(stack, sink);
    await scenario.open();
  }, 240_000);

  afterAll(async () => {
    await scenario?.close();
    await stack?.stop();
    await sink?.close();
  }, 120_000);

  async function flowsThrough(from: number, count: number): Promise<void> {
    await scenario.postAtRate(count, 4);
    expect(scenario.errors).toEqual([]);
    const batch = scenario.tickets.slice(from);
    await eventually(
      async () => {
        await scenario.approveWaiting();
        const rows = new Map((await scenario.readModel()).map((r) => [r.id, r]));
        for (const t of batch) {
          expect(rows.get(t.ticketId)?.status).toBe('resolved');
          expect(scenario.mailsTo(t.email)).toBe(1);
        }
      },
      120_000,
      500,
    );
  }

  it('forms one cluster: both nodes serve, every service of each is a member', async () => {
    const members = await stack.temporal.members();
    expect(members.filter((m) => m.role === 'history')).toHaveLength(2);
    expect(members.filter((m) => m.role === 'frontend')).toHaveLength(2);
    expect(members).toHaveLength(8);
    // The balancer handed the apps' connections to both frontends.
    expect(Object.keys(stack.temporal.connections).sort()).toEqual(['temporal-1', 'temporal-2']);
  });

  it('routes and delivers tickets through both nodes', async () => {
    const [one, two] = stack.temporal.nodes as [(typeof stack.temporal.nodes)[0], (typeof stack.temporal.nodes)[0]];
    const before = await Promise.all([one, two].map((n) => historyRequests(n.metricsUrl)));
    // Workflows live on history shards; shards are spread over both nodes, so both do work for these tickets. On
    // a loaded machine a node can take a while to be handed its shards: up to three batches before judging.
    let after = before;
    for (let batch = 0; batch < 3; batch++) {
      await flowsThrough(scenario.tickets.length, 8);
      after = await Promise.all([one, two].map((n) => historyRequests(n.metricsUrl)));
      if (after.every((n, i) => n > (before[i] as number))) break;
    }
    expect(after[0]).toBeGreaterThan(before[0] as number);
    expect(after[1]).toBeGreaterThan(before[1] as number);
  });

  it('keeps taking, routing and delivering tickets with one node killed, and takes the node back', async () => {
    const node = stack.temporal.nodes[1] as (typeof stack.temporal.nodes)[0];
    await node.kill();
    await flowsThrough(scenario.tickets.length, 6);
    await node.start();
    await stack.temporal.waitForMembership(node);
    await flowsThrough(scenario.tickets.length, 4);

    // Exactly once: one reply per ticket at the SMTP sink, and nothing else.
    expect(sink.received).toHaveLength(scenario.tickets.length);
    expect(await scenario.divergences()).toEqual([]);
  });
});

/** Requests the node's history service handled so far. */
function historyRequests(metricsUrl: string): Promise<number> {
  return scrapeCounter(metricsUrl, 'service_requests', { service_name: 'history' });
}
