/** Entity extraction: order numbers, amounts, tracking numbers, e-mail addresses. Bounded and linear. */
import type { Entities } from './triage.types';

export const MAX_ENTITIES_PER_KIND = 20;

/** Canonical form used to compare order numbers: no leading '#', no spaces, upper case. */
export function normalizeOrderNumber(s: string | null | undefined): string {
  if (typeof s !== 'string') return '';
  return s.trim().replace(/^#\s*/, '').replace(/\s+/g, '').toUpperCase();
}

const CURRENCY_SYMBOLS: Record<string, string> = {
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  US$: 'USD',
  C$: 'CAD',
  A$: 'AUD',
  R$: 'BRL',
};
const CURRENCY_WORDS: Record<string, string> = {
  usd: 'USD',
  dollar: 'USD',
  dollars: 'USD',
  bucks: 'USD',
  eur: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
  gbp: 'GBP',
  pound: 'GBP',
  pounds: 'GBP',
  quid: 'GBP',
  inr: 'INR',
  rs: 'INR',
  'rs.': 'INR',
  rupee: 'INR',
  rupees: 'INR',
  cad: 'CAD',
  aud: 'AUD',
  chf: 'CHF',
  jpy: 'JPY',
  yen: 'JPY',
  sek: 'SEK',
  nok: 'NOK',
  dkk: 'DKK',
  pln: 'PLN',
  brl: 'BRL',
  mxn: 'MXN',
};

function parseAmount(raw: string): number | null {
  let s = raw.replace(/\s/g, '');
  // 1.234,56 (European) vs 1,234.56
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else if (/^\d+,\d{1,2}$/.test(s)) s = s.replace(',', '.');
  else s = s.replace(/,/g, '');
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

const NUM = String.raw`\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?|\d{1,9}(?:[.,]\d{1,2})?`;
const RE_AMOUNT_PREFIX = new RegExp(
  String.raw`(US\$|C\$|A\$|R\$|[$€£¥₹]|\b(?:USD|EUR|GBP|INR|CAD|AUD|CHF|JPY|Rs\.?|rs\.?)\s?)\s?(${NUM})(?![\d])`,
  'g',
);
const RE_AMOUNT_SUFFIX = new RegExp(
  String.raw`(?<![\d.,])(${NUM})\s?(€|£|\b(?:usd|eur|gbp|inr|cad|aud|chf|jpy|dollars?|euros?|pounds?|bucks|quid|rupees?|rs|yen|sek|nok|dkk|pln|brl|mxn)\b)`,
  'gi',
);

const RE_ORDER_HASH = /(?<![\w#])#\s?([A-Za-z]{0,4}-?\d{3,12})\b/g;
const RE_ORDER_PREFIXED = /\b([A-Z]{2,4}-\d{3,12})\b/g;
const RE_ORDER_KEYWORD =
  /\b(?:order|purchase|invoice|bestellung|pedido|commande|ordine|bestelling)\s*(?:number|no\.?|nr\.?|num(?:ber)?|id|#|n[º°o]\.?|nummer|número|numero)?\s*[:#]?\s*([A-Za-z]{0,4}-?\d{4,20})\b/gi;

const RE_TRACK_UPS = /\b1Z[0-9A-Z]{16}\b/g;
const RE_TRACK_S10 = /\b[A-Z]{2}\d{9}[A-Z]{2}\b/g;
const RE_TRACK_KEYWORD =
  /\b(?:tracking|track|trace|awb|consignment|waybill)\s*(?:number|no\.?|nr\.?|code|id|#)?\s*[:#]?\s*([A-Z0-9]{8,30})\b/gi;
const RE_LONG_DIGITS = /(?<![\w$€£#-]|\d[.,])(\d{10,22})(?!\w|[.,]\d)/g;
const RE_EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/g;

function pushUnique(list: string[], v: string): void {
  if (list.length < MAX_ENTITIES_PER_KIND && !list.includes(v)) list.push(v);
}

/** Extracts entities from visible text (callers pass already-capped text). */
export function extractEntities(text: string): Entities {
  const orderNumbers: string[] = [];
  const amounts: Entities['amounts'] = [];
  const trackingNumbers: string[] = [];
  const emails: string[] = [];
  const seenOrders = new Set<string>();
  const addOrder = (v: string, display: string) => {
    const n = normalizeOrderNumber(v);
    if (!n || seenOrders.has(n) || !/\d/.test(n)) return;
    seenOrders.add(n);
    pushUnique(orderNumbers, display);
  };

  for (const m of text.matchAll(RE_EMAIL)) pushUnique(emails, m[0]);
  // remove e-mails so their digits are not read as numbers
  const t = emails.length ? text.replace(RE_EMAIL, ' ') : text;

  for (const m of t.matchAll(RE_TRACK_UPS)) pushUnique(trackingNumbers, m[0]);
  for (const m of t.matchAll(RE_TRACK_S10)) pushUnique(trackingNumbers, m[0]);
  for (const m of t.matchAll(RE_TRACK_KEYWORD)) {
    const v = m[1].toUpperCase();
    if (/\d/.test(v) && v.length >= 8) pushUnique(trackingNumbers, v);
  }

  for (const m of t.matchAll(RE_ORDER_HASH)) addOrder(m[1], `#${m[1]}`);
  for (const m of t.matchAll(RE_ORDER_PREFIXED)) addOrder(m[1], m[1]);
  for (const m of t.matchAll(RE_ORDER_KEYWORD)) {
    const v = m[1];
    if (trackingNumbers.includes(v.toUpperCase())) continue;
    addOrder(v, v);
  }

  const trackSet = new Set(trackingNumbers);
  for (const m of t.matchAll(RE_LONG_DIGITS)) {
    const v = m[1];
    if (seenOrders.has(v) || trackSet.has(v) || trackingNumbers.some((x) => x.includes(v))) continue;
    pushUnique(trackingNumbers, v);
    trackSet.add(v);
  }

  const amountSpans: [number, number][] = [];
  for (const m of t.matchAll(RE_AMOUNT_PREFIX)) {
    if (amounts.length >= MAX_ENTITIES_PER_KIND) break;
    const sym = m[1].trim();
    const value = parseAmount(m[2]);
    if (value === null) continue;
    const currency = CURRENCY_SYMBOLS[sym] ?? CURRENCY_WORDS[sym.toLowerCase()] ?? null;
    amounts.push({ value, currency, text: m[0].trim() });
    amountSpans.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  }
  for (const m of t.matchAll(RE_AMOUNT_SUFFIX)) {
    if (amounts.length >= MAX_ENTITIES_PER_KIND) break;
    const start = m.index ?? 0;
    if (amountSpans.some(([a, b]) => start < b && start + m[0].length > a)) continue;
    const value = parseAmount(m[1]);
    if (value === null) continue;
    const word = m[2].toLowerCase();
    const currency = CURRENCY_SYMBOLS[word] ?? CURRENCY_WORDS[word] ?? null;
    amounts.push({ value, currency, text: m[0].trim() });
  }

  return { orderNumbers, amounts, trackingNumbers, emails };
}
