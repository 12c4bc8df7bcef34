/**
 * Training of the intent model: multinomial logistic regression with L2 regularisation, fitted by plain SGD
 * (shuffled with a fixed seed, learning rate decaying linearly to zero, the L2 shrink applied through one scale
 * factor so each step only touches the message's own features). Deterministic for a given seed and row order.
 *
 * Also: fold assignment, temperature scaling, expected calibration error, macro-F1, and quantisation into the
 * model file format that libs/domain reads.
 */
import { intentModel } from '../../libs/domain';

const { encodeBase64, featuresOf, softmax, tokenize } = intentModel;
type FeatureOptions = intentModel.FeatureOptions;
type HeadFile = intentModel.HeadFile;
type SparseVector = intentModel.SparseVector;

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fold of a row, from its normalised-text hash: duplicates always share a fold. */
export function foldOf(textSha256: string, folds: number, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < textSha256.length; i++) h = Math.imul(h ^ textSha256.charCodeAt(i), 0x01000193) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return (h >>> 0) % folds;
}

export function featurize(texts: readonly string[], o: FeatureOptions): SparseVector[] {
  return texts.map((t) => featuresOf(tokenize(t, o), o));
}

export interface SgdParams {
  /** L2 regularisation strength (per example). */
  lambda: number;
  epochs: number;
  /** Initial learning rate. */
  eta0: number;
  seed: number;
}

export interface DenseHead {
  labels: string[];
  buckets: number;
  /** slot-major: w[slot × K + class] */
  w: Float64Array;
  b: Float64Array;
}

/**
 * Fits a K-class softmax head on examples (feature vector, class, example weight).
 * `rows` selects which examples to use (e.g. the training folds).
 */
export function trainHead(
  xs: readonly SparseVector[],
  ys: ArrayLike<number>,
  weights: ArrayLike<number>,
  rows: readonly number[],
  labels: string[],
  buckets: number,
  p: SgdParams,
): DenseHead {
  const K = labels.length;
  const v = new Float64Array(buckets * K);
  const b = new Float64Array(K);
  let scale = 1;
  const order = rows.slice();
  const random = rng(p.seed);
  const total = p.epochs * order.length;
  let t = 0;
  const z = new Float64Array(K);
  for (let epoch = 0; epoch < p.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    for (const r of order) {
      const eta = p.eta0 * (1 - t / total);
      t++;
      const x = xs[r];
      const n = x.index.length;
      for (let c = 0; c < K; c++) z[c] = 0;
      for (let i = 0; i < n; i++) {
        const base = x.index[i] * K;
        const xv = x.value[i];
        for (let c = 0; c < K; c++) z[c] += xv * v[base + c];
      }
      let max = -Infinity;
      for (let c = 0; c < K; c++) {
        z[c] = b[c] + z[c] * scale;
        if (z[c] > max) max = z[c];
      }
      let sum = 0;
      for (let c = 0; c < K; c++) {
        z[c] = Math.exp(z[c] - max);
        sum += z[c];
      }
      const y = ys[r];
      const ew = weights[r];
      // gradient of the weighted log-loss w.r.t. the logits, reused in place
      for (let c = 0; c < K; c++) z[c] = ew * (z[c] / sum - (c === y ? 1 : 0));
      scale *= 1 - eta * p.lambda;
      if (scale < 1e-6) {
        for (let i = 0; i < v.length; i++) v[i] *= scale;
        scale = 1;
      }
      const step = eta / scale;
      for (let i = 0; i < n; i++) {
        const base = x.index[i] * K;
        const g = step * x.value[i];
        for (let c = 0; c < K; c++) v[base + c] -= g * z[c];
      }
      for (let c = 0; c < K; c++) b[c] -= eta * z[c];
    }
  }
  for (let i = 0; i < v.length; i++) v[i] *= scale;
  return { labels, buckets, w: v, b };
}

export function denseLogits(h: DenseHead, x: SparseVector): Float64Array {
  const K = h.labels.length;
  const z = Float64Array.from(h.b);
  for (let i = 0; i < x.index.length; i++) {
    const base = x.index[i] * K;
    for (let c = 0; c < K; c++) z[c] += x.value[i] * h.w[base + c];
  }
  return z;
}

/** Negative log-likelihood of softmax(z / T). */
export function nll(allLogits: readonly Float64Array[], ys: ArrayLike<number>, rows: readonly number[], T: number) {
  let s = 0;
  for (const r of rows) {
    const p = softmax(allLogits[r], T);
    s -= Math.log(Math.max(1e-12, p[ys[r]]));
  }
  return s / Math.max(1, rows.length);
}

/** Temperature minimising held-out NLL (golden-section search on log T in [0.2, 8]). */
export function fitTemperature(allLogits: readonly Float64Array[], ys: ArrayLike<number>, rows: readonly number[]) {
  let lo = Math.log(0.2);
  let hi = Math.log(8);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = nll(allLogits, ys, rows, Math.exp(a));
  let fb = nll(allLogits, ys, rows, Math.exp(b));
  for (let i = 0; i < 60; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = nll(allLogits, ys, rows, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = nll(allLogits, ys, rows, Math.exp(b));
    }
  }
  return Math.round(Math.exp((lo + hi) / 2) * 1e4) / 1e4;
}

/** Expected calibration error of top-label confidences: Σ_bins (n_bin / n) |accuracy − mean confidence|. */
export function expectedCalibrationError(conf: readonly number[], correct: readonly boolean[], bins = 15): number {
  const n = new Array<number>(bins).fill(0);
  const c = new Array<number>(bins).fill(0);
  const a = new Array<number>(bins).fill(0);
  for (let i = 0; i < conf.length; i++) {
    const k = Math.min(bins - 1, Math.max(0, Math.floor(conf[i] * bins)));
    n[k]++;
    c[k] += conf[i];
    if (correct[i]) a[k]++;
  }
  let e = 0;
  for (let k = 0; k < bins; k++) if (n[k]) e += (n[k] / conf.length) * Math.abs(a[k] / n[k] - c[k] / n[k]);
  return e;
}

/** Macro-F1 over the gold classes present (a predicted class absent from gold only costs recall elsewhere). */
export function macroF1(gold: readonly string[], pred: readonly string[]): number {
  const s = new Map<string, { tp: number; fp: number; fn: number }>();
  const get = (k: string) => {
    let v = s.get(k);
    if (!v) s.set(k, (v = { tp: 0, fp: 0, fn: 0 }));
    return v;
  };
  const present = new Set(gold);
  for (let i = 0; i < gold.length; i++) {
    if (gold[i] === pred[i]) get(gold[i]).tp++;
    else {
      get(pred[i]).fp++;
      get(gold[i]).fn++;
    }
  }
  let sum = 0;
  for (const k of present) {
    const v = get(k);
    const prec = v.tp + v.fp ? v.tp / (v.tp + v.fp) : 0;
    const rec = v.tp + v.fn ? v.tp / (v.tp + v.fn) : 0;
    sum += prec + rec > 0 ? (2 * prec * rec) / (prec + rec) : 0;
  }
  return present.size ? sum / present.size : NaN;
}

/** int8 quantisation per class (scale = max |w| / 127), in the model file's layout. */
export function quantizeHead(h: DenseHead, temperature: number): HeadFile {
  const K = h.labels.length;
  const scale = new Array<number>(K).fill(0);
  for (let i = 0; i < h.w.length; i++) {
    const c = i % K;
    scale[c] = Math.max(scale[c], Math.abs(h.w[i]));
  }
  for (let c = 0; c < K; c++) scale[c] = scale[c] > 0 ? scale[c] / 127 : 1;
  // round the stored scales first so the file reproduces exactly what was quantised
  const stored = scale.map((s) => Number(s.toPrecision(8)));
  const bytes = new Uint8Array(h.w.length);
  for (let i = 0; i < h.w.length; i++) {
    const q = Math.max(-127, Math.min(127, Math.round(h.w[i] / stored[i % K])));
    bytes[i] = q & 0xff;
  }
  return {
    labels: h.labels.slice(),
    bias: Array.from(h.b, (x) => Number(x.toPrecision(8))),
    scale: stored,
    weights: encodeBase64(bytes),
    temperature,
  };
}
