/**
 * Trains the offline intent model from the labelled dev sets and writes it, with its model card's figures:
 *
 *   npm run train [-- --datasets <dir>] [--quick]
 *
 * 1. loads banking77, bitext_customer_support and hint3_ecommerce dev rows from ../shared/datasets (never copied
 *    into the repository) and hashes them;
 * 2. intent head: picks dataset weights, L2 strength and the decision threshold (below it a message is `other`) by
 *    5-fold cross-validation inside those rows (folds by normalised-text hash, so duplicates never straddle a fold):
 *    the setting whose out-of-fold macro-F1 clears the release criteria of bench/lib/gates.ts by the widest margin
 *    on the worst dataset;
 * 3. calibrates both heads by temperature scaling on the out-of-fold logits and reports the expected calibration
 *    error, cross-fitted (each fold's temperature comes from the other folds);
 * 4. route head: picks its dataset weights and the `review_advised` threshold of each auto-sendable intent by
 *    simulating the production router (DEFAULT_ROUTING_POLICY) on the out-of-fold predictions: the most automatic
 *    sends of rows labelled `auto` such that rows labelled review/escalate sent automatically stay under 90 % of the
 *    release limits (pooled, and per dataset);
 * 5. trains on all rows with the chosen settings, quantises to int8 and writes
 *    libs/domain/src/triage/model/intent-model.json and the figures block of MODEL_CARD.md.
 *
 * Deterministic: a fixed seed for folds and SGD shuffling; the same rows, code and Node version give the same file.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULT_ROUTING_POLICY,
  INTENTS,
  createOfflineClassifier,
  intentModel,
  type Intent,
  type ModelDecision,
  type RoutingPolicy,
} from '../libs/domain';
import {
  DATASETS,
  REPO_ROOT,
  dataHash,
  datasetsRoot,
  loadAll,
  type DatasetName,
  type LabelledRow,
} from './lib/datasets';
import { MAX_UNSAFE_AUTO_SEND, MAX_UNSAFE_AUTO_SEND_PER_DATASET, MIN_MACRO_F1 } from './lib/gates';
import {
  buildExamples,
  fitHeads,
  fitRouteHead,
  intentLabels,
  outOfFold,
  toModelFile,
  trainingRows,
  type Examples,
  type OutOfFold,
  type TrainingConfig,
} from './lib/model-training';
import { runPipeline } from './lib/pipeline';
import { denseLogits, expectedCalibrationError, featurize, fitTemperature, macroF1, quantizeHead } from './lib/trainer';

const MODEL_DIR = path.join(REPO_ROOT, 'libs', 'domain', 'src', 'triage', 'model');
const MODEL_FILE = path.join(MODEL_DIR, 'intent-model.json');
const CARD_FILE = path.join(MODEL_DIR, 'MODEL_CARD.md');
/** Name of the training recipe; bump when the recipe changes meaning. */
const RECIPE = 'intents-1';

const BASE: TrainingConfig = {
  features: {
    buckets: 1 << 16,
    charMin: 3,
    charMax: 5,
    charWeight: 0.5,
    negationScope: 3,
    typoRepair: true,
    lengthFeature: true,
  },
  lambda: 1e-6,
  epochs: 30,
  eta0: 1,
  datasetWeight: { banking77: 0.2, bitext_customer_support: 1, hint3_ecommerce: 3 },
  classPower: 0.5,
  folds: 5,
  seed: 20_250_301,
};

/** The intent-head grid (each point is a full 5-fold cross-validation). */
function intentGrid(quick: boolean): TrainingConfig[] {
  const out: TrainingConfig[] = [];
  for (const banking77 of quick ? [0.2] : [0.2, 0.35])
    for (const hint3_ecommerce of quick ? [3] : [2, 3])
      for (const lambda of quick ? [3e-6] : [3e-6, 1e-5])
        out.push({ ...BASE, lambda, datasetWeight: { ...BASE.datasetWeight, banking77, hint3_ecommerce } });
  return out;
}
const MIN_CONFIDENCE_GRID = [0.3, 0.35, 0.4, 0.45, 0.5];
/** Route-head dataset weights tried (undefined: the intent head's). */
const ROUTE_WEIGHT_GRID: (Record<DatasetName, number> | undefined)[] = [
  undefined,
  { banking77: 1, bitext_customer_support: 1, hint3_ecommerce: 1 },
  { banking77: 0.5, bitext_customer_support: 1, hint3_ecommerce: 5 },
];
/** Decision thresholds are only considered when every dataset's macro-F1 clears its criterion by this much. */
const F1_MARGIN = 0.015;
const REVIEW_ADVISED_GRID = [0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.5];
/** `review_advised` for intents that are never sent automatically anyway: more likely a person's than not. */
const REVIEW_ADVISED_DEFAULT = 0.5;
/** Simulated unsafe automatic sends must stay a tenth below the release limits (pooled and per dataset). */
const SIMULATED_UNSAFE_BUDGET = MAX_UNSAFE_AUTO_SEND * 0.9;
const SIMULATED_UNSAFE_BUDGET_PER_DATASET = MAX_UNSAFE_AUTO_SEND_PER_DATASET * 0.9;

const log = (line: string) => console.log(line);
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

function argmax(z: ArrayLike<number>): number {
  let b = 0;
  for (let i = 1; i < z.length; i++) if (z[i] > z[b]) b = i;
  return b;
}

/**
 * Primary intent under the decision rule of classify.ts: the top family if its probability reaches `min`, else
 * `other` with confidence 1 − P(best specific family).
 */
function decide(p: Float64Array, labels: readonly Intent[], min: number): { intent: Intent; confidence: number } {
  const top = argmax(p);
  if (p[top] >= min) return { intent: labels[top], confidence: p[top] };
  const other = labels.indexOf('other');
  let guess = -1;
  for (let c = 0; c < p.length; c++) if (c !== other && (guess < 0 || p[c] > p[guess])) guess = c;
  return { intent: 'other', confidence: 1 - p[guess] };
}

interface Scored {
  perDataset: Record<DatasetName, number>;
  margin: number;
  mean: number;
}

function scoreIntent(
  rows: readonly LabelledRow[],
  probs: readonly Float64Array[],
  labels: readonly Intent[],
  min: number,
) {
  const perDataset = {} as Record<DatasetName, number>;
  for (const d of DATASETS) {
    const gold: string[] = [];
    const pred: string[] = [];
    rows.forEach((r, i) => {
      if (r.dataset !== d || r.route === null) return;
      gold.push(r.family);
      pred.push(decide(probs[i], labels, min).intent);
    });
    perDataset[d] = macroF1(gold, pred);
  }
  const margin = Math.min(...DATASETS.map((d) => perDataset[d] - MIN_MACRO_F1[d]));
  const mean = DATASETS.reduce((a, d) => a + perDataset[d], 0) / DATASETS.length;
  return { perDataset, margin, mean } satisfies Scored;
}

/** ECE where each fold's temperature is fitted on the other folds' out-of-fold logits. */
function crossFittedEce(
  rows: readonly LabelledRow[],
  ex: Examples,
  logits: readonly Float64Array[],
  ys: ArrayLike<number>,
  use: readonly number[],
  folds: number,
  outcome: (p: Float64Array, i: number) => { confidence: number; correct: boolean },
): { pooled: number; perDataset: Record<DatasetName, number> } {
  const conf: number[] = [];
  const correct: boolean[] = [];
  const ds: DatasetName[] = [];
  for (let f = 0; f < folds; f++) {
    const T = fitTemperature(
      logits,
      ys,
      use.filter((i) => ex.fold[i] !== f),
    );
    for (const i of use) {
      if (ex.fold[i] !== f) continue;
      const o = outcome(intentModel.softmax(logits[i], T), i);
      conf.push(o.confidence);
      correct.push(o.correct);
      ds.push(rows[i].dataset);
    }
  }
  const perDataset = {} as Record<DatasetName, number>;
  for (const d of DATASETS) {
    const idx = ds.map((x, n) => (x === d ? n : -1)).filter((n) => n >= 0);
    perDataset[d] = r4(
      expectedCalibrationError(
        idx.map((n) => conf[n]),
        idx.map((n) => correct[n]),
      ),
    );
  }
  return { pooled: r4(expectedCalibrationError(conf, correct)), perDataset };
}

/** What the production pipeline does with each row apart from the review_advised flag (out-of-fold intent heads). */
interface Probe {
  pred: Intent;
  score: number;
  /** No blocker other than the allow-list, the confidence threshold and review_advised. */
  clean: boolean;
}

function probePipeline(
  rows: readonly LabelledRow[],
  ex: Examples,
  oof: OutOfFold,
  config: TrainingConfig,
  min: number,
  temperature: number,
): Probe[] {
  // every intent allowed at any confidence, so the reasons left are the other blockers
  const open: RoutingPolicy = {
    ...DEFAULT_ROUTING_POLICY,
    autoSendAllowlist: INTENTS.filter((i) => DEFAULT_ROUTING_POLICY.thresholds[i].review <= 1),
    thresholds: Object.fromEntries(
      INTENTS.map((i) => [i, { auto: 0, review: DEFAULT_ROUTING_POLICY.thresholds[i].review }]),
    ) as RoutingPolicy['thresholds'],
  };
  const simulated = new Set(['intent_not_allowlisted', 'below_auto_threshold', 'review_advised', 'auto_send_eligible']);
  const out = new Array<Probe>(rows.length);
  for (let f = 0; f < config.folds; f++) {
    const classify = createOfflineClassifier(
      toModelFile(oof.heads[f], {
        version: `probe-${f}`,
        dataSha256: '',
        temperature: { intent: temperature, route: 1 },
        decision: { minIntentConfidence: min, reviewAdvisedAt: { default: 2 } },
        config,
      }),
    );
    for (let i = 0; i < rows.length; i++) {
      if (ex.fold[i] !== f) continue;
      const o = runPipeline(classify, rows[i].text, open);
      out[i] = { pred: o.c.primaryIntent, score: o.score, clean: o.reasons.every((r) => simulated.has(r)) };
    }
  }
  return out;
}

interface OperatingPoint {
  reviewAdvisedAt: Partial<Record<Intent, number>>;
  pooledAutoShare: number;
  perDataset: Record<DatasetName, { autoShare: number; unsafe: number; unsafeRows: number }>;
}

/**
 * Per auto-sendable intent, the review_advised threshold (searched over a grid) that keeps simulated unsafe
 * sends within budget (pooled and per dataset), maximising the pooled share of auto-labelled rows sent automatically.
 */
function chooseOperatingPoint(
  rows: readonly LabelledRow[],
  probe: readonly Probe[],
  personP: readonly number[],
): OperatingPoint {
  const allow = DEFAULT_ROUTING_POLICY.autoSendAllowlist;
  const candidates = rows
    .map((r, i) => i)
    .filter((i) => rows[i].route !== null && probe[i].clean && allow.includes(probe[i].pred))
    .filter((i) => probe[i].score >= DEFAULT_ROUTING_POLICY.thresholds[probe[i].pred].auto);
  const autoRows = {} as Record<DatasetName, number>;
  const personRows = {} as Record<DatasetName, number>;
  for (const d of DATASETS) {
    autoRows[d] = rows.filter((r) => r.dataset === d && r.route === 'auto').length;
    personRows[d] = rows.filter((r) => r.dataset === d && (r.route === 'review' || r.route === 'escalate')).length;
  }
  const allPerson = DATASETS.reduce((s, d) => s + personRows[d], 0);
  const evaluate = (th: Partial<Record<Intent, number>>) => {
    const a = {} as Record<DatasetName, number>;
    const u = {} as Record<DatasetName, number>;
    for (const d of DATASETS) a[d] = u[d] = 0;
    for (const i of candidates) {
      if (!(personP[i] < (th[probe[i].pred] ?? 0))) continue;
      if (rows[i].route === 'auto') a[rows[i].dataset]++;
      else u[rows[i].dataset]++;
    }
    const unsafe = DATASETS.reduce((s, d) => s + u[d], 0);
    const ok =
      unsafe <= SIMULATED_UNSAFE_BUDGET * allPerson &&
      DATASETS.every((d) => u[d] <= SIMULATED_UNSAFE_BUDGET_PER_DATASET * personRows[d]);
    return { a, u, ok, total: DATASETS.reduce((s, d) => s + a[d], 0) };
  };
  // exhaustive over the grid (a few thousand points): coordinate ascent gets stuck on the smallest dataset's budget
  let th: Partial<Record<Intent, number>> = Object.fromEntries(allow.map((i) => [i, REVIEW_ADVISED_GRID[0]]));
  let bestTotal = -1;
  const point: Partial<Record<Intent, number>> = {};
  const search = (k: number): void => {
    if (k === allow.length) {
      const e = evaluate(point);
      if (e.ok && e.total > bestTotal) {
        bestTotal = e.total;
        th = { ...point };
      }
      return;
    }
    for (const v of REVIEW_ADVISED_GRID) {
      point[allow[k]] = v;
      search(k + 1);
    }
  };
  search(0);
  const e = evaluate(th);
  const allAuto = DATASETS.reduce((s, d) => s + autoRows[d], 0);
  const perDataset = {} as OperatingPoint['perDataset'];
  for (const d of DATASETS)
    perDataset[d] = { autoShare: r4(e.a[d] / autoRows[d]), unsafe: r4(e.u[d] / personRows[d]), unsafeRows: e.u[d] };
  return { reviewAdvisedAt: th, pooledAutoShare: r4(e.total / allAuto), perDataset };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const started = Date.now();
  const rows = loadAll(datasetsRoot());
  const dataSha256 = dataHash(rows);
  const labels = intentLabels(rows);
  log(
    `# train ${RECIPE}: ${rows.length} rows (${DATASETS.map((d) => `${d} ${rows.filter((r) => r.dataset === d).length}`).join(', ')})`,
  );
  log(`data sha256 ${dataSha256}`);
  log(`intent labels (${labels.length}): ${labels.join(', ')}`);
  const xs = featurize(
    rows.map((r) => r.text),
    BASE.features,
  );
  const inDomain = rows.map((r, i) => (r.route === null ? -1 : i)).filter((i) => i >= 0);
  const all = rows.map((_, i) => i);

  // 1. intent head: hyper-parameters by cross-validation (the widest macro-F1 margin over the release criteria)
  const configs = intentGrid(quick);
  log('');
  log(
    `intent head: ${configs.length} settings × ${MIN_CONFIDENCE_GRID.length} decision thresholds, ${BASE.folds}-fold`,
  );
  interface Candidate {
    config: TrainingConfig;
    oof: OutOfFold;
    T: number;
    byMin: { min: number; scored: Scored }[];
    best: { min: number; scored: Scored };
  }
  let chosen: Candidate | null = null;
  for (const config of configs) {
    const t0 = Date.now();
    const ex = buildExamples(rows, labels, config, xs);
    const oof = outOfFold(ex, labels, config);
    const T = fitTemperature(oof.intent, ex.intent, all);
    const probs = oof.intent.map((z) => intentModel.softmax(z, T));
    const byMin = MIN_CONFIDENCE_GRID.map((min) => ({ min, scored: scoreIntent(rows, probs, labels, min) }));
    const best = byMin.reduce((a, b) => (b.scored.margin > a.scored.margin + 1e-9 ? b : a));
    log(
      `  banking ×${config.datasetWeight.banking77}, hint3 ×${config.datasetWeight.hint3_ecommerce}, λ ${config.lambda}: ` +
        DATASETS.map((d) => `${d.split('_')[0]} ${best.scored.perDataset[d].toFixed(4)}`).join(', ') +
        ` at ${best.min} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
    if (!chosen || best.scored.margin > chosen.best.scored.margin + 1e-9) chosen = { config, oof, T, byMin, best };
  }
  if (!chosen) throw new Error('empty grid');
  let config = chosen.config;
  const intentT = chosen.T;
  log(
    `chosen: banking ×${config.datasetWeight.banking77}, hint3 ×${config.datasetWeight.hint3_ecommerce}, λ ${config.lambda}; temperature ${intentT}`,
  );

  // 2. route head weighting, decision threshold and review_advised thresholds, by simulating the router
  log('');
  log(
    `route head: ${ROUTE_WEIGHT_GRID.length} weightings; review_advised per auto-sendable intent (${DEFAULT_ROUTING_POLICY.autoSendAllowlist.join(', ')}); decision thresholds with every macro-F1 margin >= ${F1_MARGIN}`,
  );
  const routeHeads = ROUTE_WEIGHT_GRID.map((weights) => {
    const c = { ...config, routeDatasetWeight: weights };
    const exr = buildExamples(rows, labels, c, xs);
    const logits = new Array<Float64Array>(rows.length);
    const folds: intentModel.Head[] = [];
    for (let f = 0; f < c.folds; f++) {
      const h = fitRouteHead(exr, trainingRows(exr, f), c);
      for (const i of exr.routed) if (exr.fold[i] === f) logits[i] = denseLogits(h, exr.xs[i]);
      folds.push(intentModel.decodeHead(quantizeHead(h, 1), c.features.buckets));
    }
    const T = fitTemperature(logits, exr.route, exr.routed);
    // the quantised fold heads, as the evaluation will run them
    const personP = rows.map((_, i) =>
      exr.route[i] !== undefined && rows[i].route !== null
        ? intentModel.softmax(intentModel.logits(folds[exr.fold[i]], xs[i]), T)[1]
        : 1,
    );
    return { weights, T, logits, personP };
  });
  const mins = chosen.byMin.filter((m) => m.scored.margin >= F1_MARGIN);
  if (mins.length === 0) mins.push(chosen.best);
  let pick: { min: number; scored: Scored; route: (typeof routeHeads)[number]; point: OperatingPoint } | null = null;
  for (const m of mins) {
    const probe = probePipeline(rows, buildExamples(rows, labels, config, xs), chosen.oof, config, m.min, intentT);
    for (const r of routeHeads) {
      const point = chooseOperatingPoint(rows, probe, r.personP);
      const w = r.weights ?? config.datasetWeight;
      log(
        `  min ${m.min} (F1 ${DATASETS.map((d) => m.scored.perDataset[d].toFixed(3)).join('/')}), route weights ${w.banking77}/${w.bitext_customer_support}/${w.hint3_ecommerce}: ` +
          `auto share ${point.pooledAutoShare} (${DATASETS.map((d) => `${point.perDataset[d].autoShare}, ${point.perDataset[d].unsafeRows} unsafe`).join('; ')}) at ${JSON.stringify(point.reviewAdvisedAt)}`,
      );
      if (
        !pick ||
        point.pooledAutoShare > pick.point.pooledAutoShare + 1e-9 ||
        (Math.abs(point.pooledAutoShare - pick.point.pooledAutoShare) <= 1e-9 && m.scored.margin > pick.scored.margin)
      )
        pick = { min: m.min, scored: m.scored, route: r, point };
    }
  }
  if (!pick) throw new Error('no operating point');
  const min = pick.min;
  const route = pick.route;
  config = { ...config, routeDatasetWeight: route.weights };
  const ex = buildExamples(rows, labels, config, xs);
  const routeT = route.T;
  const decision: ModelDecision = {
    minIntentConfidence: min,
    reviewAdvisedAt: { default: REVIEW_ADVISED_DEFAULT, ...pick.point.reviewAdvisedAt },
  };
  log(
    `chosen: min intent confidence ${min}, route temperature ${routeT}, review_advised ${JSON.stringify(decision.reviewAdvisedAt)}`,
  );

  // 3. calibration figures
  const rawEce = r4(
    expectedCalibrationError(
      inDomain.map((i) => decide(intentModel.softmax(chosen!.oof.intent[i], 1), labels, min).confidence),
      inDomain.map((i) => decide(intentModel.softmax(chosen!.oof.intent[i], 1), labels, min).intent === rows[i].family),
    ),
  );
  const ece = crossFittedEce(rows, ex, chosen.oof.intent, ex.intent, inDomain, config.folds, (p, i) => {
    const d = decide(p, labels, min);
    return { confidence: d.confidence, correct: d.intent === rows[i].family };
  });
  const routeEce = crossFittedEce(rows, ex, route.logits, ex.route, ex.routed, config.folds, (p, i) => ({
    confidence: Math.max(p[0], p[1]),
    correct: (p[1] >= 0.5 ? 1 : 0) === ex.route[i],
  }));
  log(
    `ECE (15 bins, cross-fitted): intent ${rawEce} uncalibrated, ${ece.pooled} calibrated (in-domain rows); route ${routeEce.pooled}`,
  );

  // 4. the shipped model: all rows
  const t0 = Date.now();
  const heads = fitHeads(ex, all, labels, config);
  const fitSeconds = (Date.now() - t0) / 1000;
  const meta = { version: '', dataSha256, temperature: { intent: intentT, route: routeT }, decision, config };
  // the version names the recipe, the data and the weights, so two different files never share one
  const weightsSha = createHash('sha256')
    .update(JSON.stringify(toModelFile(heads, meta)))
    .digest('hex');
  const version = `${RECIPE}-${dataSha256.slice(0, 8)}-${weightsSha.slice(0, 8)}`;
  const file = toModelFile(heads, { ...meta, version });
  const prettier = await import('prettier');
  const prettierOptions = (await prettier.resolveConfig(MODEL_FILE)) ?? {};
  const json = await prettier.format(JSON.stringify(file), { ...prettierOptions, parser: 'json' });
  fs.writeFileSync(MODEL_FILE, json);
  const totalSeconds = (Date.now() - started) / 1000;

  const figures: Figures = {
    version,
    rows: rows.length,
    rowsPerDataset: Object.fromEntries(DATASETS.map((d) => [d, rows.filter((r) => r.dataset === d).length])),
    dataSha256,
    config,
    decision,
    temperature: { intent: intentT, route: routeT },
    outOfFoldMacroF1: Object.fromEntries(DATASETS.map((d) => [d, r4(pick!.scored.perDataset[d])])),
    intentEce: { uncalibrated: rawEce, calibrated: ece.pooled, perDataset: ece.perDataset },
    routeEce,
    simulatedRouting: pick.point,
    modelFileBytes: Buffer.byteLength(json),
    finalFitSeconds: Math.round(fitSeconds * 10) / 10,
    trainingSeconds: Math.round(totalSeconds),
    node: process.version,
  };
  const card = fs.readFileSync(CARD_FILE, 'utf8');
  const a = card.indexOf(BEGIN);
  const b = card.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${CARD_FILE} has no figures block (${BEGIN} … ${END})`);
  const updated = card.slice(0, a) + cardBlock(figures) + card.slice(b + END.length);
  fs.writeFileSync(CARD_FILE, await prettier.format(updated, { ...prettierOptions, parser: 'markdown' }));
  log('');
  log(
    `wrote ${path.relative(REPO_ROOT, MODEL_FILE)} (${(figures.modelFileBytes / 1024).toFixed(0)} KiB) and the figures of ${path.relative(REPO_ROOT, CARD_FILE)}`,
  );
  log(`training took ${totalSeconds.toFixed(0)} s (final fit ${fitSeconds.toFixed(1)} s)`);
  const { config: _c, ...summary } = figures;
  log(JSON.stringify({ bench: 'train', ...summary }));
}

interface Figures {
  version: string;
  rows: number;
  rowsPerDataset: Record<string, number>;
  dataSha256: string;
  config: TrainingConfig;
  decision: ModelDecision;
  temperature: { intent: number; route: number };
  outOfFoldMacroF1: Record<string, number>;
  intentEce: { uncalibrated: number; calibrated: number; perDataset: Record<string, number> };
  routeEce: { pooled: number; perDataset: Record<string, number> };
  simulatedRouting: OperatingPoint;
  modelFileBytes: number;
  finalFitSeconds: number;
  trainingSeconds: number;
  node: string;
}

const BEGIN = '<!-- figures:begin (written by npm run train) -->';
const END = '<!-- figures:end -->';

function cardBlock(f: Figures): string {
  const c = f.config;
  const weights = (w: Record<string, number>) =>
    Object.entries(w)
      .map(([d, x]) => `${d} ×${x}`)
      .join(', ');
  const sim = f.simulatedRouting;
  return [
    BEGIN,
    '',
    `- version \`${f.version}\`, \`intent-model.json\` ${(f.modelFileBytes / 1024).toFixed(0)} KiB; trained with Node ${f.node} in ${f.trainingSeconds} s (search and calibration included; the final fit alone ${f.finalFitSeconds} s)`,
    `- data: ${f.rows} rows (${Object.entries(f.rowsPerDataset)
      .map(([d, n]) => `${d} ${n}`)
      .join(', ')}), sha256 \`${f.dataSha256}\``,
    `- features: ${c.features.buckets} hashed slots; word 1–2-grams, character ${c.features.charMin}–${c.features.charMax}-grams (weight ${c.features.charWeight}), message length${c.features.lengthFeature ? '' : ' (off)'}; negation scope ${c.features.negationScope} words; typo repair ${c.features.typoRepair ? 'on' : 'off'}`,
    `- training: SGD, ${c.epochs} epochs, η₀ ${c.eta0} decaying linearly to 0, L2 λ ${c.lambda}, class weights (n / (K·n_class))^${c.classPower}; dataset weights: intent head ${weights(c.datasetWeight)}, route head ${weights(c.routeDatasetWeight ?? c.datasetWeight)}; ${c.folds} folds, seed ${c.seed}`,
    `- decision: a family is reported from probability ${f.decision.minIntentConfidence} (else \`other\`); \`review_advised\` from P(person) ${Object.entries(
      f.decision.reviewAdvisedAt,
    )
      .map(([k, v]) => `${v} (${k})`)
      .join(', ')}`,
    `- calibration: temperature ${f.temperature.intent} (intent head), ${f.temperature.route} (route head); pooled intent ECE ${f.intentEce.uncalibrated} before temperature scaling, ${f.intentEce.calibrated} after; route ECE ${f.routeEce.pooled}`,
    '',
    '| dataset | out-of-fold macro-F1 (model alone) | intent ECE | route ECE | simulated auto share | simulated unsafe auto-send |',
    '| --- | --- | --- | --- | --- | --- |',
    ...Object.keys(f.outOfFoldMacroF1).map(
      (d) =>
        `| ${d} | ${f.outOfFoldMacroF1[d].toFixed(4)} | ${f.intentEce.perDataset[d].toFixed(4)} | ${f.routeEce.perDataset[d].toFixed(4)} | ${sim.perDataset[d as DatasetName].autoShare} | ${sim.perDataset[d as DatasetName].unsafe} (${sim.perDataset[d as DatasetName].unsafeRows} rows) |`,
    ),
    '',
    `ECE: 15 equal-width bins over the top-label confidence, cross-fitted. The simulation replays the router on out-of-fold predictions (pooled auto share ${sim.pooledAutoShare}); the figures of the whole pipeline come from \`npm run eval\`.`,
    '',
    END,
  ].join('\n');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
