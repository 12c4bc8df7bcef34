/**
 * Policy recompute: what the routing policy workflow's activity does, over a large outcome history. A throwaway
 * PostgreSQL gets `--outcomes` (100,000) decided outcomes across the allow-listed intents; each round reads the
 * evidence through the outcome repository and computes every intent's mode and threshold. Prints the median
 * round, the slowest, and the process's peak RSS, then one JSON line.
 *
 *   npm run build && node dist/bench/policy.js [--outcomes 100000] [--rounds 5]
 */
import 'reflect-metadata';
import { computeAutonomy, DEFAULT_AUTONOMY_SETTINGS, DEFAULT_ROUTING_POLICY } from '../libs/domain';
import { createDataSource, OutcomeRepository } from '../libs/persistence';
import { numberArg } from './lib/args';
import { percentile, round, startMigratedPostgres } from './lib/stack';

async function main(): Promise<void> {
  const count = numberArg('outcomes', 100_000);
  const rounds = numberArg('rounds', 5);
  const postgres = await startMigratedPostgres();
  try {
    const db = await createDataSource({ url: postgres.url, poolSize: 2 }).initialize();
    const ticket = '00000000-0000-4000-8000-00000000be0c';
    await db.query(
      `INSERT INTO tickets (id, workflow_id, status, customer_email, subject) VALUES ($1, $2, 'closed', 'bench', 'bench')`,
      [ticket, `bench-${ticket}`],
    );
    const seeded = Date.now();
    // intents round-robin; confidence spread 0.3..1; wrong more often at low confidence; a few edits and reassigns
    await db.query(
      `INSERT INTO routing_outcomes (key, ticket_id, draft_version, policy_version, route, reasons, intent, confidence,
                                     mode, candidate, final_action, decided_by, decided_at, edit_distance, reassigned)
       SELECT 'bench:' || g, $1, 1, 'bench', 'review', ARRAY['shadow_mode'], (ARRAY['order_status','product_question','account'])[1 + g % 3],
              c, 'shadow', true,
              CASE WHEN (g * 7919) % 1000 < 1000 * (0.004 + 0.2 * greatest(0, 0.75 - c)) THEN 'rejected'
                   WHEN g % 50 = 0 THEN 'edited' ELSE 'sent_as_is' END,
              'bench', now(), CASE WHEN g % 50 = 0 THEN 0.1 ELSE 0 END, g % 997 = 0
         FROM (SELECT g, 0.3 + ((g * 2654435761) % 700) / 1000.0 AS c FROM generate_series(1, $2) g) s`,
      [ticket, count],
    );
    console.log(`seeded ${count} outcomes in ${round((Date.now() - seeded) / 1000, 1)} s`);
    const outcomes = new OutcomeRepository(db);
    const times: number[] = [];
    let peakRss = 0;
    let summary = '';
    for (let r = 0; r < rounds; r++) {
      const started = process.hrtime.bigint();
      const samples = await outcomes.evidence(0.2);
      const result = computeAutonomy(DEFAULT_ROUTING_POLICY, samples, [], DEFAULT_AUTONOMY_SETTINGS);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      summary = result.intents.map((i) => `${i.intent}=${i.mode}@${i.threshold ?? '-'}`).join(' ');
    }
    await db.destroy();
    const sorted = [...times].sort((a, b) => a - b);
    const medianMs = round(percentile(sorted, 50), 0);
    const maxMs = round(sorted[sorted.length - 1], 0);
    const rssMiB = round(peakRss / 2 ** 20, 0);
    console.log(`recompute over ${count} outcomes: median ${medianMs} ms, max ${maxMs} ms, peak RSS ${rssMiB} MiB`);
    console.log(`policy: ${summary}`);
    console.log(
      JSON.stringify({
        bench: 'policy',
        outcomes: count,
        rounds,
        medianMs,
        maxMs,
        peakRssMiB: rssMiB,
        targets: { ms: 30_000, rssMiB: 300 },
      }),
    );
  } finally {
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
