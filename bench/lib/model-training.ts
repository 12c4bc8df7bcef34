/**
 * From labelled rows to a model file: the recipe `npm run train` runs on all rows and `npm run eval` runs once per
 * fold. Everything that decides the result is in `TrainingConfig`, which the model file keeps, so the evaluation
 * trains its fold models exactly like the shipped one.
 */
import { INTENTS, intentModel, type ClassifierModelFile, type Intent, type ModelDecision } from '../../libs/domain';
import type { DatasetName, LabelledRow } from './datasets';
import { denseLogits, featurize, foldOf, quantizeHead, trainHead, type DenseHead } from './trainer';

type SparseVector = intentModel.SparseVector;

export interface TrainingConfig {
  features: intentModel.FeatureOptions;
  /** SGD settings of both heads. */
  lambda: number;
  epochs: number;
  eta0: number;
  /** Example weight per dataset (Banking77 is large and not e-commerce; HINT3 is small and real retail text). */
  datasetWeight: Record<DatasetName, number>;
  /** Example weight per dataset for the route head (defaults to datasetWeight). */
  routeDatasetWeight?: Record<DatasetName, number>;
  /** Classes are re-weighted by (n / (K × n_class))^classPower, so small families are not drowned. */
  classPower: number;
  folds: number;
  seed: number;
}

export const ROUTE_LABELS = ['auto', 'person'];

/** Intent labels: the families that occur in the rows, in INTENTS order. */
export function intentLabels(rows: readonly LabelledRow[]): Intent[] {
  const present = new Set(rows.map((r) => r.family));
  return INTENTS.filter((i) => present.has(i));
}

export interface Examples {
  xs: SparseVector[];
  intent: Int32Array;
  intentWeight: Float64Array;
  route: Int32Array;
  routeWeight: Float64Array;
  /** Rows with a route label (the route head trains on these only). */
  routed: number[];
  fold: Int32Array;
}

/** `xs` may be passed when the feature options are unchanged (the hyper-parameter search re-weights only). */
export function buildExamples(
  rows: readonly LabelledRow[],
  labels: readonly Intent[],
  c: TrainingConfig,
  xs: SparseVector[] = featurize(
    rows.map((r) => r.text),
    c.features,
  ),
): Examples {
  const intent = Int32Array.from(rows.map((r) => labels.indexOf(r.family)));
  const counts = new Array<number>(labels.length).fill(0);
  for (const y of intent) counts[y]++;
  const intentWeight = Float64Array.from(
    rows.map((r, i) => {
      const cw = Math.pow(rows.length / (labels.length * counts[intent[i]]), c.classPower);
      return c.datasetWeight[r.dataset] * cw;
    }),
  );
  const route = Int32Array.from(rows.map((r) => (r.route === 'auto' ? 0 : 1)));
  const routeWeight = Float64Array.from(rows.map((r) => (c.routeDatasetWeight ?? c.datasetWeight)[r.dataset]));
  const routed = rows.map((r, i) => (r.route === null ? -1 : i)).filter((i) => i >= 0);
  const fold = Int32Array.from(rows.map((r) => foldOf(r.textSha256, c.folds, c.seed)));
  return { xs, intent, intentWeight, route, routeWeight, routed, fold };
}

export interface Heads {
  intent: DenseHead;
  route: DenseHead;
}

/** Fits both heads on the rows `use` (indices into the examples). */
export function fitHeads(ex: Examples, use: readonly number[], labels: readonly Intent[], c: TrainingConfig): Heads {
  const intent = trainHead(ex.xs, ex.intent, ex.intentWeight, use, labels.slice(), c.features.buckets, {
    lambda: c.lambda,
    epochs: c.epochs,
    eta0: c.eta0,
    seed: c.seed,
  });
  return { intent, route: fitRouteHead(ex, use, c) };
}

/** The route head alone, on the rows of `use` that have a route label. */
export function fitRouteHead(ex: Examples, use: readonly number[], c: TrainingConfig): DenseHead {
  const inUse = new Set(use);
  const routeRows = ex.routed.filter((i) => inUse.has(i));
  return trainHead(ex.xs, ex.route, ex.routeWeight, routeRows, ROUTE_LABELS.slice(), c.features.buckets, {
    lambda: c.lambda,
    epochs: c.epochs,
    eta0: c.eta0,
    seed: c.seed + 1,
  });
}

/** Out-of-fold logits of both heads for every row. */
export interface OutOfFold {
  intent: Float64Array[];
  route: Float64Array[];
  /** The heads of each fold (trained without it). */
  heads: Heads[];
}

export function outOfFold(ex: Examples, labels: readonly Intent[], c: TrainingConfig): OutOfFold {
  const intent = new Array<Float64Array>(ex.xs.length);
  const route = new Array<Float64Array>(ex.xs.length);
  const heads: Heads[] = [];
  for (let f = 0; f < c.folds; f++) {
    const h = fitHeads(ex, trainingRows(ex, f), labels, c);
    heads.push(h);
    for (let i = 0; i < ex.xs.length; i++) {
      if (ex.fold[i] !== f) continue;
      intent[i] = denseLogits(h.intent, ex.xs[i]);
      route[i] = denseLogits(h.route, ex.xs[i]);
    }
  }
  return { intent, route, heads };
}

/** Rows outside fold `f`. */
export function trainingRows(ex: Examples, f: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ex.xs.length; i++) if (ex.fold[i] !== f) out.push(i);
  return out;
}

export interface ModelMeta {
  version: string;
  dataSha256: string;
  temperature: { intent: number; route: number };
  decision: ModelDecision;
  config: TrainingConfig;
}

/** The model file of fitted heads (weights quantised to int8). */
export function toModelFile(h: Heads, meta: ModelMeta): ClassifierModelFile & { training: TrainingConfig } {
  return {
    format: intentModel.MODEL_FORMAT,
    version: meta.version,
    featureVersion: intentModel.FEATURE_VERSION,
    features: { ...meta.config.features },
    heads: {
      intent: quantizeHead(h.intent, meta.temperature.intent),
      route: quantizeHead(h.route, meta.temperature.route),
    },
    decision: { ...meta.decision },
    dataSha256: meta.dataSha256,
    sources: SOURCES,
    training: meta.config,
  };
}

/** Credit the dataset licences ask for (see MODEL_CARD.md). */
export const SOURCES = [
  {
    dataset: 'banking77',
    licence: 'CC BY 4.0',
    attribution:
      'PolyAI / Casanueva et al. 2020, "Efficient Intent Detection with Dual Sentence Encoders" (arXiv:2003.04807); labels mapped to Seamline intent families',
  },
  {
    dataset: 'bitext_customer_support',
    licence: 'CDLA-Sharing-1.0',
    attribution: 'Bitext Sample Customer Support Training Dataset; the weights are Results (CDLA-Sharing-1.0 s. 3.5)',
  },
  {
    dataset: 'hint3_ecommerce',
    licence: 'ODbL 1.0 / DbCL 1.0',
    attribution:
      'Contains information from HINT3 (Haptik, Arora et al. 2020, arXiv:2009.13833), which is made available under the Open Database License (ODbL) 1.0',
  },
];
