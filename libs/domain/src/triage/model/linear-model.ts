/**
 * The trained intent model at inference time: multinomial logistic regression heads over the hashed features of
 * features.ts, weights quantised to int8 per class and stored as base64 in a JSON file (see MODEL_CARD.md).
 * Pure and deterministic: no I/O, no clock, no randomness; decoding happens once, on first use.
 */
import { FEATURE_VERSION, invalidFeatureOptions, type FeatureOptions, type SparseVector } from './features';

export const MODEL_FORMAT = 'seamline-linear-v1';

/** One softmax head as stored in the model file. */
export interface HeadFile {
  labels: string[];
  bias: number[];
  /** Per class: weight = int8 value × scale. */
  scale: number[];
  /** base64 of int8 weights, slot-major: weights[slot × labels.length + class]. */
  weights: string;
  /** Temperature fitted on held-out folds; probabilities are softmax(logits / temperature). */
  temperature: number;
}

export interface ModelFile {
  format: string;
  /** Identifies the trained artefact (name, date of the training recipe, data hash prefix). */
  version: string;
  featureVersion: number;
  features: FeatureOptions;
  heads: {
    /** Seamline intent families. */
    intent: HeadFile;
    /** Route the labellers chose: `auto` (safe to answer automatically) or `person` (review or escalate). */
    route: HeadFile;
  };
  /** sha256 over the training rows (see MODEL_CARD.md for the recipe). */
  dataSha256: string;
  /** The datasets the weights were learned from, with their licences and the credit they ask for. */
  sources?: { dataset: string; licence: string; attribution: string }[];
}

export interface Head {
  labels: readonly string[];
  bias: Float64Array;
  scale: Float64Array;
  weights: Int8Array;
  temperature: number;
}

export interface LinearModel {
  version: string;
  features: FeatureOptions;
  intent: Head;
  route: Head;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

/** base64 → bytes, without Buffer or atob (neither is guaranteed in the workflow sandbox). */
export function decodeBase64(s: string): Uint8Array {
  let len = s.length;
  while (len > 0 && s[len - 1] === '=') len--;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c] : -1;
    if (v < 0) throw new Error(`invalid base64 at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** bytes → base64 (used by the training script; here so both directions live together). */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += `${B64[(n >> 18) & 63]}${B64[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += `${B64[(n >> 18) & 63]}${B64[(n >> 12) & 63]}${B64[(n >> 6) & 63]}=`;
  }
  return out;
}

/** Decodes one head of a model file (throws when it does not fit `buckets`). */
export function decodeHead(h: HeadFile, buckets: number, name = 'head'): Head {
  const k = Array.isArray(h?.labels) ? h.labels.length : 0;
  if (k < 2) throw new Error(`model head ${name}: fewer than two labels`);
  if (!Array.isArray(h.bias) || h.bias.length !== k || !Array.isArray(h.scale) || h.scale.length !== k)
    throw new Error(`model head ${name}: bias/scale do not match the labels`);
  if (!(typeof h.temperature === 'number' && h.temperature > 0)) throw new Error(`model head ${name}: bad temperature`);
  const bytes = decodeBase64(String(h.weights ?? ''));
  if (bytes.length !== buckets * k) throw new Error(`model head ${name}: ${bytes.length} weights, want ${buckets * k}`);
  return {
    labels: h.labels.slice(),
    bias: Float64Array.from(h.bias),
    scale: Float64Array.from(h.scale),
    weights: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    temperature: h.temperature,
  };
}

/** Validates and decodes a model file. Throws with a reason when the file cannot be used. */
export function loadModel(file: ModelFile): LinearModel {
  if (!file || file.format !== MODEL_FORMAT) throw new Error(`model format is not ${MODEL_FORMAT}`);
  if (file.featureVersion !== FEATURE_VERSION)
    throw new Error(`model was trained with feature version ${file.featureVersion}, this code has ${FEATURE_VERSION}`);
  const bad = invalidFeatureOptions(file.features);
  if (bad) throw new Error(`model feature options: ${bad}`);
  return {
    version: String(file.version),
    features: { ...file.features },
    intent: decodeHead(file.heads?.intent, file.features.buckets, 'intent'),
    route: decodeHead(file.heads?.route, file.features.buckets, 'route'),
  };
}

/** Raw (uncalibrated) logits of a head for a feature vector. */
export function logits(head: Head, x: SparseVector): Float64Array {
  const k = head.labels.length;
  const acc = new Float64Array(k);
  const w = head.weights;
  for (let i = 0; i < x.index.length; i++) {
    const base = x.index[i] * k;
    const v = x.value[i];
    for (let c = 0; c < k; c++) acc[c] += v * w[base + c];
  }
  for (let c = 0; c < k; c++) acc[c] = head.bias[c] + acc[c] * head.scale[c];
  return acc;
}

/** softmax(z / temperature), numerically stable. */
export function softmax(z: ArrayLike<number>, temperature = 1): Float64Array {
  const out = new Float64Array(z.length);
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) max = Math.max(max, z[i] / temperature);
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    out[i] = Math.exp(z[i] / temperature - max);
    sum += out[i];
  }
  for (let i = 0; i < z.length; i++) out[i] /= sum;
  return out;
}

/** Calibrated class probabilities of a head. */
export function predict(head: Head, x: SparseVector): Float64Array {
  return softmax(logits(head, x), head.temperature);
}

/** How much one slot pushes class `c` (weight × value), for explaining a prediction. */
export function contribution(head: Head, slot: number, value: number, c: number): number {
  return head.weights[slot * head.labels.length + c] * head.scale[c] * value;
}
