/**
 * Offline, deterministic classifier. Three parts, each with one job:
 * - hard rules (hard-rules.ts): explicit policy for fraud, legal, chargeback, accessibility, human requests and
 *   customs;
 *   a match always reports its intent, whatever the model says;
 * - the trained intent model (model/, MODEL_CARD.md): calibrated probabilities for the intent families, and a second
 *   head that predicts whether people would let the message be answered automatically;
 * - a small lexicon (lexicon.ts) for what the model has no data for (damaged or wrong items, health questions),
 * plus lexicon sentiment, stop-word language identification and entity extraction.
 * Pure: no I/O, no clock, never throws.
 */
import { extractEntities } from './entities';
import { findHardRules, HARD_RULES } from './hard-rules';
import { detectLanguage } from './language';
import { HEALTH_SAFETY, scoreLexicon } from './lexicon';
import modelJson from './model/intent-model.json';
import { featuresOf, hashTokens, segmentRanges, tokenize, type SparseVector, type Tokens } from './model/features';
import { contribution, loadModel, predict, type LinearModel, type ModelFile } from './model/linear-model';
import { analyseSentiment } from './sentiment';
import { normaliseForMatching, prepareText } from './text';
import type { Classification, ClassificationFlag, Intent, IntentScore } from './triage.types';
import { INTENTS } from './triage.types';

export const OFFLINE_SOURCE = 'offline';
export const UNAVAILABLE_SOURCE = 'unavailable';

/** Intents whose presence always escalates (routing hard rules): the intents of hard-rules.ts. */
export const HARD_RULE_INTENTS: readonly Intent[] = HARD_RULES.map((r) => r.intent);

/** Confidence reported for a hard-rule match: a rule is policy, it does not estimate a probability. */
export const HARD_RULE_CONFIDENCE = 0.95;
/** Below the decision threshold, the model's best guess is still listed (after `other`) from this probability on. */
const MIN_GUESS_CONFIDENCE = 0.3;
/** The model's probability for a hard-rule family is reported from here on (the router decides what escalates). */
const MODEL_HARD_RULE_REPORT = 0.2;
/** Lexicon families are reported from this score on; confidence = 1 − e^(−score / LEXICON_SCALE). */
const LEXICON_MIN_SCORE = 0.9;
const LEXICON_SCALE = 1.25;
const MAX_INTENTS = 5;
const MAX_EVIDENCE = 5;

const PROMPT_INJECTION =
  /\b(?:ignore|disregard|forget|override|bypass)\w* (?:all |any |the |your |my |previous |prior |above |earlier |these |those |system |of )*(?:instructions?|rules|prompts?|guidelines|policies|policy|programming|directives)\b|\bsystem prompt\b|\byou are now\b|\b(?:act|acting) as (?:an? )?(?:admin|administrator|manager|system|developer)\b|\bpretend (?:to be|you are)\b|\bjailbreak\b|\bdeveloper mode\b|\b(?:approve|authori[sz]e|issue|process|grant|send)\w* (?:me )?(?:a |an |the |my )?(?:full |immediate |complete )?(?:refund|compensation|discount|voucher|credit)\b.{0,30}\b(?:immediately|now|without|automatically|no questions)\b|\bnew instructions\b|\bassistant (?:must|should|will)\b|\bas an ai\b|\bas your (?:developer|admin|administrator|system)\b/;
const VIP_CLAIM =
  /\b(?:i am|i have been|as|being) (?:a |an |your )?(?:very )?(?:vip|v i p|premium|gold|platinum|diamond|loyal|valued|long ?time|top|important|elite) (?:customer|member|client|buyer|shopper)\b|\b(?:i am|i am a) vip\b|\bmy vip status\b/;

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Decision settings that travel with a model file (chosen by cross-validation when it was trained). */
export interface ModelDecision {
  /**
   * A family is primary from this calibrated probability on (at most 0.5); below it the primary intent is `other`,
   * with confidence 1 − P(best family), and the best family follows it.
   */
  minIntentConfidence: number;
  /**
   * The `review_advised` flag is raised when P(a person handles it) reaches the threshold of the primary intent
   * (`default` for intents without their own).
   */
  reviewAdvisedAt: Partial<Record<Intent, number>> & { default: number };
}

export type ClassifierModelFile = ModelFile & { decision: ModelDecision };

interface Loaded {
  model: LinearModel;
  decision: ModelDecision;
  other: number;
  person: number;
}

function load(file: ClassifierModelFile): Loaded {
  const model = loadModel(file);
  const d = file.decision;
  if (
    !d ||
    !(d.minIntentConfidence > 0 && d.minIntentConfidence <= 0.5) ||
    !d.reviewAdvisedAt ||
    !Object.values(d.reviewAdvisedAt).every((v) => typeof v === 'number' && v > 0) ||
    !(d.reviewAdvisedAt.default > 0)
  )
    throw new Error('model file has no usable decision settings');
  for (const l of model.intent.labels)
    if (!(INTENTS as readonly string[]).includes(l)) throw new Error(`model label ${l} is not an intent`);
  const other = model.intent.labels.indexOf('other');
  const person = model.route.labels.indexOf('person');
  if (other < 0 || person < 0) throw new Error('model has no `other` intent or no `person` route');
  return { model, decision: { ...d, reviewAdvisedAt: { ...d.reviewAdvisedAt } }, other, person };
}

/** Words that pushed class `c` most, merged into phrases when adjacent in a clause (negated words left out). */
function evidenceFor(m: LinearModel, tokens: Tokens, x: SparseVector, c: number): string[] {
  if (!x.origin) return [];
  const byToken = new Float64Array(tokens.words.length);
  for (let i = 0; i < x.index.length; i++) byToken[x.origin[i]] += contribution(m.intent, x.index[i], x.value[i], c);
  const top: number[] = [];
  for (let t = 0; t < byToken.length; t++) if (byToken[t] > 0 && !tokens.negated[t]) top.push(t);
  top.sort((a, b) => byToken[b] - byToken[a] || a - b);
  top.length = Math.min(top.length, 4);
  top.sort((a, b) => a - b);
  const phrases: string[] = [];
  let run: number[] = [];
  const flush = () => {
    if (run.length) phrases.push(run.map((t) => tokens.words[t]).join(' '));
    run = [];
  };
  for (const t of top) {
    const last = run[run.length - 1];
    if (run.length && (t !== last + 1 || tokens.clause[t] !== tokens.clause[last])) flush();
    run.push(t);
  }
  flush();
  return phrases.slice(0, 3);
}

const INTENT_ORDER = new Map<Intent, number>(INTENTS.map((i, n) => [i, n]));

function classifyWith(loaded: Loaded, input: { subject?: string; text: string }): Classification {
  const { model, decision } = loaded;
  const subject = input && typeof input.subject === 'string' ? input.subject : undefined;
  const text = input && typeof input.text === 'string' ? input.text : '';
  const prepared = prepareText(subject, text);
  const norm = normaliseForMatching(prepared.visible);
  const flags = new Set<ClassificationFlag>();
  const found = new Map<Intent, IntentScore>();
  const put = (intent: Intent, confidence: number, evidence: string[]) => {
    const prev = found.get(intent);
    if (!prev) found.set(intent, { intent, confidence: round3(confidence), evidence: evidence.slice(0, MAX_EVIDENCE) });
    else
      found.set(intent, {
        intent,
        confidence: round3(Math.max(prev.confidence, confidence)),
        evidence: [...new Set([...prev.evidence, ...evidence])].slice(0, MAX_EVIDENCE),
      });
  };

  // 1. hard rules: policy, always reported
  const hard = findHardRules(norm);
  for (const h of hard) put(h.intent, HARD_RULE_CONFIDENCE, h.evidence);

  // 2. the model, on the whole message and on each segment (a second request in its own sentence)
  const tokens = tokenize(prepared.visible, model.features);
  const hashes = hashTokens(tokens, model.features);
  const x = featuresOf(tokens, model.features, 0, tokens.words.length, hashes);
  const p = predict(model.intent, x);
  const labels = model.intent.labels as Intent[];
  let top = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[top]) top = c;
  const confident = p[top] >= decision.minIntentConfidence;
  if (confident) {
    put(labels[top], p[top], labels[top] === 'other' ? [] : evidenceFor(model, tokens, x, top));
  } else {
    // no family is likely enough: `other`, as sure as the best specific guess is unsure; the guess stays visible
    let guess = -1;
    for (let c = 0; c < p.length; c++) if (c !== loaded.other && (guess < 0 || p[c] > p[guess])) guess = c;
    put('other', 1 - p[guess], []);
    if (p[guess] >= MIN_GUESS_CONFIDENCE) put(labels[guess], p[guess], evidenceFor(model, tokens, x, guess));
  }
  for (let c = 0; c < p.length; c++) {
    if (c !== top && HARD_RULE_INTENTS.includes(labels[c]) && p[c] >= MODEL_HARD_RULE_REPORT)
      put(labels[c], p[c], evidenceFor(model, tokens, x, c));
  }
  let foundElsewhere = false;
  const segments = segmentRanges(tokens);
  if (segments.length > 1) {
    for (const [from, to] of segments) {
      const xs = featuresOf(tokens, model.features, from, to, hashes);
      const ps = predict(model.intent, xs);
      let best = 0;
      for (let c = 1; c < ps.length; c++) if (ps[c] > ps[best]) best = c;
      const intent = labels[best];
      if (intent === 'other' || found.has(intent)) continue;
      if (ps[best] >= decision.minIntentConfidence) {
        put(intent, ps[best], evidenceFor(model, tokens, xs, best));
        foundElsewhere = true;
      }
    }
  }

  // 3. lexicon: intents without training data
  for (const hit of scoreLexicon(norm)) {
    if (hit.score >= LEXICON_MIN_SCORE) {
      put(hit.intent, 1 - Math.exp(-hit.score / LEXICON_SCALE), hit.evidence);
      foundElsewhere = true;
    }
  }
  if (HEALTH_SAFETY.test(norm)) flags.add('health_safety');

  // a request found by a rule, the lexicon or a segment replaces an unsure `other`
  if (!confident && (hard.length > 0 || foundElsewhere)) found.delete('other');

  const intents = [...found.values()]
    .sort(
      (a, b) => b.confidence - a.confidence || (INTENT_ORDER.get(a.intent) ?? 0) - (INTENT_ORDER.get(b.intent) ?? 0),
    )
    .slice(0, MAX_INTENTS);
  // 4. the route head, at the operating point of the primary intent
  const personP = predict(model.route, x)[loaded.person];
  const primary = intents[0].intent;
  if (personP >= (decision.reviewAdvisedAt[primary] ?? decision.reviewAdvisedAt.default)) flags.add('review_advised');
  if (prepared.hiddenRemoved) flags.add('hidden_text_removed');
  if (prepared.truncated) flags.add('truncated');
  if (PROMPT_INJECTION.test(norm)) flags.add('prompt_injection');
  if (VIP_CLAIM.test(norm)) flags.add('customer_claims_vip');
  const understood = hard.length > 0 || intents.some((i) => i.intent !== 'other');
  return {
    intents,
    primaryIntent: primary,
    sentiment: analyseSentiment(norm, prepared.visible),
    language: detectLanguage(norm, understood),
    entities: extractEntities(prepared.visible),
    source: OFFLINE_SOURCE,
    flags: [...flags].sort(),
  };
}

function emptyClassification(source: string, flags: ClassificationFlag[] = []): Classification {
  return {
    intents: [{ intent: 'other', confidence: 0.5, evidence: [] }],
    primaryIntent: 'other',
    sentiment: { score: 0, frustration: false, urgency: false, evidence: [] },
    language: 'und',
    entities: { orderNumbers: [], amounts: [], trackingNumbers: [], emails: [] },
    source,
    flags,
  };
}

/** A Classification that tells the router no classifier could run (routing escalates it as `classifier_unavailable`). */
export function unavailableClassification(): Classification {
  const c = emptyClassification(UNAVAILABLE_SOURCE);
  c.intents = [{ intent: 'other', confidence: 0, evidence: [] }];
  return c;
}

export function isClassifierUnavailable(c: Pick<Classification, 'source'> | null | undefined): boolean {
  return (
    !c ||
    typeof c.source !== 'string' ||
    c.source === UNAVAILABLE_SOURCE ||
    c.source.startsWith(`${UNAVAILABLE_SOURCE}:`)
  );
}

export type OfflineClassify = (input: { subject?: string; text: string }) => Classification;

/**
 * A classifier over a given model file (the evaluation trains one per fold). Throws if the file is unusable;
 * the returned function never throws.
 */
export function createOfflineClassifier(file: ClassifierModelFile): OfflineClassify {
  const loaded = load(file);
  return (input) => {
    try {
      return classifyWith(loaded, input);
    } catch {
      // defensive: a classifier bug must not fail the ticket; the router treats this like "unavailable"
      return unavailableClassification();
    }
  };
}

let bundled: OfflineClassify | null = null;

/** The bundled model file (the evaluation reads its training settings to train one model per fold). */
export function bundledModelFile(): ClassifierModelFile {
  return modelJson as unknown as ClassifierModelFile;
}

/** Version of the bundled model (for briefings and benchmarks). */
export const OFFLINE_MODEL_VERSION: string = bundledModelFile().version;

/**
 * Deterministic offline classification with the bundled model (decoded once, on first use). Never throws; only the
 * first MAX_SCORED_CHARS of visible text are scored.
 */
export function classifyOffline(input: { subject?: string; text: string }): Classification {
  if (!bundled) {
    try {
      bundled = createOfflineClassifier(bundledModelFile());
    } catch {
      return unavailableClassification();
    }
  }
  return bundled(input);
}
