/**
 * Self-check of a reply draft against the facts it may use. Shared by the offline and LLM drafters, so it
 * accepts any string and never throws.
 */
import { extractEntities, normalizeOrderNumber } from './entities';
import type { OrderSnapshot, SelfCheckFinding, StorePolicy } from './triage.types';

export const MAX_CHECKED_CHARS = 20_000;

export interface SelfCheckFacts {
  order: OrderSnapshot | null;
  policy: StorePolicy;
  requestedOrderNumber?: string | null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_RE =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const RE_ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const RE_NUM_DATE = /\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b/g;
const RE_MONTH_DAY = new RegExp(`\\b${MONTH_RE}\\.? (\\d{1,2})(?:st|nd|rd|th)?\\b`, 'gi');
const RE_DAY_MONTH = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?${MONTH_RE}\\b`, 'gi');
const RE_DAYS = /\b(\d{1,4})(?:\s?-\s?(\d{1,4}))? (?:business |working |calendar |more )?days?\b/gi;

const RE_MARKUP: [RegExp, string][] = [
  [/<\/?[a-z][a-z0-9-]*(?:\s[^<>]{0,500})?\/?>/i, 'HTML tag'],
  [/<!--/, 'HTML comment'],
  [/\bhttps?:\/\/|\bftp:\/\/|\bwww\./i, 'URL'],
  [/\[[^\]\n]{0,200}\]\([^)\n]{0,500}\)/, 'Markdown link'],
  [
    /(?<![@\w.-])[a-z0-9][a-z0-9-]{0,62}\.(?:com|net|org|io|co|shop|store|info|biz|app|ly|me|xyz|online|site)\b(?!@)/i,
    'web address',
  ],
  [/\*\*[^*\n]{1,200}\*\*|^\s{0,3}#{1,6} \S|^\s*```/m, 'Markdown formatting'],
  [/&(?:lt|gt|amp|nbsp|#\d{1,6});/i, 'HTML entity'],
];

const FORBIDDEN: [RegExp, string][] = [
  [/\bfull refund\b/i, 'promises a full refund'],
  [
    /\b(?:we|i)(?:'ll| will| shall| are going to| am going to| have| 've|'ve| can| would)? (?:now |already |immediately |gladly |happily |also |then |just )?(?:refund|refunded|reimburse|reimbursed|credit back)\b/i,
    'promises a refund',
  ],
  [
    /\b(?:we|i)(?:'ll| will| shall| are going to| am going to| have|'ve| am| are)? (?:\w+ ){0,2}(?:issu|process|send|sent|giv|gave|approv|grant|arrang|initiat)\w* (?:you )?(?:a |an |your |the )?(?:full |partial |complete |immediate )?(?:refund|reimbursement|replacement|credit)\b/i,
    'promises a refund or replacement',
  ],
  [
    /\b(?:your |the |a )?refund (?:has been|will be|is being|was|is now|has now been) (?:approved|issued|processed|sent|granted|initiated|completed)\b/i,
    'states a refund was granted',
  ],
  [
    /\byou(?:'ll| will) (?:receive|get|be given|see) (?:a |an |your |the )?(?:full |partial )?(?:refund|replacement|credit|reimbursement)\b/i,
    'promises a refund or replacement',
  ],
  [
    /\bdiscounts?\b|\bvouchers?\b|\bcoupons?\b|\bpromo(?:tional)? codes?\b|\bstore credit\b|\bgift cards?\b|\bcompensat\w*|\bgoodwill (?:gesture|payment|credit)\b/i,
    'offers a discount, voucher or compensation',
  ],
  [
    /\bfree (?:of charge|replacement|shipping|delivery|return|gift|upgrade)\b|\bon (?:us|the house)\b/i,
    'offers something for free',
  ],
  [
    /\bguarantee[ds]?\b|\bpromise (?:you )?(?:that )?(?:it|your|the|we)\b|\bi promise\b|\bwe promise\b/i,
    'gives a guarantee',
  ],
];
/**
 * Phone-number candidates: an optional +, then 7-15 digits in groups separated by spaces, dots, dashes or brackets.
 * Dates, day ranges, amounts, order and tracking numbers are told apart in `phoneNumbers`.
 */
const RE_PHONE = /(?<![\w#$€£¥₹.,/-])(\+\s?)?(\(?\d[\d\s().-]{5,22}\d)(?![\w/-]|[.,]\d)/g;
const RE_PHONE_WORD =
  /\b(?:phone|telephone|tel|call|calling|ring|mobile|cell|whatsapp|text|sms|hotline|helpline|number|fax)\b[^\n]{0,25}$/i;

/** The customer's secrets a reply must never ask for (the store's own text may warn about them). */
const SECRET =
  '(?:(?:full |complete |long )?(?:credit |debit |bank )?card (?:number|numbers|details|no)|(?:cvv|cvc|cvv2|security code|card verification (?:code|value))|expiry date and|pass ?words?|pass ?codes?|pass ?phrases?|pins?(?: code| number)?|one[ -]time (?:pass ?)?(?:code|password)s?|otps?|verification codes?|(?:2fa|two[ -]factor|authentication|security|login|sign[ -]in) (?:codes?|details|credentials)|log ?in details|credentials|(?:online )?banking details|bank details)';
const RE_CREDENTIAL_REQUEST = new RegExp(
  `\\b(?:send|sending|give|giving|provide|providing|share|sharing|reply with|respond with|tell|telling|confirm|confirming|enter|type|include|including|let us (?:know|have)|need|needs|require|requires|ask(?:ing)? (?:you )?for|what is|what are|write down|forward)\\b(?:[^.!?\\n]{0,40}?)\\b(?:your |the |us your |me your |us the |me the )?${SECRET}\\b`,
  'gi',
);
const RE_NEGATED_BEFORE =
  /\b(?:never|not|no|don't|do not|won't|will not|cannot|can't|nobody|without)\b[^.!?\n]{0,30}$/i;

const RE_DATE_PROMISE = new RegExp(
  `\\b(?:arrive|arrives|be delivered|reach you|ship|be shipped|be dispatched|be processed|be with you|get to you)\\b[^.\\n]{0,30}\\b(?:by|on|before|no later than)\\s+(today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend|next week|end of (?:the )?(?:day|week)|\\d{4}-\\d{2}-\\d{2}|${MONTH_RE}\\.? \\d{1,2}|\\d{1,2}(?:st|nd|rd|th)? (?:of )?${MONTH_RE}|\\d{1,2}[/.]\\d{1,2}(?:[/.]\\d{2,4})?)`,
  'i',
);

function isoKeys(value: string | null | undefined): { iso: Set<string>; md: Set<string> } {
  const iso = new Set<string>();
  const md = new Set<string>();
  if (typeof value === 'string') {
    const m = /(\d{4})-(\d{2})-(\d{2})/.exec(value);
    if (m) {
      iso.add(`${m[1]}-${m[2]}-${m[3]}`);
      md.add(`${Number(m[2])}-${Number(m[3])}`);
    }
  }
  return { iso, md };
}

function allowedDates(order: OrderSnapshot | null): { iso: Set<string>; md: Set<string> } {
  const iso = new Set<string>();
  const md = new Set<string>();
  const add = (v: string | null | undefined) => {
    const k = isoKeys(v);
    k.iso.forEach((x) => iso.add(x));
    k.md.forEach((x) => md.add(x));
  };
  if (order) {
    add(order.placedAt);
    for (const s of Array.isArray(order.shipments) ? order.shipments : []) add(s?.estimatedDelivery);
  }
  return { iso, md };
}

function allowedDayCounts(policy: StorePolicy): Set<number> {
  const out = new Set<number>();
  const p = policy ?? ({} as StorePolicy);
  if (Number.isFinite(p.returnWindowDays)) out.add(p.returnWindowDays);
  if (Number.isFinite(p.refundProcessingDays)) out.add(p.refundProcessingDays);
  for (const s of [p.domesticShippingDays, p.internationalShippingDays]) {
    if (typeof s === 'string') for (const m of s.matchAll(/\d{1,4}/g)) out.add(Number(m[0]));
  }
  return out;
}

function allowedAmounts(order: OrderSnapshot | null): number[] {
  if (!order) return [];
  const out: number[] = [];
  if (Number.isFinite(order.total)) out.push(order.total);
  for (const l of Array.isArray(order.lines) ? order.lines : []) {
    if (l && Number.isFinite(l.unitPrice)) {
      out.push(l.unitPrice);
      if (Number.isFinite(l.quantity)) out.push(Math.round(l.unitPrice * l.quantity * 100) / 100);
    }
  }
  return out;
}

function monthIndex(word: string): number {
  return MONTHS.indexOf(word.slice(0, 3).toLowerCase()) + 1;
}

function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

/** Phone numbers in `text` (as written), except dates, day ranges and numbers listed in `notPhones` (digits only). */
function phoneNumbers(text: string, notPhones: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(RE_PHONE)) {
    const raw = `${m[1] ?? ''}${m[2]}`.trim();
    const digits = digitsOf(raw);
    if (digits.length < 7 || digits.length > 15 || notPhones.has(digits)) continue;
    if (/^\d{4}-\d{2}-\d{2}/.test(m[2]) || /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/.test(m[2])) continue;
    const groups = m[2].split(/[\s().-]+/).filter(Boolean);
    const before = text.slice(Math.max(0, (m.index ?? 0) - 40), m.index ?? 0);
    // an unbroken run of digits is only a phone number with a + or a word such as "call" or "phone" before it
    if (!m[1] && groups.length < 2 && !RE_PHONE_WORD.test(before)) continue;
    if (groups.length >= 2 && groups.every((g) => g.length <= 2)) continue;
    if (!out.includes(raw)) out.push(raw);
  }
  return out;
}

/** Phrases that ask the customer for a card number, password, PIN or one-time code (not "we never ask for ..."). */
function credentialRequests(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(RE_CREDENTIAL_REQUEST)) {
    const before = text.slice(Math.max(0, (m.index ?? 0) - 40), m.index ?? 0);
    const inside = m[0];
    if (RE_NEGATED_BEFORE.test(before) || /\b(?:never|not|don't|no)\b/i.test(inside)) continue;
    const phrase = inside.replace(/\s+/g, ' ').trim().slice(0, 80);
    if (!out.includes(phrase)) out.push(phrase);
  }
  return out;
}

/** Removes the store's own signature and name so they never count as unsupported facts or links. */
function withoutStoreText(body: string, policy: StorePolicy): string {
  let b = body;
  for (const t of [policy?.supportSignature, policy?.storeName]) {
    if (typeof t === 'string' && t.trim().length >= 2) b = b.split(t).join(' ');
  }
  return b;
}

/** Checks a draft body against the order snapshot and store policy. Never throws. */
export function selfCheckDraft(body: string, facts: SelfCheckFacts): SelfCheckFinding[] {
  const findings: SelfCheckFinding[] = [];
  try {
    const raw = typeof body === 'string' ? body : '';
    if (raw.trim().length === 0) return [{ code: 'empty', detail: 'the draft is empty' }];
    const policy = facts?.policy ?? ({} as StorePolicy);
    const order = facts?.order ?? null;
    const text = withoutStoreText(raw.length > MAX_CHECKED_CHARS ? raw.slice(0, MAX_CHECKED_CHARS) : raw, policy);

    for (const [re, what] of RE_MARKUP) {
      const m = re.exec(text);
      if (m) findings.push({ code: 'markup_or_link', detail: `contains a ${what}: "${m[0].slice(0, 60)}"` });
    }

    const requested = normalizeOrderNumber(facts?.requestedOrderNumber ?? '');
    const snapshotNo = order ? normalizeOrderNumber(order.orderNumber) : '';
    if (order && requested && snapshotNo && requested !== snapshotNo) {
      findings.push({
        code: 'wrong_order',
        detail: `the customer asked about ${facts.requestedOrderNumber} but the order on file is ${order.orderNumber}`,
      });
    }
    const ents = extractEntities(text);
    for (const n of ents.orderNumbers) {
      const k = normalizeOrderNumber(n);
      if (order) {
        if (k !== snapshotNo)
          findings.push({
            code: 'wrong_order',
            detail: `names order ${n}, but the order on file is ${order.orderNumber}`,
          });
      } else if (k !== requested) {
        findings.push({ code: 'unsupported_fact', detail: `names order ${n}, but no order was found` });
      }
    }
    const knownTracking = new Set(
      (order && Array.isArray(order.shipments) ? order.shipments : []).map((s) =>
        String(s?.trackingNumber ?? '').toUpperCase(),
      ),
    );
    for (const t of ents.trackingNumbers) {
      const k = t.toUpperCase();
      if (k === snapshotNo || k === requested) continue;
      if (!knownTracking.has(k))
        findings.push({ code: 'unsupported_fact', detail: `states tracking number ${t}, which is not on the order` });
    }
    const amounts = allowedAmounts(order);
    for (const a of ents.amounts) {
      if (!amounts.some((v) => Math.abs(v - a.value) < 0.005)) {
        findings.push({ code: 'unsupported_fact', detail: `states the amount ${a.text}, which is not on the order` });
      }
    }

    const dates = allowedDates(order);
    for (const m of text.matchAll(RE_ISO_DATE)) {
      if (!dates.iso.has(m[0]))
        findings.push({ code: 'unsupported_fact', detail: `states the date ${m[0]}, which is not on the order` });
    }
    const mdChecks: [string, number, number][] = [];
    for (const m of text.matchAll(RE_MONTH_DAY)) mdChecks.push([m[0], monthIndex(m[0]), Number(m[1])]);
    for (const m of text.matchAll(RE_DAY_MONTH))
      mdChecks.push([m[0], monthIndex(m[0].replace(/^\d+(?:st|nd|rd|th)? (?:of )?/i, '')), Number(m[1])]);
    for (const [t, mo, d] of mdChecks) {
      if (mo > 0 && !dates.md.has(`${mo}-${d}`))
        findings.push({ code: 'unsupported_fact', detail: `states the date "${t}", which is not on the order` });
    }
    for (const m of text.replace(RE_ISO_DATE, ' ').matchAll(RE_NUM_DATE)) {
      const a = Number(m[1]);
      const b = Number(m[2]);
      if (a > 31 || b > 31 || (a > 12 && b > 12)) continue;
      if (!dates.md.has(`${a}-${b}`) && !dates.md.has(`${b}-${a}`)) {
        findings.push({ code: 'unsupported_fact', detail: `states the date ${m[0]}, which is not on the order` });
      }
    }
    const dayCounts = allowedDayCounts(policy);
    for (const m of text.matchAll(RE_DAYS)) {
      for (const g of [m[1], m[2]]) {
        if (g !== undefined && !dayCounts.has(Number(g))) {
          findings.push({ code: 'unsupported_fact', detail: `states "${m[0]}", which the store policy does not say` });
          break;
        }
      }
    }

    for (const [re, what] of FORBIDDEN) {
      const m = re.exec(text);
      if (m) findings.push({ code: 'forbidden_promise', detail: `${what}: "${m[0].slice(0, 60)}"` });
    }
    // contact details and secrets: only the store's own text may carry a phone number
    const notPhones = new Set<string>();
    for (const t of [policy?.supportSignature, policy?.storeName])
      if (typeof t === 'string') for (const m of t.matchAll(RE_PHONE)) notPhones.add(digitsOf(`${m[1] ?? ''}${m[2]}`));
    if (order) {
      notPhones.add(digitsOf(order.orderNumber ?? ''));
      for (const sh of Array.isArray(order.shipments) ? order.shipments : [])
        notPhones.add(digitsOf(String(sh?.trackingNumber ?? '')));
    }
    if (facts?.requestedOrderNumber) notPhones.add(digitsOf(facts.requestedOrderNumber));
    for (const phone of phoneNumbers(text, notPhones))
      findings.push({
        code: 'contact_detail',
        detail: `contains a phone number the store did not provide: "${phone}"`,
      });
    for (const ask of credentialRequests(text))
      findings.push({
        code: 'credential_request',
        detail: `asks the customer for a card number, password or code: "${ask}"`,
      });

    const dp = RE_DATE_PROMISE.exec(text);
    if (dp) {
      const when = dp[1];
      const k = isoKeys(when);
      const supported = k.iso.size > 0 && [...k.iso].every((x) => dates.iso.has(x));
      if (!supported)
        findings.push({ code: 'forbidden_promise', detail: `promises a delivery date: "${dp[0].slice(0, 80)}"` });
    }
  } catch {
    findings.push({ code: 'unsupported_fact', detail: 'the draft could not be checked' });
  }
  // de-duplicate, cap
  const seen = new Set<string>();
  return findings
    .filter((f) => {
      const k = `${f.code}|${f.detail}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .slice(0, 30);
}
