/** Vocabulary of inbound email: what a parsed message looks like and why one is quarantined instead. */

/** Why a message went to quarantine. Stable codes: supervisors filter on them, tests assert them. */
export const QUARANTINE_REASONS = [
  /** No header section, or the MIME parser gave up on it. */
  'unparseable',
  /** Larger than the configured limit (only reachable through a channel that cannot refuse it up front). */
  'too_large',
  /** More MIME parts than the limit: a MIME bomb. */
  'too_many_parts',
  /** Multiparts nested deeper than the limit. */
  'nesting_too_deep',
  /** A header block larger than the limit. */
  'header_too_large',
  /** An automatic answer (out of office and the like): kept, never a ticket, never answered. */
  'auto_reply',
  /** A bounce or delivery status report: kept; a report on one of our replies hands its ticket back to people. */
  'delivery_report',
  /** CR, LF or NUL inside a decoded header value, or a header that may appear once appearing twice. */
  'header_injection',
  /** No usable From address. */
  'missing_sender',
  /** A Message-ID seen before with different content: never merged into the first message's ticket. */
  'message_id_conflict',
  /** Parsing took longer than the limit; the parser was stopped. */
  'parse_timeout',
  /** Parsing hit the parser's memory limit (or its worker died). */
  'parse_resource_limit',
  /** Parsed, but the result breaks the ingestion contract (for example a From address that is not an address). */
  'invalid_message',
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

/** Bounds on one message. Checked before parsing (size) and while parsing (parts, headers, time and memory). */
export interface ParseLimits {
  /** Raw size limit in bytes; larger messages are refused before any parsing. */
  maxBytes: number;
  /** Attachment content is kept up to this many bytes each; larger ones are recorded (metadata, hash) but omitted. */
  attachmentMaxBytes: number;
  /** Most MIME parts a message may have (mailparser `maxChildNodes`). */
  maxParts: number;
  /** Deepest multipart nesting accepted. */
  maxDepth: number;
  /** Largest header block of one part in bytes (mailparser `maxHeadSize`). */
  maxHeaderBytes: number;
  /** HTML longer than this is not converted to text (mailparser `maxHtmlLengthToParse`). */
  maxHtmlChars: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxBytes: 10_000_000,
  attachmentMaxBytes: 2_000_000,
  maxParts: 100,
  maxDepth: 10,
  maxHeaderBytes: 256 * 1024,
  maxHtmlChars: 2_000_000,
};

export interface InboundAttachment {
  /** Position among the message's attachments, from 0. */
  ordinal: number;
  /** IMAP-style part number ('1.2'), null for a single-part message. */
  partId: string | null;
  filename: string | null;
  contentType: string;
  disposition: string | null;
  /** Content-ID without angle brackets, for `cid:` links in the HTML. */
  contentId: string | null;
  /** An embedded image (Content-ID inside multipart/related, or inline disposition). */
  inline: boolean;
  size: number;
  sha256: string;
  /** The decoded content, or null when it is larger than the limit (`omittedReason`). */
  content: Uint8Array | null;
  omittedReason: 'over_limit' | null;
}

export interface InboundText {
  /** What the customer wrote in this message: quoted history and signature removed. This is classified. */
  new: string;
  /** Quoted history (earlier messages of the thread). */
  quoted: string;
  signature: string;
  /** The whole text body as parsed. */
  full: string;
}

/** A message that parsed and passed the suspicious-mail checks. Plain data: it crosses a worker-thread boundary. */
export interface InboundMail {
  /** Message-ID, or a key derived from the normalized headers and body when there is none. */
  messageKey: string;
  keySource: 'message-id' | 'derived';
  /** Hash of what the message says (sender, subject, text, attachments): same key + different hash = conflict. */
  contentHash: string;
  from: { email: string; name: string | null };
  replyTo: string | null;
  /** To, Cc, Delivered-To and X-Original-To addresses, lower case. */
  recipients: string[];
  /** Decoded subject with any ticket token removed. */
  subject: string;
  /** The ticket-id prefix of a `[#SL-xxxxxxxx]` token in the subject, lower case. */
  subjectToken: string | null;
  /** The Date header, ISO 8601, when it parsed. */
  date: string | null;
  inReplyTo: string | null;
  references: string[];
  text: InboundText;
  /** Sanitized HTML for agents: the HTML body, or the text body as HTML; remote images removed, `cid:` kept. */
  html: string | null;
  attachments: InboundAttachment[];
  /** Written by a machine, not a customer (see automatedMail): never a ticket, never answered. */
  automated: AutomatedMail | null;
  stats: { parts: number; depth: number; headerLines: number; htmlToTextFailed: boolean };
}

/**
 * A mail no person wrote. `auto_reply`: an out-of-office or other automatic answer (RFC 3834 Auto-Submitted, the
 * vendors' X-Autoreply/X-Autorespond, Precedence bulk/junk/auto_reply). `delivery_report`: a bounce or delivery
 * status notification (RFC 3464 multipart/report, X-Failed-Recipients, a mailer daemon); `reportedMessageIds` are
 * the Message-IDs of the mail it reports on, from its returned headers.
 */
export interface AutomatedMail {
  kind: 'auto_reply' | 'delivery_report';
  evidence: string;
  reportedMessageIds: string[];
  /** A report's Status and Diagnostic-Code lines (e.g. `5.1.1; smtp; 550 5.1.1 user unknown`), or null. */
  diagnostic: string | null;
}

export interface QuarantineVerdict {
  ok: false;
  reason: QuarantineReason;
  detail: string;
  /** What could be read before the verdict, for the quarantine list. */
  seen: { from: string | null; subject: string | null; messageId: string | null };
}

export type ParseOutcome = { ok: true; mail: InboundMail } | QuarantineVerdict;

export function quarantine(
  reason: QuarantineReason,
  detail: string,
  seen: Partial<QuarantineVerdict['seen']> = {},
): QuarantineVerdict {
  return {
    ok: false,
    reason,
    detail,
    seen: { from: seen.from ?? null, subject: seen.subject ?? null, messageId: seen.messageId ?? null },
  };
}
