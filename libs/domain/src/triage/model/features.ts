/**
 * Feature extraction of the intent model, shared by training (bench/train.ts) and inference (linear-model.ts), so the
 * two can never disagree. Pure, deterministic, linear in the input length.
 *
 * A message becomes tokens (lower case, contractions written out, greeting and sign-off dropped, numbers and codes
 * dropped), grouped in clauses; a negation word ("not", "no", "never", "without", ...) marks up to `negationScope`
 * following tokens of its clause as negated, unless a word such as "received" or "yet" ends the scope first ("I have
 * not received my refund" is about a refund; "I don't want a refund" is not). Negated tokens live in their own
 * feature space, so the model learns what "not + X" means instead of reading X.
 *
 * Features are hashed (FNV-1a + a final mix, signed) into `buckets` slots: word unigrams, word bigrams inside a
 * clause, character 3..5-grams of each word padded with "<" and ">", and the length of the message in words (a
 * bucket). Each occurrence adds ±weight; the vector is scaled to unit length.
 */
import { expandContractions, repairTypo } from '../text';

/** Bumped whenever tokenisation or hashing changes; a model trained with another version is refused. */
export const FEATURE_VERSION = 1;

export interface FeatureOptions {
  /** Number of hash slots (a power of two). */
  buckets: number;
  charMin: number;
  charMax: number;
  /** Weight of a character n-gram relative to a word feature (1). */
  charWeight: number;
  /** How many tokens after a negation word are marked negated. */
  negationScope: number;
  /** Repair one-letter typos towards the support vocabulary of text.ts before hashing. */
  typoRepair: boolean;
  /** Add one feature for the message length in words (1, 2, 3–4, 5–8, 9–16, more): very short messages are vague. */
  lengthFeature: boolean;
}

/** Words that negate what follows. */
export const NEGATION_WORDS: ReadonlySet<string> = new Set(['not', 'no', 'never', 'without', 'nothing', 'nor']);
/**
 * Words that end a negation's scope: what follows is about something else ("not received my refund", "not yet
 * arrived", "no idea but ...").
 */
export const NEGATION_BREAKERS: ReadonlySet<string> = new Set([
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
  'arrive',
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
  'working',
  'work',
]);

/** Tokens of a message, with the clause and segment each belongs to. */
export interface Tokens {
  words: string[];
  negated: boolean[];
  /** Clause index per token (negation scope and bigrams stay inside a clause). */
  clause: number[];
  /** Segment index per token: sentences, and parts joined by "and also" / ", and" (candidate separate requests). */
  segment: number[];
}

const CLAUSE_END = new Set(['.', '!', '?', ';', ':', ',', '(', ')', '\n', '"', '|', '/', '-']);
const SEGMENT_END = new Set(['.', '!', '?', ';', '\n']);

function isWordChar(c: number): boolean {
  // ASCII letters and digits fast path; other scripts via the Unicode test below
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}
const NON_ASCII_WORD = /[\p{L}\p{N}]/u;

// after at most one line (the subject) comes the greeting
const GREETING =
  /^([^\n]{0,200}\n)?\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|hallo|hola|bonjour|ciao|ol[áa])(?:[ \t]+[a-z.'-]+){0,3}[ \t]*[,!.:;\n-]+/;
const CLOSING =
  /(?:^|\n|[.!?][ \t]+)(?:thanks|thank you|thanks a lot|many thanks|thx|cheers|best|best wishes|best regards|kind regards|warm regards|regards|sincerely|yours|sent from my)\b[^\n]*(?:\n[^\n]{0,60}){0,3}\s*$/;

/**
 * Drops a greeting at the start ("Hi Sam,") and a sign-off at the end ("Thanks,\nSam"): the training rows are single
 * chat utterances without them, so their words would only add noise to an e-mail. Keeps the text when nothing else is
 * left.
 */
export function stripSalutations(lowercased: string): string {
  let t = lowercased;
  const g = GREETING.exec(t);
  if (g && /[\p{L}\p{N}]/u.test(t.slice(g[0].length))) t = `${g[1] ?? ''}${t.slice(g[0].length)}`;
  const tail = t.length > 200 ? t.length - 200 : 0;
  const c = CLOSING.exec(t.slice(tail));
  if (c) {
    // keep the full stop or question mark that ended the last sentence
    const keep = t.slice(0, tail + c.index + (/^[.!?]/.test(c[0]) ? 1 : 0));
    if (/[\p{L}\p{N}]/u.test(keep)) t = keep;
  }
  return t;
}

/** Splits normalised text into tokens; everything that is not a letter or digit separates tokens. */
export function tokenize(text: string, options: Pick<FeatureOptions, 'negationScope' | 'typoRepair'>): Tokens {
  const t = stripSalutations(expandContractions(typeof text === 'string' ? text : ''));
  const words: string[] = [];
  const clause: number[] = [];
  const segment: number[] = [];
  let clauseNo = 0;
  let segmentNo = 0;
  let i = 0;
  const n = t.length;
  while (i < n) {
    const c = t.charCodeAt(i);
    if (isWordChar(c) || (c > 127 && NON_ASCII_WORD.test(t[i]))) {
      let j = i + 1;
      while (j < n) {
        const d = t.charCodeAt(j);
        if (isWordChar(d) || (d > 127 && NON_ASCII_WORD.test(t[j]))) j++;
        else break;
      }
      let w = t.slice(i, j);
      if (/\d/.test(w) || (t[j] === '-' && t.charCodeAt(j + 1) >= 48 && t.charCodeAt(j + 1) <= 57)) {
        // numbers and codes such as SL-10002 are entities (orders, tracking, amounts), not words: the dev sets put
        // them mostly in rows about cancelling or changing orders, and a model that learned that would distrust every
        // e-mail naming its order
        i = j;
        continue;
      }
      if (options.typoRepair && w.length >= 5) w = repairTypo(w);
      // "and also" and ", and" often join two requests
      if (w === 'also' && words[words.length - 1] === 'and' && clause[clause.length - 1] === clauseNo) {
        segmentNo++;
        segment[segment.length - 1] = segmentNo;
      } else if (w === 'and' && words.length > 0 && clause[clause.length - 1] !== clauseNo && prevWasComma(t, i)) {
        segmentNo++;
      }
      words.push(w);
      clause.push(clauseNo);
      segment.push(segmentNo);
      i = j;
      continue;
    }
    const ch = t[i];
    if (CLAUSE_END.has(ch) && clause.length > 0 && clause[clause.length - 1] === clauseNo) clauseNo++;
    if (SEGMENT_END.has(ch) && segment.length > 0 && segment[segment.length - 1] === segmentNo) segmentNo++;
    i++;
  }
  const negated = markNegation(words, clause, options.negationScope);
  return { words, negated, clause, segment };
}

function prevWasComma(t: string, at: number): boolean {
  for (let k = at - 1; k >= 0 && at - k < 4; k--) {
    const ch = t[k];
    if (ch === ',') return true;
    if (ch !== ' ') return false;
  }
  return false;
}

function markNegation(words: string[], clause: number[], scope: number): boolean[] {
  const negated = new Array<boolean>(words.length).fill(false);
  for (let i = 0; i < words.length; i++) {
    if (!NEGATION_WORDS.has(words[i])) continue;
    for (let k = i + 1; k < words.length && k <= i + scope && clause[k] === clause[i]; k++) {
      const w = words[k];
      if (NEGATION_BREAKERS.has(w) || NEGATION_WORDS.has(w)) break;
      negated[k] = true;
    }
  }
  return negated;
}

/** A sparse feature vector: parallel arrays of slot indices and values (unit length). */
export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
  /** The token each feature came from (a bigram counts for its first word), for explaining predictions. */
  origin?: Int32Array;
}

// namespaces keep the same string in different roles apart
const NS_WORD = 0x9e3779b1;
const NS_NEG_WORD = 0x85ebca6b;
const NS_BIGRAM = 0xc2b2ae35;
const NS_CHAR = 0x27d4eb2f;
const NS_NEG_CHAR = 0x165667b1;
const NS_LENGTH = 0xd3a2646c;

function fnvStart(seed: number): number {
  return (0x811c9dc5 ^ seed) >>> 0;
}
function fnvStep(h: number, code: number): number {
  return Math.imul(h ^ code, 0x01000193) >>> 0;
}
/** murmur3's finaliser: spreads FNV's low bits, which are the ones that pick the slot. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
function hashString(seed: number, s: string): number {
  let h = fnvStart(seed);
  for (let i = 0; i < s.length; i++) h = fnvStep(h, s.charCodeAt(i));
  return mix(h);
}

/** The hashes of every token's features, computed once and shared by the whole message and its segments. */
export interface TokenHashes {
  word: Uint32Array;
  /** Hash of the bigram (token, next token) when both are in one clause; `hasBigram` says whether there is one. */
  bigram: Uint32Array;
  hasBigram: Uint8Array;
  /** Character n-gram hashes of token i: chars[charStart[i] .. charStart[i + 1]). */
  charStart: Int32Array;
  chars: Uint32Array;
}

export function hashTokens(tokens: Tokens, o: FeatureOptions): TokenHashes {
  const { words, negated, clause } = tokens;
  const n = words.length;
  const word = new Uint32Array(n);
  const bigram = new Uint32Array(n);
  const hasBigram = new Uint8Array(n);
  const charStart = new Int32Array(n + 1);
  const chars: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = words[i];
    word[i] = hashString(negated[i] ? NS_NEG_WORD : NS_WORD, w);
    if (i + 1 < n && clause[i + 1] === clause[i]) {
      const a = negated[i] ? `!${w}` : w;
      const b = negated[i + 1] ? `!${words[i + 1]}` : words[i + 1];
      bigram[i] = hashString(NS_BIGRAM, `${a} ${b}`);
      hasBigram[i] = 1;
    }
    charStart[i] = chars.length;
    if (o.charWeight > 0) addCharGrams(chars, w, negated[i], o);
  }
  charStart[n] = chars.length;
  return { word, bigram, hasBigram, charStart, chars: Uint32Array.from(chars) };
}

function addCharGrams(out: number[], word: string, negated: boolean, o: FeatureOptions): void {
  const padded = `<${word}>`;
  const seed = negated ? NS_NEG_CHAR : NS_CHAR;
  const len = padded.length;
  for (let n = o.charMin; n <= o.charMax; n++) {
    if (n > len) break;
    for (let s = 0; s + n <= len; s++) {
      let h = fnvStart(seed ^ n);
      for (let k = s; k < s + n; k++) h = fnvStep(h, padded.charCodeAt(k));
      out.push(mix(h));
    }
  }
}

/**
 * Features of tokens `from` (inclusive) to `to` (exclusive); the whole message by default. Pass `hashes` from
 * hashTokens to score several ranges of one message without hashing it again.
 */
export function featuresOf(
  tokens: Tokens,
  o: FeatureOptions,
  from = 0,
  to = tokens.words.length,
  hashes: TokenHashes = hashTokens(tokens, o),
): SparseVector {
  let count = o.lengthFeature ? 1 : 0;
  for (let i = from; i < to; i++)
    count += 1 + (i + 1 < to && hashes.hasBigram[i] ? 1 : 0) + hashes.charStart[i + 1] - hashes.charStart[i];
  const mask = o.buckets - 1;
  const index = new Int32Array(count);
  const raw = new Float64Array(count);
  const origin = new Int32Array(count);
  let k = 0;
  const add = (hash: number, weight: number, token: number) => {
    index[k] = hash & mask;
    // the top bit decides the sign, so colliding features tend to cancel instead of adding up
    raw[k] = hash & 0x80000000 ? -weight : weight;
    origin[k++] = token;
  };
  for (let i = from; i < to; i++) {
    add(hashes.word[i], 1, i);
    if (i + 1 < to && hashes.hasBigram[i]) add(hashes.bigram[i], 1, i);
    for (let c = hashes.charStart[i]; c < hashes.charStart[i + 1]; c++) add(hashes.chars[c], o.charWeight, i);
  }
  if (o.lengthFeature) {
    const n = to - from;
    const bucket = n <= 2 ? n : n <= 4 ? 3 : n <= 8 ? 4 : n <= 16 ? 5 : 6;
    add(hashString(NS_LENGTH, String(bucket)), 1, from);
  }
  let sq = 0;
  for (let i = 0; i < count; i++) sq += raw[i] * raw[i];
  const scale = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  const value = new Float32Array(count);
  for (let i = 0; i < count; i++) value[i] = raw[i] * scale;
  return { index, value, origin };
}

/** Token ranges [from, to) of the segments of a message, in order (empty segments dropped). */
export function segmentRanges(tokens: Tokens): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 1; i <= tokens.words.length; i++) {
    if (i === tokens.words.length || tokens.segment[i] !== tokens.segment[start]) {
      if (i > start) out.push([start, i]);
      start = i;
    }
  }
  return out;
}

/** Checks options read from a model file; returns a reason when they cannot be used. */
export function invalidFeatureOptions(o: Partial<FeatureOptions> | null | undefined): string | null {
  if (!o || typeof o !== 'object') return 'no feature options';
  const b = o.buckets;
  if (typeof b !== 'number' || !Number.isInteger(b) || b < 2 || b > 1 << 24 || (b & (b - 1)) !== 0)
    return 'buckets must be a power of two up to 2^24';
  if (!Number.isInteger(o.charMin) || !Number.isInteger(o.charMax) || o.charMin! < 1 || o.charMax! < o.charMin!)
    return 'bad character n-gram range';
  if (typeof o.charWeight !== 'number' || !(o.charWeight >= 0)) return 'bad charWeight';
  if (!Number.isInteger(o.negationScope) || o.negationScope! < 0) return 'bad negationScope';
  if (typeof o.typoRepair !== 'boolean') return 'bad typoRepair';
  if (typeof o.lengthFeature !== 'boolean') return 'bad lengthFeature';
  return null;
}
