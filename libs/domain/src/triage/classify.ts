/**
 * Offline, deterministic classifier: weighted phrase lexicon with negation handling, explicit rules for
 * the hard-rule families, lexicon sentiment, stop-word language identification and entity extraction.
 * Pure: no I/O, no clock, never throws.
 */
import { extractEntities } from './entities';
import { detectLanguage } from './language';
import { LEXICON } from './lexicon';
import { analyseSentiment } from './sentiment';
import { normaliseForMatching, prepareText } from './text';
import type { Classification, ClassificationFlag, Intent, IntentScore } from './triage.types';
import { INTENTS } from './triage.types';

export const OFFLINE_SOURCE = 'offline';
export const UNAVAILABLE_SOURCE = 'unavailable';

/** Intents whose presence always escalates (routing hard rules). */
export const HARD_RULE_INTENTS: readonly Intent[] = [
  'fraud_claim',
  'legal_threat',
  'chargeback_threat',
  'accessibility_complaint',
  'human_request',
];

/** Below this score a family is not reported at all. */
const MIN_SCORE = 0.9;
/** Secondary intents are reported when their confidence reaches this. */
const MIN_SECONDARY_CONFIDENCE = 0.3;
/** Score scale of the presence curve: presence = 1 - exp(-score / SCALE). */
const SCALE = 1.25;
/** How much a competing family lowers confidence (0 = not at all). */
const AMBIGUITY_PENALTY = 0.45;
const MAX_INTENTS = 5;
const MAX_EVIDENCE = 5;

const NEGATION_WORDS = new Set(['not', 'no', 'never', 'without', 'nothing', 'nor']);
/** Words between a negation and the match that mean the negation is about something else ("not received my refund"). */
const NEGATION_BREAKERS = new Set([
  'received',
  'receive',
  'got',
  'get',
  'gotten',
  'seen',
  'see',
  'showing',
  'show',
  'shown',
  'arrived',
  'appeared',
  'processed',
  'credited',
  'yet',
  'issued',
  'heard',
  'had',
  'been',
  'given',
  'sure',
  'only',
  'just',
  'but',
  'know',
]);

const PROMPT_INJECTION =
  /\b(?:ignore|disregard|forget|override|bypass)\w* (?:all |any |the |your |my |previous |prior |above |earlier |these |those |system |of )*(?:instructions?|rules|prompts?|guidelines|policies|policy|programming|directives)\b|\bsystem prompt\b|\byou are now\b|\b(?:act|acting) as (?:an? )?(?:admin|administrator|manager|system|developer)\b|\bpretend (?:to be|you are)\b|\bjailbreak\b|\bdeveloper mode\b|\b(?:approve|authori[sz]e|issue|process|grant|send)\w* (?:me )?(?:a |an |the |my )?(?:full |immediate |complete )?(?:refund|compensation|discount|voucher|credit)\b.{0,30}\b(?:immediately|now|without|automatically|no questions)\b|\bnew instructions\b|\bassistant (?:must|should|will)\b|\bas an ai\b/;
const VIP_CLAIM =
  /\b(?:i am|i have been|as|being) (?:a |an |your )?(?:very )?(?:vip|v i p|premium|gold|platinum|diamond|loyal|valued|long ?time|top|important|elite) (?:customer|member|client|buyer|shopper)\b|\b(?:i am|i am a) vip\b|\bmy vip status\b/;

function isNegated(norm: string, index: number): boolean {
  const before = norm
    .slice(Math.max(0, index - 40), index)
    .trim()
    .split(' ');
  const window = before.slice(-3);
  let negAt = -1;
  for (let i = window.length - 1; i >= 0; i--) {
    if (NEGATION_WORDS.has(window[i])) {
      negAt = i;
      break;
    }
  }
  if (negAt < 0) return false;
  for (let i = negAt + 1; i < window.length; i++) if (NEGATION_BREAKERS.has(window[i])) return false;
  return true;
}

function presence(score: number): number {
  return 1 - Math.exp(-score / SCALE);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

interface Acc {
  score: number;
  evidence: string[];
}

/** Scores every family on normalised text. Exposed for tests and the eval. */
export function scoreFamilies(norm: string): { scores: Map<Intent, Acc>; flags: Set<ClassificationFlag> } {
  const scores = new Map<Intent, Acc>();
  const flags = new Set<ClassificationFlag>();
  for (const e of LEXICON) {
    const m = e.re.exec(norm);
    if (!m) continue;
    if (e.neg && isNegated(norm, m.index)) continue;
    const acc = scores.get(e.intent) ?? { score: 0, evidence: [] };
    acc.score += e.weight;
    const ev = m[0].trim().slice(0, 60);
    if (ev && acc.evidence.length < MAX_EVIDENCE && !acc.evidence.includes(ev)) acc.evidence.push(ev);
    scores.set(e.intent, acc);
    if (e.flag) flags.add(e.flag);
  }
  return { scores, flags };
}

const INTENT_ORDER = new Map<Intent, number>(INTENTS.map((i, n) => [i, n]));

function buildIntents(scores: Map<Intent, Acc>): IntentScore[] {
  const ranked = [...scores.entries()]
    .filter(([, a]) => a.score >= MIN_SCORE)
    .sort((a, b) => b[1].score - a[1].score || (INTENT_ORDER.get(a[0]) ?? 0) - (INTENT_ORDER.get(b[0]) ?? 0));
  if (ranked.length === 0) {
    const anyHint = [...scores.values()].reduce((m, a) => Math.max(m, a.score), 0);
    // nothing recognisable: "other", and less sure the more hints of a known family there were
    return [{ intent: 'other', confidence: round3(anyHint > 0 ? 0.45 : 0.55), evidence: [] }];
  }
  const out: IntentScore[] = [];
  for (let i = 0; i < ranked.length; i++) {
    const [intent, acc] = ranked[i];
    const strongestOther = i === 0 ? (ranked[1]?.[1].score ?? 0) : ranked[0][1].score;
    const ratio = Math.min(1, strongestOther / acc.score);
    const conf = presence(acc.score) * (1 - AMBIGUITY_PENALTY * ratio);
    if (i > 0 && conf < MIN_SECONDARY_CONFIDENCE && !HARD_RULE_INTENTS.includes(intent)) continue;
    out.push({ intent, confidence: round3(conf), evidence: acc.evidence.slice() });
  }
  out.sort((a, b) => b.confidence - a.confidence);
  return out.slice(0, MAX_INTENTS);
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

/** Deterministic offline classification. Never throws; only the first MAX_SCORED_CHARS of visible text are scored. */
export function classifyOffline(input: { subject?: string; text: string }): Classification {
  try {
    const subject = input && typeof input.subject === 'string' ? input.subject : undefined;
    const text = input && typeof input.text === 'string' ? input.text : '';
    const prepared = prepareText(subject, text);
    const norm = normaliseForMatching(prepared.visible);
    const { scores, flags } = scoreFamilies(norm);
    if (prepared.hiddenRemoved) flags.add('hidden_text_removed');
    if (prepared.truncated) flags.add('truncated');
    if (PROMPT_INJECTION.test(norm)) flags.add('prompt_injection');
    if (VIP_CLAIM.test(norm)) flags.add('customer_claims_vip');
    const intents = buildIntents(scores);
    const sentiment = analyseSentiment(norm, prepared.visible);
    const language = detectLanguage(norm, scores.size > 0);
    const entities = extractEntities(prepared.visible);
    return {
      intents,
      primaryIntent: intents[0].intent,
      sentiment,
      language,
      entities,
      source: OFFLINE_SOURCE,
      flags: [...flags].sort(),
    };
  } catch {
    // defensive: a classifier bug must not fail the ticket; the router treats this like "unavailable"
    return unavailableClassification();
  }
}
