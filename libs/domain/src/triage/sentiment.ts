/** Lexicon sentiment with frustration and urgency cues. Word lists written for Seamline (Apache-2.0). */
import type { Sentiment } from './triage.types';

const g = (re: RegExp): RegExp => new RegExp(re.source, 'g');
const NEGATIVE: [RegExp, number][] = [
  [
    g(
      /\b(?:terrible|awful|horrible|horrendous|worst|disgusting|pathetic|appalling|atrocious|abysmal|dreadful|shocking|disgraceful)\b/,
    ),
    0.5,
  ],
  [
    g(
      /\b(?:unacceptable|ridiculous|outrageous|absurd|joke|laughable|incompetent|useless|hopeless|rubbish|garbage|trash|crap|shit|shitty|sucks|damn|wtf|bloody|fuck\w*|bullshit|idiots?|morons?|scam|scammers|thieves|liars?)\b/,
    ),
    0.45,
  ],
  [
    g(
      /\b(?:angry|furious|livid|fuming|outraged|mad|pissed|annoyed|irritated|upset|frustrated|frustrating|frustration|disappointed|disappointing|unhappy|not happy|dissatisfied|unsatisfied|fed up|sick of|tired of|had enough|hate|hated)\b/,
    ),
    0.4,
  ],
  [
    g(
      /\b(?:bad|poor|wrong|broken|damaged|problem|issue|late|delay|delayed|missing|never|nobody|no one|failed|fail|error|unable|can not|refuse|refused|lost|stolen)\b/,
    ),
    0.12,
  ],
];
const POSITIVE: [RegExp, number][] = [
  [g(/\b(?:thank you|thanks|thank|appreciate|appreciated|grateful)\b/), 0.2],
  [
    g(
      /\b(?:great|love|loved|excellent|amazing|awesome|fantastic|wonderful|perfect|happy|pleased|brilliant|lovely|helpful|good)\b/,
    ),
    0.25,
  ],
];
const FRUSTRATION: RegExp[] = [
  /\b(?:fed up|sick (?:and tired )?of|tired of|had enough|furious|livid|fuming|outraged|pissed off|beyond frustrated|extremely frustrated|so frustrated|very frustrated|frustrated|frustrating|unacceptable|ridiculous|absolutely (?:terrible|disgusting|useless|shocking)|worst (?:company|service|experience)|never (?:again|ordering again|buying again|shopping again)|waste of (?:my )?(?:time|money)|disgusted|disgusting|pathetic|useless|incompetent|joke|wtf|scammers?|thieves)\b/,
  /\b(?:third|3rd|fourth|4th|fifth|5th) (?:time|email|message|request|attempt)\b|\b(?:three|four|five|several|multiple|many|countless|numerous|\d+) (?:times|emails|messages|calls|requests|attempts)\b/,
  /\b(?:nobody|no one|noone) (?:has|is|ever|bothered|responded|replied|answered|got back|helps|helped)\b|\bstill (?:no|waiting|nothing|have not|has not|not)\b.{0,40}\b(?:again|weeks|days|reply|response|answer)\b|\b(?:keep|keeps|kept) (?:getting|being|telling|sending|saying|ignoring)\b|\bignor(?:ed|ing) (?:me|my)\b/,
];
const URGENCY =
  /\b(?:urgent|urgently|asap|as soon as possible|immediately|right away|right now|emergency|straight away|today|tonight|by tomorrow|tomorrow|deadline|time sensitive|time critical|need it by|before (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend|christmas)|for a (?:wedding|birthday|funeral|trip|flight))\b/;

function firstMatch(re: RegExp, s: string): string | null {
  const m = re.exec(s);
  return m ? m[0].trim() : null;
}

/**
 * @param normalised output of normaliseForMatching
 * @param visible visible text (for capitals and exclamation marks)
 */
export function analyseSentiment(normalised: string, visible: string): Sentiment {
  const evidence: string[] = [];
  let neg = 0;
  let pos = 0;
  let strongNeg = 0;
  for (const [re, w] of NEGATIVE) {
    const hits = normalised.match(re);
    if (hits) {
      neg += w * Math.min(hits.length, 3);
      if (w >= 0.4) strongNeg += hits.length;
    }
  }
  for (const [re, w] of POSITIVE) {
    const hits = normalised.match(re);
    if (hits) pos += w * Math.min(hits.length, 3);
  }
  const sample = visible.length > 4000 ? visible.slice(0, 4000) : visible;
  const exclaims = (sample.match(/!/g) ?? []).length;
  const letters = sample.replace(/[^A-Za-z]/g, '');
  const upper = letters.replace(/[^A-Z]/g, '').length;
  const shouting = letters.length >= 12 && upper / letters.length > 0.6;
  if (exclaims >= 2) neg += 0.15;
  if (shouting) {
    neg += 0.25;
    evidence.push('writing in capitals');
  }
  if (/[!?]{3,}/.test(sample)) neg += 0.15;

  let frustrationCues = 0;
  for (const re of FRUSTRATION) {
    const m = firstMatch(re, normalised);
    if (m) {
      frustrationCues++;
      evidence.push(m);
    }
  }
  const raw = pos - neg;
  const score = Math.max(-1, Math.min(1, Math.tanh(raw * 1.2)));
  const frustration = frustrationCues >= 1 && (score <= -0.3 || frustrationCues >= 2 || strongNeg >= 2 || shouting);
  const urg = firstMatch(URGENCY, normalised);
  if (urg) evidence.push(urg);
  return { score: Math.round(score * 1000) / 1000, frustration, urgency: urg !== null, evidence: evidence.slice(0, 8) };
}
