/**
 * Offline triage evaluation on labelled JSONL (fields: text, family, route; route null = out of domain).
 *
 *   node dist/bench/eval.js --data /path/to/dev.jsonl [--errors 20]
 *
 * Pipeline per row: classifyOffline -> (synthetic order) -> draftOffline -> scoreConfidence -> routeTicket
 * with autoSendEnabled=true and DEFAULT_ROUTING_POLICY.
 * Order decision: a synthetic CLEAN order (bench/lib/fixtures.ts: domestic, $59.90, not VIP, no earlier contacts,
 * one UPS shipment in transit) is supplied when the classifier's primary intent needs an order or the text names
 * an order number (then the snapshot carries that number), i.e. we assume the order system found the order.
 * Otherwise order = null. This measures the classifier and router, not the order lookup.
 *
 * Ends with one JSON line of figures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULT_ROUTING_POLICY,
  HARD_RULE_INTENTS,
  INTENTS,
  ORDER_INTENTS,
  classifyOffline,
  draftOffline,
  routeTicket,
  scoreConfidence,
} from '../libs/domain';
import type { Route } from '../libs/domain';
import { BENCH_POLICY, cleanOrder } from './lib/fixtures';
import { textArg } from './lib/args';

interface Row {
  id?: string;
  text: string;
  family: string;
  route: Route | null;
  intent?: string;
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a';
}
const r4 = (x: number) => (Number.isFinite(x) ? Math.round(x * 10_000) / 10_000 : null);

function main(): void {
  const file = textArg('data');
  if (!file) {
    console.error('usage: node dist/bench/eval.js --data <file.jsonl> [--errors N]');
    process.exit(2);
  }
  const showErrors = Number(textArg('errors') ?? 0);
  const dataset = path.basename(path.dirname(path.resolve(file)));
  const rows: Row[] = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row)
    .filter((r) => typeof r.text === 'string');

  // classifier-only throughput
  const tc0 = process.hrtime.bigint();
  for (const r of rows) classifyOffline({ text: r.text });
  const classifySecs = Number(process.hrtime.bigint() - tc0) / 1e9;

  const t0 = process.hrtime.bigint();
  const fam = new Map<string, { tp: number; fp: number; fn: number; support: number }>();
  const F = (f: string) => {
    let v = fam.get(f);
    if (!v) fam.set(f, (v = { tp: 0, fp: 0, fn: 0, support: 0 }));
    return v;
  };
  const routes: (Route | 'null')[] = ['auto', 'review', 'escalate', 'null'];
  const confusion = new Map<string, number>();
  const bins = [0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0001];
  const cal = bins.slice(0, -1).map(() => ({ n: 0, sumConf: 0, correct: 0 }));
  const hard = new Map<string, { n: number; escalated: number; byOwnRule: number }>();
  let unsafe = 0;
  let needsHuman = 0;
  let labelled = 0;
  let inDomain = 0;
  const reasonCounts = new Map<string, number>();
  const errors: string[] = [];

  for (const r of rows) {
    const c = classifyOffline({ text: r.text });
    const requested = c.entities.orderNumbers[0] ?? null;
    const wantsOrder = ORDER_INTENTS.includes(c.primaryIntent) || requested !== null;
    const order = wantsOrder ? cleanOrder(requested ? requested.replace(/^#/, '') : 'SL-10001') : null;
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
    for (const reason of d.reasons)
      reasonCounts.set(`${d.route}:${reason.code}`, (reasonCounts.get(`${d.route}:${reason.code}`) ?? 0) + 1);

    const gold = r.route ?? 'null';
    confusion.set(`${gold}|${d.route}`, (confusion.get(`${gold}|${d.route}`) ?? 0) + 1);
    if (r.route !== null) {
      labelled++;
      if (r.route === 'review' || r.route === 'escalate') {
        needsHuman++;
        if (d.route === 'auto') {
          unsafe++;
          errors.push(
            `UNSAFE auto: gold ${r.family}/${r.route} pred ${c.primaryIntent} conf ${confidence.score} | ${r.text.slice(0, 120)}`,
          );
        }
      }
    }
    if ((HARD_RULE_INTENTS as readonly string[]).includes(r.family)) {
      const h = hard.get(r.family) ?? { n: 0, escalated: 0, byOwnRule: 0 };
      h.n++;
      if (d.route === 'escalate') h.escalated++;
      if (d.route === 'escalate' && d.reasons.some((x) => x.code === r.family)) h.byOwnRule++;
      hard.set(r.family, h);
    }
    if (r.route === null) continue; // family metrics and calibration: in-domain rows only
    inDomain++;
    const p = c.primaryIntent;
    F(r.family).support++;
    if (p === r.family) F(p).tp++;
    else {
      F(p).fp++;
      F(r.family).fn++;
      if (errors.length < 5000)
        errors.push(`${r.family}${r.intent ? `/${r.intent}` : ''} -> ${p} | ${r.text.slice(0, 120)}`);
    }
    const pc = c.intents.find((i) => i.intent === p)?.confidence ?? 0;
    const b = bins.findIndex((lo, i) => pc >= lo && pc < bins[i + 1]);
    if (b >= 0) {
      cal[b].n++;
      cal[b].sumConf += pc;
      if (p === r.family) cal[b].correct++;
    }
  }
  const pipelineSecs = Number(process.hrtime.bigint() - t0) / 1e9;

  console.log(
    `# eval ${dataset} (${rows.length} rows, ${inDomain} in-domain, policy ${DEFAULT_ROUTING_POLICY.version})`,
  );
  console.log('');
  console.log('family                    support  prec   rec    F1');
  let f1sum = 0;
  let f1n = 0;
  const order = [...INTENTS].filter((f) => fam.has(f));
  for (const f of order) {
    const v = fam.get(f)!;
    const prec = v.tp + v.fp ? v.tp / (v.tp + v.fp) : NaN;
    const rec = v.tp + v.fn ? v.tp / (v.tp + v.fn) : NaN;
    const f1 = prec + rec > 0 ? (2 * prec * rec) / (prec + rec) : 0;
    if (v.support > 0) {
      f1sum += f1;
      f1n++;
    }
    console.log(
      `${f.padEnd(26)}${String(v.support).padStart(7)}  ${Number.isFinite(prec) ? prec.toFixed(3) : '  -  '}  ${Number.isFinite(rec) ? rec.toFixed(3) : '  -  '}  ${v.support > 0 ? f1.toFixed(3) : '(not in data)'}`,
    );
  }
  const macroF1 = f1n ? f1sum / f1n : NaN;
  console.log(`macro-F1 over ${f1n} in-domain families present: ${macroF1.toFixed(3)}`);
  console.log('');
  console.log('route confusion (rows = label, cols = predicted)');
  console.log(
    `${'label'.padEnd(10)}${routes
      .slice(0, 3)
      .map((r) => r.padStart(10))
      .join('')}`,
  );
  for (const g of routes) {
    const cells = routes.slice(0, 3).map((p) => String(confusion.get(`${g}|${p}`) ?? 0).padStart(10));
    console.log(`${g.padEnd(10)}${cells.join('')}`);
  }
  const unsafeRate = needsHuman ? unsafe / needsHuman : 0;
  console.log('');
  console.log(
    `unsafe auto-send: ${unsafe} of ${needsHuman} rows labelled review/escalate = ${pct(unsafeRate)} (of all ${labelled} labelled rows: ${pct(labelled ? unsafe / labelled : 0)})`,
  );
  const autoCount = [...confusion.entries()].filter(([k]) => k.endsWith('|auto')).reduce((a, [, v]) => a + v, 0);
  console.log(`auto-sent overall: ${autoCount} of ${rows.length} (${pct(autoCount / rows.length)})`);
  console.log('');
  console.log('hard-rule escalation recall');
  for (const [f, h] of hard)
    console.log(
      `  ${f.padEnd(24)} ${h.escalated}/${h.n} = ${pct(h.escalated / h.n)} escalated (${pct(h.byOwnRule / h.n)} by the ${f} rule itself)`,
    );
  if (hard.size === 0) console.log('  (no hard-rule rows in this dataset)');
  console.log('');
  console.log('calibration (primary-intent confidence vs primaryIntent == family, in-domain rows)');
  console.log('  bin          n     mean conf  accuracy');
  for (let i = 0; i < cal.length; i++) {
    const b = cal[i];
    console.log(
      `  [${bins[i].toFixed(1)},${Math.min(1, bins[i + 1]).toFixed(1)}${i === cal.length - 1 ? ']' : ')'}  ${String(b.n).padStart(6)}  ${b.n ? (b.sumConf / b.n).toFixed(3) : '  -  '}      ${b.n ? pct(b.correct / b.n) : '-'}`,
    );
  }
  const hi = cal.slice(4).reduce((a, b) => ({ n: a.n + b.n, correct: a.correct + b.correct }), { n: 0, correct: 0 });
  const hiAcc = hi.n ? hi.correct / hi.n : NaN;
  console.log(`  confidence >= 0.8: ${hi.n} predictions, ${pct(hiAcc)} correct`);
  console.log('');
  console.log('top routing reasons');
  for (const [k, v] of [...reasonCounts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12))
    console.log(`  ${k.padEnd(40)} ${v}`);
  const msgsPerSec = rows.length / classifySecs;
  const pipelinePerSec = rows.length / pipelineSecs;
  console.log('');
  console.log(
    `throughput: classify ${msgsPerSec.toFixed(0)} msg/s; full pipeline (classify+draft+score+route) ${pipelinePerSec.toFixed(0)} msg/s`,
  );
  if (showErrors > 0) {
    console.log('');
    console.log(`first ${showErrors} errors:`);
    for (const e of errors.slice(0, showErrors)) console.log(`  ${e}`);
  }
  const fraud = hard.get('fraud_claim');
  const hardAll = [...hard.values()].reduce((a, h) => ({ n: a.n + h.n, e: a.e + h.escalated }), { n: 0, e: 0 });
  console.log(
    JSON.stringify({
      bench: 'eval',
      dataset,
      rows: rows.length,
      inDomainRows: inDomain,
      macroF1: r4(macroF1),
      unsafeAutoSendRate: r4(unsafeRate),
      unsafeAutoSends: unsafe,
      autoSendRate: r4(autoCount / rows.length),
      fraudRecall: fraud ? r4(fraud.escalated / fraud.n) : null,
      fraudRuleRecall: fraud ? r4(fraud.byOwnRule / fraud.n) : null,
      hardRuleRecall: hardAll.n ? r4(hardAll.e / hardAll.n) : null,
      calibrationAtOrAbove08: { n: hi.n, accuracy: r4(hiAcc) },
      msgsPerSec: Math.round(msgsPerSec),
      pipelineMsgsPerSec: Math.round(pipelinePerSec),
      policyVersion: DEFAULT_ROUTING_POLICY.version,
    }),
  );
}

main();
