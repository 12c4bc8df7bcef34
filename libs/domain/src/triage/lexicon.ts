/**
 * What the trained model cannot learn from the labelled data: intents with no training rows (damaged and wrong or
 * missing items) and the health/safety flag. Everything else comes from the model (model/); the hard rules live in
 * hard-rules.ts.
 *
 * Written by hand for Seamline (licence: Apache-2.0, like the project); see README.md in this folder. Patterns run
 * on `normaliseForMatching` text (lower case, contractions expanded, punctuation replaced by single spaces).
 * `neg: true` patterns are skipped when a negation word stands within three words before the match, unless a word
 * such as "received" or "but" comes in between ("it was not damaged" is not a damage report).
 * Weights are in "evidence units": about 2.5 means "this phrase alone names the intent".
 */
import { NEGATION_BREAKERS, NEGATION_WORDS } from './model/features';
import type { Intent } from './triage.types';

export interface LexiconEntry {
  intent: Extract<Intent, 'damaged_item' | 'wrong_item'>;
  weight: number;
  re: RegExp;
  neg?: boolean;
}

export const LEXICON: readonly LexiconEntry[] = [
  {
    intent: 'damaged_item',
    weight: 2.4,
    neg: true,
    re: /\b(?:damaged|damage|broken|broke|cracked|shattered|smashed|dented|defective|faulty|torn|ripped|leaking|leaked|leaks|scratched|crushed|bent|stained|spoiled|rotten|moldy|mouldy|spilled|spilt|squashed|dead on arrival|doa)\b/,
  },
  {
    intent: 'damaged_item',
    weight: 1.2,
    re: /\b(?:stopped|stops) working\b|\bdoes not (?:work|turn on|switch on|charge|power on)\b|\bwill not (?:turn on|work|switch on|charge)\b|\barrived (?:broken|damaged|in pieces|open)\b|\bin pieces\b/,
  },
  {
    intent: 'wrong_item',
    weight: 2.6,
    re: /\bwrong (?:item|items|product|products|size|colou?r|thing|model|one|book|shoes?|version|flavou?r|variant|article)\b|\bnot what i (?:ordered|bought|paid for|asked for|purchased)\b|\b(?:received|got|sent|sent me|delivered|shipped) (?:me )?(?:the |a |an )?(?:wrong|different|incorrect)\b|\bincorrect (?:item|product|size|colou?r)\b|\bsomeone else(?:s)? (?:order|package|parcel)\b/,
  },
  {
    intent: 'wrong_item',
    weight: 2.0,
    re: /\b(?:item|items|product|products|part|parts|piece|pieces)s? (?:is |are |was |were )?missing\b|\bmissing (?:item|items|product|part|parts|pieces?|from (?:my|the) (?:order|package|box))\b|\bincomplete (?:order|package|delivery)\b/,
  },
];

/** Questions about whether a product is safe or has health effects: never answered automatically. */
export const HEALTH_SAFETY =
  /\b(?:side effects?|adverse|allergic|allergy|allergies|allergen\w*|ingredients?|safe (?:for|to|during)|pregnan\w*|breastfeeding|diabet\w*|blood pressure|medical condition|contraindicat\w*|dosage|overdose|how many (?:tablets|capsules|scoops))\b/;

function isNegated(norm: string, index: number): boolean {
  const window = norm
    .slice(Math.max(0, index - 40), index)
    .trim()
    .split(' ')
    .slice(-3);
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

export interface LexiconHit {
  intent: LexiconEntry['intent'];
  score: number;
  evidence: string[];
}

/** Sums the weights of the matching entries per intent (normalised text in). */
export function scoreLexicon(norm: string): LexiconHit[] {
  const byIntent = new Map<LexiconEntry['intent'], LexiconHit>();
  for (const e of LEXICON) {
    const m = e.re.exec(norm);
    if (!m) continue;
    if (e.neg && isNegated(norm, m.index)) continue;
    const hit = byIntent.get(e.intent) ?? { intent: e.intent, score: 0, evidence: [] };
    hit.score += e.weight;
    const ev = m[0].trim().slice(0, 60);
    if (ev && hit.evidence.length < 5 && !hit.evidence.includes(ev)) hit.evidence.push(ev);
    byIntent.set(e.intent, hit);
  }
  return [...byIntent.values()];
}
