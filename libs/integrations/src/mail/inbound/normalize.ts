/** Normalization of a parsed message: sanitized HTML for agents, the message's identity key and content hash. */
import { createHash } from 'node:crypto';
import sanitize from 'sanitize-html';
import { normalizeNewlines } from './reply-text';

/**
 * HTML an agent can look at safely: no scripts, styles, forms, event handlers or remote resources. Links stay
 * (opened in a new tab, no referrer); images only as `cid:` references to the message's own inline parts.
 */
export function sanitizeMailHtml(html: string): string {
  return sanitize(html, {
    allowedTags: [...sanitize.defaults.allowedTags, 'img', 'font', 'center'],
    allowedAttributes: {
      a: ['href', 'title', 'target', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      td: ['colspan', 'rowspan', 'align', 'valign'],
      th: ['colspan', 'rowspan', 'align', 'valign'],
      table: ['border', 'cellpadding', 'cellspacing'],
      font: ['color'],
      '*': ['dir', 'lang'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['cid'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      a: sanitize.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer nofollow' }),
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  }).trim();
}

/** RFC 5322 msg-id as we accept it for identity: `<...>`, no whitespace or controls, at most 998 characters. */
export function cleanMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const id = value.trim();
  if (id.length < 3 || id.length > 998) return null;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not be in an id
  if (!/^<[^<>\s\x00-\x1f\x7f]+>$/.test(id)) return null;
  return id;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Text as compared for identity: newlines unified, trailing blanks removed, Unicode NFC. */
export function normalizedText(text: string): string {
  return normalizeNewlines(text)
    .normalize('NFC')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .trim();
}

function normalizedSubject(subject: string): string {
  return subject.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export interface IdentityInput {
  fromEmail: string;
  recipients: string[];
  subject: string;
  date: string | null;
  inReplyTo: string | null;
  text: string;
  attachmentHashes: string[];
}

/**
 * What the message says, as a hash: sender, subject, text and attachments. Two deliveries of one message hash
 * the same whatever the transport added (Received, trace and authentication headers); a different body does not.
 */
export function contentHash(input: Pick<IdentityInput, 'fromEmail' | 'subject' | 'text' | 'attachmentHashes'>): string {
  return sha256(
    JSON.stringify([
      input.fromEmail.toLowerCase(),
      normalizedSubject(input.subject),
      normalizedText(input.text),
      [...input.attachmentHashes].sort(),
    ]),
  );
}

/**
 * The key of a message that has no (usable) Message-ID: a hash of its normalized headers and body, in the
 * Message-ID shape so it can stand in for one everywhere. The same message resent (an SMTP retry) gets the same
 * key; a different message from the same sender differs in its Date, subject or body.
 */
export function derivedMessageKey(input: IdentityInput): string {
  const digest = sha256(
    JSON.stringify([
      input.fromEmail.toLowerCase(),
      [...new Set(input.recipients.map((r) => r.toLowerCase()))].sort(),
      normalizedSubject(input.subject),
      input.date ?? '',
      input.inReplyTo ?? '',
      normalizedText(input.text),
      [...input.attachmentHashes].sort(),
    ]),
  );
  return `<derived.${digest.slice(0, 40)}@seamline.invalid>`;
}
