/**
 * Text preparation for the offline classifier and the draft self-check.
 * Pure and linear-time: every scan is bounded, no regex can backtrack over the whole input.
 */

/** Raw characters looked at before anything else (markup is stripped from this prefix only). */
export const MAX_RAW_CHARS = 64_000;
/** Characters of visible text that are scored by the lexicon and scanned for entities. */
export const MAX_SCORED_CHARS = 8_000;

const HIDDEN_STYLE =
  /display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|max-height\s*:\s*0(?![.\d]*[1-9])|mso-hide\s*:\s*all/i;
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'head',
  'template',
  'noscript',
  'title',
  'svg',
  'iframe',
  'object',
]);
const BLOCK_TAGS = new Set([
  'br',
  'p',
  'div',
  'li',
  'tr',
  'td',
  'th',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'ul',
  'ol',
  'blockquote',
  'section',
  'article',
  'hr',
]);
const VOID_TAGS = new Set([
  'br',
  'hr',
  'img',
  'input',
  'meta',
  'link',
  'area',
  'base',
  'col',
  'embed',
  'source',
  'track',
  'wbr',
]);

const ENTITY_MAP: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  rsquo: "'",
  lsquo: "'",
  rdquo: '"',
  ldquo: '"',
  hellip: '...',
  ndash: '-',
  mdash: '-',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  copy: '©',
  reg: '®',
};

/** True when the string looks like it carries HTML markup. */
export function looksLikeMarkup(s: string): boolean {
  return /<(?:[a-zA-Z][a-zA-Z0-9-]*[\s/>]|!--|\/[a-zA-Z])/.test(s);
}

function tagNameAt(s: string, i: number): { name: string; closing: boolean } | null {
  // s[i] === '<'
  let j = i + 1;
  let closing = false;
  if (s[j] === '/') {
    closing = true;
    j++;
  }
  const start = j;
  while (j < s.length && j - start < 20) {
    const c = s.charCodeAt(j);
    const isAlnum = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45;
    if (!isAlnum) break;
    j++;
  }
  if (j === start) return null;
  const first = s.charCodeAt(start);
  if (!((first >= 97 && first <= 122) || (first >= 65 && first <= 90))) return null;
  return { name: s.slice(start, j).toLowerCase(), closing };
}

/** Skip to the end of the element that opens at `openEnd` (index after its `>`), counting nesting of the same tag. */
function skipElement(s: string, name: string, from: number): number {
  let depth = 1;
  let i = from;
  let guard = 0;
  while (i < s.length && guard++ < 10_000) {
    const lt = s.indexOf('<', i);
    if (lt < 0) return s.length;
    const t = tagNameAt(s, lt);
    const gt = s.indexOf('>', lt);
    if (gt < 0) return s.length;
    if (t && t.name === name) {
      const selfClosing = s[gt - 1] === '/';
      if (t.closing) depth--;
      else if (!selfClosing) depth++;
      if (depth === 0) return gt + 1;
    }
    i = gt + 1;
  }
  return s.length;
}

export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (m, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return ' ';
      return String.fromCodePoint(code);
    }
    const v = ENTITY_MAP[body.toLowerCase()];
    return v ?? m;
  });
}

export interface StripResult {
  text: string;
  /** True if hidden elements (display:none, comments, scripts...) were removed. */
  hiddenRemoved: boolean;
}

/**
 * Removes HTML tags, comments, scripts/styles and elements hidden with inline styles or the `hidden` attribute.
 * Text that does not look like markup is returned unchanged (apart from invisible characters).
 */
export function stripMarkup(input: string): StripResult {
  let s = input.length > MAX_RAW_CHARS ? input.slice(0, MAX_RAW_CHARS) : input;
  let hiddenRemoved = false;
  if (looksLikeMarkup(s)) {
    const out: string[] = [];
    let i = 0;
    let guard = 0;
    while (i < s.length && guard++ < 200_000) {
      const lt = s.indexOf('<', i);
      if (lt < 0) {
        out.push(s.slice(i));
        break;
      }
      out.push(s.slice(i, lt));
      if (s.startsWith('<!--', lt)) {
        const end = s.indexOf('-->', lt + 4);
        hiddenRemoved = true;
        i = end < 0 ? s.length : end + 3;
        continue;
      }
      if (s.startsWith('<!', lt) || s.startsWith('<?', lt)) {
        const end = s.indexOf('>', lt);
        i = end < 0 ? s.length : end + 1;
        continue;
      }
      const t = tagNameAt(s, lt);
      if (!t) {
        out.push('<');
        i = lt + 1;
        continue;
      }
      const gt = s.indexOf('>', lt);
      if (gt < 0) {
        // unterminated tag: drop the rest of it
        i = s.length;
        continue;
      }
      const tagText = s.slice(lt, gt + 1);
      i = gt + 1;
      if (t.closing) {
        if (BLOCK_TAGS.has(t.name)) out.push('\n');
        continue;
      }
      const selfClosing = tagText.endsWith('/>') || VOID_TAGS.has(t.name);
      const hidden =
        DROP_WITH_CONTENT.has(t.name) ||
        HIDDEN_STYLE.test(tagText) ||
        /\shidden(?:[\s=/>])/i.test(tagText) ||
        /aria-hidden\s*=\s*["']?true/i.test(tagText);
      if (hidden) {
        hiddenRemoved = true;
        if (!selfClosing) i = skipElement(s, t.name, i);
        continue;
      }
      if (BLOCK_TAGS.has(t.name)) out.push('\n');
      else out.push(' ');
    }
    s = out.join('');
  }
  s = decodeEntities(s);
  // invisible characters used to hide or split words
  const before = s.length;
  s = s.replace(/[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD\u202A-\u202E\u2066-\u2069]/g, '');
  if (s.length !== before) hiddenRemoved = true;
  return { text: s, hiddenRemoved };
}

/** Drops quoted earlier messages ("> ..." lines and everything after "On ... wrote:"). */
export function dropQuotedReply(s: string): string {
  const wrote = s.search(/\n\s*(?:On .{1,200}wrote:|-{2,}\s*Original Message\s*-{2,}|From: .{1,200}\n\s*Sent: )/i);
  const cut = wrote > 40 ? s.slice(0, wrote) : s;
  if (cut.indexOf('\n>') < 0) return cut;
  return cut
    .split('\n')
    .filter((l) => !/^\s*>/.test(l))
    .join('\n');
}

const CONTRACTIONS: [RegExp, string][] = [
  [/\bwon'?t\b/g, 'will not'],
  [/\bcan'?t\b/g, 'can not'],
  [/\bcannot\b/g, 'can not'],
  [/\bain'?t\b/g, 'is not'],
  [/\bshan'?t\b/g, 'shall not'],
  [/n't\b/g, ' not'],
  [/\b(do|did|does|is|was|were|are|has|have|had|could|would|should|must|need)nt\b/g, '$1 not'],
  [/\bi'm\b|\bim\b/g, 'i am'],
  [/\bi've\b|\bive\b/g, 'i have'],
  [/'re\b/g, ' are'],
  [/'ve\b/g, ' have'],
  [/'ll\b/g, ' will'],
  [/'d\b/g, ' would'],
  [/'s\b/g, ''],
  [/\bur\b/g, 'your'],
  [/\bu\b/g, 'you'],
  [/\bpl[sz]\b|\bpleas\b/g, 'please'],
  [/\bwanna\b/g, 'want to'],
  [/\bgonna\b/g, 'going to'],
  [/\bgotta\b/g, 'got to'],
  [/\bthx\b|\bthanx\b|\bty\b/g, 'thanks'],
  [/\bacc\b|\bacct\b/g, 'account'],
];

/**
 * Typo repair for the words the lexicon depends on (one deletion/insertion/substitution/transposition away).
 * Only words of 5+ letters that are not themselves common words are repaired, and only towards this list.
 */
const TYPO_VOCAB = [
  'refund',
  'refunds',
  'refunded',
  'compensation',
  'reimbursement',
  'reclamation',
  'complaint',
  'registration',
  'register',
  'account',
  'address',
  'delivery',
  'delivered',
  'shipping',
  'shipment',
  'password',
  'cancel',
  'cancellation',
  'cancelled',
  'invoice',
  'invoices',
  'purchase',
  'tracking',
  'status',
  'payment',
  'payments',
  'newsletter',
  'subscription',
  'receive',
  'received',
  'mattress',
  'exchange',
  'return',
  'returned',
  'warranty',
  'assistance',
  'customer',
  'service',
  'modify',
  'change',
  'update',
  'recover',
  'restore',
  'delete',
  'remove',
  'create',
  'problem',
  'problems',
  'damaged',
  'broken',
  'original',
  'authentic',
  'replacement',
  'package',
  'parcel',
  'arrive',
  'arrived',
  'transaction',
  'transfer',
  'withdrawal',
  'recognise',
  'recognize',
  'unauthorized',
  'unauthorised',
  'fraudulent',
  'stolen',
  'lawyer',
  'attorney',
  'chargeback',
  'dispute',
  'accessibility',
  'wheelchair',
  'representative',
  'supervisor',
  'manager',
  'human',
  'person',
  'agent',
  'money',
  'delayed',
  'options',
  'methods',
  'information',
  'profile',
  'switch',
  'order',
  'orders',
  'track',
  'charged',
  'declined',
  'balance',
  'deposit',
  'pending',
  'reverted',
  'verify',
  'identity',
  'options',
  'penalties',
  'feedback',
  'review',
  'shipping',
  'expected',
  'estimated',
  'unknown',
  'transaction',
  'rebate',
  'restitution',
  'unsubscribe',
  'subscribe',
  'signup',
  'login',
  'cancelation',
];
const COMMON_WORDS = new Set([
  'packed',
  'hacked',
  'backed',
  'lacked',
  'placed',
  'places',
  'orders',
  'border',
  'boarder',
  'harder',
  'wonder',
  'under',
  'other',
  'others',
  'another',
  'mother',
  'father',
  'brother',
  'rather',
  'either',
  'whether',
  'person',
  'prison',
  'reason',
  'season',
  'return',
  'returns',
  'retain',
  'remain',
  'repair',
  'report',
  'record',
  'recent',
  'revert',
  'reverse',
  'review',
  'reviews',
  'charge',
  'change',
  'chance',
  'manage',
  'manger',
  'damage',
  'postage',
  'package',
  'message',
  'passage',
  'address',
  'dress',
  'agents',
  'agency',
  'urgent',
  'recover',
  'discover',
  'cover',
  'covered',
  'delivery',
  'deliver',
  'livery',
  'travel',
  'status',
  'statue',
  'states',
  'stated',
  'stolen',
  'swollen',
  'listen',
  'silent',
  'human',
  'woman',
  'women',
  'humid',
  'money',
  'monday',
  'honey',
  'monkey',
  'mooney',
  'broken',
  'token',
  'spoken',
  'woken',
  'option',
  'motion',
  'notion',
  'parcel',
  'cancel',
  'camel',
  'panel',
  'arrive',
  'archive',
  'derive',
  'refine',
  'define',
  'refuse',
  'refused',
  'create',
  'crate',
  'created',
  'update',
  'dated',
  'delete',
  'deleted',
  'remove',
  'removed',
  'receive',
  'deceive',
  'verify',
  'verity',
  'switch',
  'stitch',
  'twitch',
  'reward',
  'forward',
  'rebates',
  'debate',
  'debates',
  'estimate',
  'signed',
  'single',
  'login',
  'logic',
  'begin',
  'origin',
  'manner',
  'banner',
  'dinner',
  'winner',
  'tracks',
  'trick',
  'lawyers',
  'layer',
  'player',
  'prayer',
  'modest',
  'modify',
  'models',
  'profit',
  'proof',
  'profile',
  'service',
  'device',
  'notice',
  'advice',
  'invoice',
  'voice',
  'choice',
  'returned',
  'turned',
  'burned',
  'learned',
  'concerned',
  'compliant',
  'compliance',
  'persona',
]);

const TYPO_INDEX: Map<string, string> = (() => {
  const m = new Map<string, string>();
  const add = (k: string, w: string) => {
    const prev = m.get(k);
    if (prev === undefined) m.set(k, w);
    else if (prev !== w) m.set(k, ''); // ambiguous deletion: never repair through it
  };
  for (const w of TYPO_VOCAB) {
    add(w, w);
    for (let i = 0; i < w.length; i++) add(w.slice(0, i) + w.slice(i + 1), w);
  }
  return m;
})();
const VOCAB_SET = new Set(TYPO_VOCAB);

/** "charges", "managed", "charging": an inflection of a known word is a word, not a typo. */
function isInflection(word: string): boolean {
  const known = (w: string) => VOCAB_SET.has(w) || COMMON_WORDS.has(w);
  for (const [suffix, add] of [
    ['s', ''],
    ['es', ''],
    ['d', ''],
    ['ed', ''],
    ['ing', ''],
    ['ing', 'e'],
  ] as const) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix) && known(word.slice(0, -suffix.length) + add))
      return true;
  }
  return false;
}

/** Results of repairTypo for recent words (a pure function's memo, bounded; cleared when full). */
const TYPO_MEMO = new Map<string, string>();

export function repairTypo(word: string): string {
  if (word.length < 5 || word.length > 20 || VOCAB_SET.has(word) || COMMON_WORDS.has(word)) return word;
  const memo = TYPO_MEMO.get(word);
  if (memo !== undefined) return memo;
  const repaired = repairUncached(word);
  if (TYPO_MEMO.size >= 20_000) TYPO_MEMO.clear();
  TYPO_MEMO.set(word, repaired);
  return repaired;
}

function repairUncached(word: string): string {
  if (!/^[a-z]+$/.test(word) || isInflection(word)) return word;
  // word is the vocabulary word with one letter missing
  const direct = TYPO_INDEX.get(word);
  if (direct) return direct;
  // one extra letter, a substitution, or a transposition
  for (let i = 0; i < word.length; i++) {
    const del = word.slice(0, i) + word.slice(i + 1);
    if (VOCAB_SET.has(del)) return del;
    const hit = TYPO_INDEX.get(del);
    if (hit && Math.abs(hit.length - word.length) <= 1) {
      if (hit.length === word.length - 1 || hit.length === word.length) return hit;
    }
  }
  for (let i = 0; i + 1 < word.length; i++) {
    const sw = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    if (VOCAB_SET.has(sw)) return sw;
  }
  return word;
}

/** Lower case, typographic apostrophes made plain, contractions and chat shorthand written out ("didn't" -> "did not"). */
export function expandContractions(s: string): string {
  let t = s.toLowerCase().replace(/[\u2018\u2019\u201B\u02BC`\u00B4]/g, "'");
  for (const [re, rep] of CONTRACTIONS) t = t.replace(re, rep);
  return t;
}

/**
 * Lower-cased, contraction-expanded, punctuation-free text padded with single spaces: ` i did not order this `.
 * Letters and digits of every script are kept.
 */
export function normaliseForMatching(s: string): string {
  let t = expandContractions(s);
  t = t.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  if (t.length <= 20_000) {
    t = t.replace(/(?<![\p{L}\p{N}])[a-z]{5,20}(?![\p{L}\p{N}])/gu, (w) => repairTypo(w));
  }
  return ` ${t} `;
}

/** Visible text to score: markup stripped, quoted replies dropped, capped. */
export function prepareText(
  subject: string | undefined,
  text: string,
): { visible: string; hiddenRemoved: boolean; truncated: boolean } {
  const subj = typeof subject === 'string' ? subject.slice(0, 1_000) : '';
  const body = typeof text === 'string' ? text : '';
  const stripped = stripMarkup(body);
  const withoutQuote = dropQuotedReply(stripped.text);
  const subjClean = subj ? stripMarkup(subj).text : '';
  let visible = subjClean ? `${subjClean}\n${withoutQuote}` : withoutQuote;
  const truncated = body.length > MAX_RAW_CHARS || visible.length > MAX_SCORED_CHARS;
  if (visible.length > MAX_SCORED_CHARS) visible = visible.slice(0, MAX_SCORED_CHARS);
  // lone surrogates are harmless for regexes but make output JSON awkward; replace them
  visible = visible.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return { visible, hiddenRemoved: stripped.hiddenRemoved, truncated };
}
