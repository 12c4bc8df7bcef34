/**
 * Personal data never reaches a log line. Two layers: fields whose names say they carry personal data (addresses,
 * names, subjects, bodies, credentials) are replaced wholesale, and every string that is logged has e-mail
 * addresses masked, wherever they hide (an SMTP error, a parser's complaint, a stack trace).
 */
export const REDACTED = '[redacted]';

const EMAIL = /[A-Z0-9._%+'-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)+/gi;

/** Field names whose values are personal data or secrets, at any depth. */
const PERSONAL_FIELDS = new Set(
  [
    'email',
    'from',
    'to',
    'cc',
    'bcc',
    'replyTo',
    'recipient',
    'name',
    'customerName',
    'displayName',
    'subject',
    'text',
    'html',
    'body',
    'bodyText',
    'bodyHtml',
    'address',
    'phone',
    'password',
    'authorization',
    'cookie',
    'x-api-key',
    'accessToken',
    'token',
  ].map((f) => f.toLowerCase()),
);

/** Masks e-mail addresses in a string (keeps the domain's last label, for telling test and real mail apart). */
export function scrubText(text: string): string {
  return text.replace(EMAIL, (match) => `[email .${match.split('.').pop()}]`);
}

/** A copy of `value` safe to log: personal fields replaced, addresses masked in every string. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrubText(value.message),
      stack: value.stack ? scrubText(value.stack) : undefined,
    };
  }
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      PERSONAL_FIELDS.has(key.toLowerCase()) && v !== null && v !== undefined ? REDACTED : scrubValue(v, depth + 1);
  }
  return out;
}
