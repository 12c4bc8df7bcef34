/**
 * Separates what the customer wrote now from the quoted history and the signature, so classification reads the
 * new text only. Line-based and linear; it looks at the first MAX_LINES lines and keeps anything after them as
 * new text (nothing is ever discarded: the full text is stored beside the split).
 */
import type { InboundText } from './types';

const MAX_LINES = 5_000;

/** "On <date>, <someone> wrote:" in the languages our customers write in; may be wrapped over two lines. */
const ATTRIBUTION = [
  /^\s*on\b.{0,400}\bwrote\s*:\s*$/i,
  /^\s*am\b.{0,400}\bschrieb\b.{0,200}:\s*$/i,
  /^\s*le\b.{0,400}\ba\s+écrit\s*:\s*$/i,
  /^\s*el\b.{0,400}\bescribió\s*:\s*$/i,
  /^\s*il\b.{0,400}\bha\s+scritto\s*:\s*$/i,
  /^\s*op\b.{0,400}\bschreef\b.{0,200}:\s*$/i,
  /^\s*em\b.{0,400}\bescreveu\s*:\s*$/i,
];
const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht)\s*-{2,}\s*$/i;
const OUTLOOK_RULE = /^\s*_{10,}\s*$/;
const HEADER_FROM = /^\s*\*?(from|von|de|van|da)\s*:\*?\s+\S/i;
const HEADER_SENT = /^\s*\*?(sent|date|gesendet|datum|envoyé|enviado|inviato|verzonden)\s*:\*?\s+\S/i;
const QUOTED = /^\s*>/;
const SIGNATURE_DELIMITER = /^-- ?$/;
const MOBILE_SIGNATURE = [
  /^\s*sent from my \S.{0,60}$/i,
  /^\s*get outlook for \S.{0,40}$/i,
  /^\s*sent from (mail|yahoo mail|outlook) for \S.{0,40}$/i,
  /^\s*von meinem \S.{0,60}gesendet\.?\s*$/i,
  /^\s*envoyé de mon \S.{0,60}$/i,
  /^\s*enviado desde mi \S.{0,60}$/i,
  /^\s*inviato da(l mio)? \S.{0,60}$/i,
];

export function splitReply(text: string): InboundText {
  const full = normalizeNewlines(text);
  const all = full.split('\n');
  const lines = all.slice(0, MAX_LINES);
  const rest = all.slice(MAX_LINES);

  const cut = quoteStart(lines);
  const head = cut === -1 ? lines : lines.slice(0, cut);
  const quotedTail = cut === -1 ? [] : lines.slice(cut);

  // Inline '>' lines in what is left are quotes too (interleaved replies keep their own answers).
  const own: string[] = [];
  const inlineQuotes: string[] = [];
  for (const line of head) (QUOTED.test(line) ? inlineQuotes : own).push(line);

  const sigAt = signatureStart(own);
  const body = sigAt === -1 ? own : own.slice(0, sigAt);
  const signature = sigAt === -1 ? [] : own.slice(sigAt);

  const newText = tidy([...body, ...rest].join('\n'));
  return {
    // A message that is nothing but a quote (or a bare forward) is classified on everything it has.
    new: newText || tidy(full),
    quoted: tidy([...inlineQuotes, ...quotedTail].join('\n')),
    signature: tidy(signature.join('\n')),
    full: tidy(full),
  };
}

/** Index of the first line of quoted history, or -1. */
function quoteStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.length > 1_000) continue;
    if (ATTRIBUTION.some((re) => re.test(line))) return i;
    const next = lines[i + 1];
    if (
      next !== undefined &&
      line.trim() &&
      next.length < 400 &&
      ATTRIBUTION.some((re) => re.test(`${line} ${next}`))
    ) {
      // "On Mon, 3 Mar 2025 at 10:12, Shop <support@shop.example>\nwrote:" — only when the second line ends it.
      if (/:\s*$/.test(next)) return i;
    }
    if (ORIGINAL_MESSAGE.test(line)) return i;
    if (OUTLOOK_RULE.test(line) && lines.slice(i + 1, i + 3).some((l) => HEADER_FROM.test(l))) return i;
    if (HEADER_FROM.test(line) && lines.slice(i + 1, i + 4).some((l) => HEADER_SENT.test(l)) && i > 0) return i;
    // A block of '>' lines that runs to the end (blank lines aside) is the classic bottom quote.
    if (QUOTED.test(line) && lines.slice(i).every((l) => QUOTED.test(l) || !l.trim())) return i;
  }
  return -1;
}

/** Index where the signature starts in the customer's own lines, or -1. */
function signatureStart(lines: string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) {
    if (SIGNATURE_DELIMITER.test(lines[i] as string)) return i;
  }
  // A phone's "Sent from my ..." among the last three non-blank lines.
  let seen = 0;
  for (let i = lines.length - 1; i >= 0 && seen < 3; i--) {
    const line = lines[i] as string;
    if (!line.trim()) continue;
    seen += 1;
    if (MOBILE_SIGNATURE.some((re) => re.test(line))) return i;
  }
  return -1;
}

export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
