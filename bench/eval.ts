/**
 * The evaluation gate of the offline triage: classifier + drafter + scoring + router on the three labelled dev sets.
 *
 *   npm run eval [-- --datasets <dir>] [--errors 20]
 *
 * Reads banking77, bitext_customer_support and hint3_ecommerce from ../shared/datasets (relative to the repository
 * root; a missing set is an error with instructions, never a skip). The model is evaluated only on rows it was not
 * trained on: for each of the 5 folds a model is trained on the other folds with the shipped training settings
 * (from the model file), and the fold's rows are classified with it (out-of-fold predictions). Hard rules, lexicon,
 * drafts, scoring and routing are the production code.
 *
 * Pipeline per row (bench/lib/pipeline.ts): classify -> (synthetic clean order when the intent needs one or the text
 * names one) -> draftOffline -> scoreConfidence -> routeTicket with autoSendEnabled=true and DEFAULT_ROUTING_POLICY
 * (every allow-listed intent sends automatically). This measures the classifier and router, not the order lookup.
 *
 * Fails (exit 1) below the release criteria of bench/lib/gates.ts: macro-F1 per dataset; fraud-claim escalation
 * recall, unsafe auto-send and the auto-eligible share over the three sets; unsafe auto-send on each set under a
 * looser guard. Ends with one JSON line of figures (pooled, then per dataset).
 */
import {
  DEFAULT_ROUTING_POLICY,
  HARD_RULE_INTENTS,
  INTENTS,
  bundledModelFile,
  createOfflineClassifier,
  type Route,
} from '../libs/domain';
import { textArg } from './lib/args';
import { DATASETS, MissingDatasetsError, dataHash, datasetsRoot, loadAll, type DatasetName } from './lib/datasets';
import {
  MAX_UNSAFE_AUTO_SEND,
  MAX_UNSAFE_AUTO_SEND_PER_DATASET,
  MIN_AUTO_ELIGIBLE_SHARE,
  MIN_FRAUD_RECALL,
  MIN_MACRO_F1,
} from './lib/gates';
import { buildExamples, fitHeads, intentLabels, toModelFile, type TrainingConfig } from './lib/model-training';
import { runPipeline, type Outcome } from './lib/pipeline';
import { expectedCalibrationError } from './lib/trainer';

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a';
}
const r4 = (x: number) => (Number.isFinite(x) ? Math.round(x * 10_000) / 10_000 : null);

interface DatasetFigures {
  rows: number;
  inDomainRows: number;
  macroF1: number | null;
  fraudRecall: number | null;
  fraudRuleRecall: number | null;
  hardRuleRecall: number | null;
  unsafeAutoSendRate: number | null;
  unsafeAutoSends: number;
  reviewOrEscalateRows: number;
  autoEligibleShare: number | null;
  autoEligibleRows: number;
  autoEligibleSent: number;
  autoSendRate: number | null;
  ece: number | null;
  calibrationAtOrAbove08: { n: number; accuracy: number | null };
}

function main(): void {
  const showErrors = Number(textArg('errors') ?? 0);
  const root = datasetsRoot();
  const started = process.hrtime.bigint();
  const rows = loadAll(root);
  const bundled = bundledModelFile() as ReturnType<typeof bundledModelFile> & { training?: TrainingConfig };
  const config = bundled.training;
  if (!config) throw new Error('the bundled model file has no training settings; run npm run train');
  const labels = intentLabels(rows);
  const hash = dataHash(rows);

  // out-of-fold classifiers, one per fold, trained like the shipped model
  const ex = buildExamples(rows, labels, config);
  const outcomes = new Array<Outcome>(rows.length);
  let trainSecs = 0;
  let classifySecs = 0;
  for (let f = 0; f < config.folds; f++) {
    const t0 = process.hrtime.bigint();
    const train: number[] = [];
    for (let i = 0; i < rows.length; i++) if (ex.fold[i] !== f) train.push(i);
    const heads = fitHeads(ex, train, labels, config);
    const classify = createOfflineClassifier(
      toModelFile(heads, {
        version: `${bundled.version}/fold-${f}`,
        dataSha256: hash,
        temperature: { intent: bundled.heads.intent.temperature, route: bundled.heads.route.temperature },
        decision: bundled.decision,
        config,
      }),
    );
    const t1 = process.hrtime.bigint();
    for (let i = 0; i < rows.length; i++) if (ex.fold[i] === f) outcomes[i] = runPipeline(classify, rows[i].text);
    trainSecs += Number(t1 - t0) / 1e9;
    classifySecs += Number(process.hrtime.bigint() - t1) / 1e9;
  }

  const figures = {} as Record<DatasetName, DatasetFigures>;
  const failures: string[] = [];
  for (const dataset of DATASETS) {
    const idx = rows.map((r, i) => (r.dataset === dataset ? i : -1)).filter((i) => i >= 0);
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
    const conf: number[] = [];
    const correct: boolean[] = [];
    let unsafe = 0;
    let needsHuman = 0;
    let autoLabelled = 0;
    let autoLabelledSent = 0;
    let inDomain = 0;
    const reasonCounts = new Map<string, number>();
    const errors: string[] = [];

    for (const i of idx) {
      const r = rows[i];
      const o = outcomes[i];
      const p = o.c.primaryIntent;
      for (const code of o.reasons)
        reasonCounts.set(`${o.route}:${code}`, (reasonCounts.get(`${o.route}:${code}`) ?? 0) + 1);
      const gold = r.route ?? 'null';
      confusion.set(`${gold}|${o.route}`, (confusion.get(`${gold}|${o.route}`) ?? 0) + 1);
      if (r.route === 'review' || r.route === 'escalate') {
        needsHuman++;
        if (o.route === 'auto') {
          unsafe++;
          errors.push(
            `UNSAFE auto: gold ${r.family}/${r.route} (${r.sourceIntent}) pred ${p} score ${o.score} | ${r.text.slice(0, 120)}`,
          );
        }
      }
      if (r.route === 'auto') {
        autoLabelled++;
        if (o.route === 'auto') autoLabelledSent++;
      }
      if ((HARD_RULE_INTENTS as readonly string[]).includes(r.family)) {
        const h = hard.get(r.family) ?? { n: 0, escalated: 0, byOwnRule: 0 };
        h.n++;
        if (o.route === 'escalate') h.escalated++;
        else errors.push(`MISSED ${r.family}: routed ${o.route}, pred ${p} | ${r.text.slice(0, 120)}`);
        if (o.route === 'escalate' && o.reasons.includes(r.family)) h.byOwnRule++;
        hard.set(r.family, h);
      }
      if (r.route === null) continue; // family metrics and calibration: in-domain rows only
      inDomain++;
      F(r.family).support++;
      if (p === r.family) F(p).tp++;
      else {
        F(p).fp++;
        F(r.family).fn++;
        if (errors.length < 5000) errors.push(`${r.family}/${r.sourceIntent} -> ${p} | ${r.text.slice(0, 120)}`);
      }
      const pc = o.c.intents.find((x) => x.intent === p)?.confidence ?? 0;
      conf.push(pc);
      correct.push(p === r.family);
      const b = bins.findIndex((lo, k) => pc >= lo && pc < bins[k + 1]);
      if (b >= 0) {
        cal[b].n++;
        cal[b].sumConf += pc;
        if (p === r.family) cal[b].correct++;
      }
    }

    console.log(
      `# eval ${dataset} (${idx.length} rows, ${inDomain} in-domain, out-of-fold, policy ${DEFAULT_ROUTING_POLICY.version})`,
    );
    console.log('');
    console.log('family                    support  prec   rec    F1');
    let f1sum = 0;
    let f1n = 0;
    for (const f of INTENTS.filter((x) => fam.has(x))) {
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
        .map((x) => x.padStart(10))
        .join('')}`,
    );
    for (const g of routes) {
      const cells = routes.slice(0, 3).map((x) => String(confusion.get(`${g}|${x}`) ?? 0).padStart(10));
      console.log(`${g.padEnd(10)}${cells.join('')}`);
    }
    const unsafeRate = needsHuman ? unsafe / needsHuman : NaN;
    const autoShare = autoLabelled ? autoLabelledSent / autoLabelled : NaN;
    const autoCount = [...confusion.entries()].filter(([k]) => k.endsWith('|auto')).reduce((a, [, v]) => a + v, 0);
    console.log('');
    console.log(`unsafe auto-send: ${unsafe} of ${needsHuman} rows labelled review/escalate = ${pct(unsafeRate)}`);
    console.log(
      `auto-eligible sent automatically: ${autoLabelledSent} of ${autoLabelled} rows labelled auto = ${pct(autoShare)}`,
    );
    console.log(`auto-sent overall: ${autoCount} of ${idx.length} (${pct(autoCount / idx.length)})`);
    console.log('');
    console.log('hard-rule escalation recall');
    for (const [f, h] of hard)
      console.log(
        `  ${f.padEnd(24)} ${h.escalated}/${h.n} = ${pct(h.escalated / h.n)} escalated (${pct(h.byOwnRule / h.n)} with the ${f} reason)`,
      );
    if (hard.size === 0) console.log('  (no hard-rule rows in this dataset)');
    console.log('');
    const ece = conf.length ? expectedCalibrationError(conf, correct) : NaN;
    console.log(
      `calibration (primary-intent confidence vs primaryIntent == family, in-domain rows): ECE ${ece.toFixed(4)}`,
    );
    console.log('  bin          n     mean conf  accuracy');
    for (let k = 0; k < cal.length; k++) {
      const b = cal[k];
      console.log(
        `  [${bins[k].toFixed(1)},${Math.min(1, bins[k + 1]).toFixed(1)}${k === cal.length - 1 ? ']' : ')'}  ${String(b.n).padStart(6)}  ${b.n ? (b.sumConf / b.n).toFixed(3) : '  -  '}      ${b.n ? pct(b.correct / b.n) : '-'}`,
      );
    }
    const hi = cal.slice(4).reduce((a, b) => ({ n: a.n + b.n, correct: a.correct + b.correct }), { n: 0, correct: 0 });
    const hiAcc = hi.n ? hi.correct / hi.n : NaN;
    console.log(`  confidence >= 0.8: ${hi.n} predictions, ${pct(hiAcc)} correct`);
    console.log('');
    console.log('top routing reasons');
    for (const [k, v] of [...reasonCounts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14))
      console.log(`  ${k.padEnd(40)} ${v}`);
    if (showErrors > 0) {
      console.log('');
      console.log(`first ${showErrors} errors:`);
      for (const e of errors.slice(0, showErrors)) console.log(`  ${e}`);
    }
    console.log('');

    const fraud = hard.get('fraud_claim');
    const hardAll = [...hard.values()].reduce((a, h) => ({ n: a.n + h.n, e: a.e + h.escalated }), { n: 0, e: 0 });
    figures[dataset] = {
      rows: idx.length,
      inDomainRows: inDomain,
      macroF1: r4(macroF1),
      fraudRecall: fraud ? r4(fraud.escalated / fraud.n) : null,
      fraudRuleRecall: fraud ? r4(fraud.byOwnRule / fraud.n) : null,
      hardRuleRecall: hardAll.n ? r4(hardAll.e / hardAll.n) : null,
      unsafeAutoSendRate: r4(unsafeRate),
      unsafeAutoSends: unsafe,
      reviewOrEscalateRows: needsHuman,
      autoEligibleShare: r4(autoShare),
      autoEligibleRows: autoLabelled,
      autoEligibleSent: autoLabelledSent,
      autoSendRate: r4(autoCount / idx.length),
      ece: r4(ece),
      calibrationAtOrAbove08: { n: hi.n, accuracy: r4(hiAcc) },
    };
    if (!(macroF1 >= MIN_MACRO_F1[dataset]))
      failures.push(`${dataset}: macro-F1 ${macroF1.toFixed(4)} < ${MIN_MACRO_F1[dataset]}`);
    if (needsHuman && !(unsafeRate <= MAX_UNSAFE_AUTO_SEND_PER_DATASET))
      failures.push(
        `${dataset}: unsafe auto-send ${unsafe}/${needsHuman} = ${pct(unsafeRate)} > ${pct(MAX_UNSAFE_AUTO_SEND_PER_DATASET)}`,
      );
  }

  // pooled over the three dev sets
  const sum = (k: 'unsafeAutoSends' | 'reviewOrEscalateRows' | 'autoEligibleRows' | 'autoEligibleSent') =>
    DATASETS.reduce((a, d) => a + figures[d][k], 0);
  const fraudRows = rows.map((r, i) => (r.family === 'fraud_claim' ? i : -1)).filter((i) => i >= 0);
  const fraudEscalated = fraudRows.filter((i) => outcomes[i].route === 'escalate').length;
  const pooledConf: number[] = [];
  const pooledCorrect: boolean[] = [];
  rows.forEach((r, i) => {
    if (r.route === null) return;
    const p = outcomes[i].c.primaryIntent;
    pooledConf.push(outcomes[i].c.intents.find((x) => x.intent === p)?.confidence ?? 0);
    pooledCorrect.push(p === r.family);
  });
  const pooled = {
    unsafeAutoSendRate: r4(sum('unsafeAutoSends') / sum('reviewOrEscalateRows')),
    unsafeAutoSends: sum('unsafeAutoSends'),
    autoEligibleShare: r4(sum('autoEligibleSent') / sum('autoEligibleRows')),
    fraudRecall: fraudRows.length ? r4(fraudEscalated / fraudRows.length) : null,
    ece: r4(expectedCalibrationError(pooledConf, pooledCorrect)),
  };
  if (fraudRows.length && !(fraudEscalated / fraudRows.length >= MIN_FRAUD_RECALL))
    failures.push(`fraud-claim escalation recall ${pct(fraudEscalated / fraudRows.length)} < ${pct(MIN_FRAUD_RECALL)}`);
  if (!(pooled.unsafeAutoSendRate! <= MAX_UNSAFE_AUTO_SEND))
    failures.push(
      `unsafe auto-send ${pooled.unsafeAutoSends}/${sum('reviewOrEscalateRows')} = ${pct(pooled.unsafeAutoSendRate!)} > ${pct(MAX_UNSAFE_AUTO_SEND)}`,
    );
  if (!(pooled.autoEligibleShare! >= MIN_AUTO_ELIGIBLE_SHARE))
    failures.push(
      `auto-eligible share ${sum('autoEligibleSent')}/${sum('autoEligibleRows')} = ${pct(pooled.autoEligibleShare!)} < ${pct(MIN_AUTO_ELIGIBLE_SHARE)}`,
    );

  const totalSecs = Number(process.hrtime.bigint() - started) / 1e9;
  console.log('# summary (gates: bench/lib/gates.ts)');
  console.log('dataset                    macro-F1  fraud-rec  unsafe-auto  auto-eligible  ECE');
  const line = (name: string, g: Partial<DatasetFigures>) =>
    console.log(
      `${name.padEnd(26)} ${String(g.macroF1 ?? '-').padStart(8)}  ${String(g.fraudRecall ?? '-').padStart(9)}  ${String(g.unsafeAutoSendRate).padStart(11)}  ${String(g.autoEligibleShare).padStart(13)}  ${String(g.ece).padStart(6)}`,
    );
  for (const d of DATASETS) line(d, figures[d]);
  line('all three', pooled);
  console.log(
    `gates: macro-F1 >= ${DATASETS.map((d) => MIN_MACRO_F1[d]).join('/')}; fraud recall >= ${pct(MIN_FRAUD_RECALL)}; unsafe auto-send <= ${pct(MAX_UNSAFE_AUTO_SEND)} over all three and <= ${pct(MAX_UNSAFE_AUTO_SEND_PER_DATASET)} on each; auto-eligible share >= ${pct(MIN_AUTO_ELIGIBLE_SHARE)} over all three`,
  );
  console.log(
    `model ${bundled.version} (out-of-fold copies, ${config.folds} folds): training ${trainSecs.toFixed(1)} s, pipeline ${classifySecs.toFixed(1)} s, total ${totalSecs.toFixed(1)} s`,
  );
  if (bundled.dataSha256 !== hash)
    console.log(
      `note: the bundled model was trained on other rows (data sha256 ${bundled.dataSha256.slice(0, 12)}…, these rows ${hash.slice(0, 12)}…): run npm run train`,
    );
  console.log(failures.length ? `FAILED:\n  ${failures.join('\n  ')}` : 'all gates passed');
  console.log(
    JSON.stringify({
      bench: 'eval',
      passed: failures.length === 0,
      failures,
      model: bundled.version,
      bundledModelMatchesData: bundled.dataSha256 === hash,
      policyVersion: DEFAULT_ROUTING_POLICY.version,
      folds: config.folds,
      seconds: Math.round(totalSecs * 10) / 10,
      ...pooled,
      datasets: figures,
    }),
  );
  if (failures.length) process.exitCode = 1;
}

try {
  main();
} catch (error) {
  console.error(error instanceof MissingDatasetsError ? error.message : error);
  process.exitCode = error instanceof MissingDatasetsError ? 2 : 1;
}
