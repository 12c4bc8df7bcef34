/**
 * `npm run policy:simulate`: what a proposed earned-autonomy setting would do before it is switched on. It replays
 * outcomes under the policy in force and under the proposal and prints the auto share, the unsafe share and the
 * effect per intent, then one JSON line.
 *
 * Outcomes come from one of:
 *   --database                 the recorded outcomes in DATABASE_URL (what POST /admin/routing/simulate replays);
 *   --file <outcomes.jsonl>    lines of {"intent": "...", "confidence": 0.93, "wrong": false};
 *   --labelled <name|all>      a labelled dev set of ../shared/datasets run through the offline triage: every
 *                              message only the threshold kept from automatic sending is an outcome, wrong when its
 *                              labelled route is not `auto`.
 * Proposal: --target-risk 0.02 --min-outcomes 50 --pin order_status,account (kept with people).
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_AUTONOMY_SETTINGS,
  DEFAULT_ROUTING_POLICY,
  INTENTS,
  bundledModelFile,
  createOfflineClassifier,
  draftOffline,
  routeTicket,
  scoreConfidence,
  ORDER_INTENTS,
  simulateAutonomy,
  type AutonomySample,
  type Intent,
} from '../libs/domain';
import { loadConfig } from '../libs/config';
import { createDataSource, OutcomeRepository, RoutingPolicyRepository } from '../libs/persistence';
import { numberArg, textArg } from './lib/args';
import { DATASETS, assertDatasets, datasetsRoot, loadDataset, type DatasetName } from './lib/datasets';
import { BENCH_POLICY, cleanOrder } from './lib/fixtures';

async function main(): Promise<void> {
  const settings = {
    ...DEFAULT_AUTONOMY_SETTINGS,
    targetRisk: numberArg('target-risk', DEFAULT_AUTONOMY_SETTINGS.targetRisk),
    minOutcomes: numberArg('min-outcomes', DEFAULT_AUTONOMY_SETTINGS.minOutcomes),
  };
  const pins = (textArg('pin') ?? '')
    .split(',')
    .filter(Boolean)
    .map((intent) => {
      if (!INTENTS.includes(intent as Intent)) throw new Error(`--pin: unknown intent ${intent}`);
      return { intent: intent as Intent, pinnedHuman: true, targetRisk: null };
    });
  let samples: AutonomySample[];
  let current = DEFAULT_ROUTING_POLICY;
  let source: string;
  if (process.argv.includes('--database')) {
    const db = await createDataSource({ url: loadConfig().database.url, poolSize: 1 }).initialize();
    try {
      samples = await new OutcomeRepository(db).evidence(loadConfig().routing.autonomy.maxEditDistance);
      current = (await new RoutingPolicyRepository(db).current())?.policy ?? current;
    } finally {
      await db.destroy();
    }
    source = 'database';
  } else if (textArg('file')) {
    const file = textArg('file')!;
    samples = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((line, i) => {
        const row = JSON.parse(line) as AutonomySample;
        if (!INTENTS.includes(row.intent) || typeof row.confidence !== 'number' || typeof row.wrong !== 'boolean')
          throw new Error(`${file}:${i + 1}: expected {"intent", "confidence", "wrong"}`);
        return row;
      });
    source = file;
  } else {
    const which = textArg('labelled') ?? 'all';
    const root = datasetsRoot();
    assertDatasets(root);
    const names = which === 'all' ? DATASETS : [which as DatasetName];
    samples = names.flatMap((name) => labelledSamples(loadDataset(root, name)));
    source = `labelled ${names.join(', ')} (the bundled model, trained on these rows: an optimistic replay)`;
  }
  const r = simulateAutonomy(DEFAULT_ROUTING_POLICY, current, samples, pins, settings);
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  console.log(`outcomes: ${r.outcomes} from ${source}`);
  console.log(`target risk ${pct(settings.targetRisk)}, at least ${settings.minOutcomes} outcomes`);
  console.log(`                 auto share   unsafe share`);
  console.log(`current          ${pct(r.current.autoShare).padStart(10)}   ${pct(r.current.unsafeShare).padStart(10)}`);
  console.log(
    `proposed         ${pct(r.proposed.autoShare).padStart(10)}   ${pct(r.proposed.unsafeShare).padStart(10)}`,
  );
  for (const i of r.intents) {
    const side = (s: typeof i.current) =>
      `${s.mode}${s.threshold === null ? '' : `@${s.threshold.toFixed(3)}`} sent ${s.autoSent} (${s.unsafe} wrong)`;
    console.log(
      `  ${i.intent.padEnd(18)} ${String(i.outcomes).padStart(6)}  ${side(i.current)}  ->  ${side(i.proposed)}`,
    );
  }
  for (const i of r.proposedIntents) console.log(`  ${i.intent}: ${i.reason}`);
  console.log(
    JSON.stringify({
      bench: 'policy-simulate',
      source,
      outcomes: r.outcomes,
      targetRisk: settings.targetRisk,
      minOutcomes: settings.minOutcomes,
      current: r.current,
      proposed: r.proposed,
      intents: r.intents,
    }),
  );
}

/** Labelled rows as outcomes: the offline triage with every allow-listed intent in auto mode at any confidence. */
function labelledSamples(rows: ReturnType<typeof loadDataset>): AutonomySample[] {
  const classify = createOfflineClassifier(bundledModelFile());
  const samples: AutonomySample[] = [];
  for (const row of rows) {
    if (row.route === null) continue;
    const c = classify({ text: row.text });
    const requested = c.entities.orderNumbers[0] ?? null;
    const order = ORDER_INTENTS.includes(c.primaryIntent) || requested ? cleanOrder(requested ?? 'SL-10001') : null;
    const draft = draftOffline({ classification: c, order, policy: BENCH_POLICY, version: 1 });
    const confidence = scoreConfidence({ classification: c, order, draft, requestedOrderNumber: requested });
    const d = routeTicket({
      classification: c,
      order,
      confidence,
      draft,
      policy: DEFAULT_ROUTING_POLICY,
      autoSendEnabled: true,
    });
    if (!d.autonomy?.candidate) continue;
    samples.push({ intent: c.primaryIntent, confidence: confidence.score, wrong: row.route !== 'auto' });
  }
  return samples;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
