/**
 * Raw RFC 5322 message → InboundMail, or a quarantine verdict. All MIME work is mailparser's (multipart,
 * quoted-printable, base64, charsets, encoded words, HTML to text); this file bounds it and checks what it found.
 *
 * Bounds: the size is checked before parsing; mailparser enforces the part count and header size while it
 * parses; attachment content is kept only up to a limit (the rest is counted and hashed, not buffered). Time and
 * memory are bounded by running this in a worker thread (see ParserPool); called directly it has no timeout.
 */
import {
  MailParser,
  type AddressObject,
  type AttachmentStream,
  type HeaderLines,
  type Headers,
  type MessageText,
} from 'mailparser';
import { takeSubjectToken } from './addressing';
import { cleanMessageId, contentHash, derivedMessageKey, sanitizeMailHtml } from './normalize';
import { splitReply } from './reply-text';
import { quarantine, type InboundAttachment, type InboundMail, type ParseLimits, type ParseOutcome } from './types';

/** Headers a message may carry once (RFC 5322 §3.6); a second one is how header injection shows. */
const SINGLETON_HEADERS = [
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'subject',
  'message-id',
  'in-reply-to',
  'references',
  'date',
];
const CONTROL = /[\r\n\0]/;
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]{1,76}$/;
/** A plausible mailbox: something@domain.tld, no spaces or controls. Strict validation happens at ingestion. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must not be in an address
const MAILBOX = /^[^\s@\x00-\x1f]+@[^\s@\x00-\x1f]+\.[^\s@\x00-\x1f]+$/;

interface Collected {
  headers: Headers;
  headerLines: HeaderLines;
  text: MessageText | null;
  attachments: InboundAttachment[];
  parts: number;
  depth: number;
}

export async function parseInbound(raw: Buffer, limits: ParseLimits): Promise<ParseOutcome> {
  if (raw.length > limits.maxBytes) {
    return quarantine('too_large', `the message is ${raw.length} bytes; the limit is ${limits.maxBytes}`);
  }
  let collected: Collected;
  try {
    collected = await runMailParser(raw, limits);
  } catch (error) {
    return parserFailure(error);
  }
  return inspect(collected, limits);
}

function runMailParser(raw: Buffer, limits: ParseLimits): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const parser = new MailParser({
      maxChildNodes: limits.maxParts,
      maxHeadSize: limits.maxHeaderBytes,
      maxHtmlLengthToParse: limits.maxHtmlChars,
      checksumAlgo: 'sha256',
      skipTextLinks: true,
      skipImageLinks: true,
    });
    let headers: Headers = new Map();
    let headerLines: HeaderLines = [];
    let text: MessageText | null = null;
    const attachments: InboundAttachment[] = [];
    const pending: Promise<void>[] = [];
    parser.on('headers', (h: Headers) => (headers = h));
    parser.on('headerLines', (lines: HeaderLines) => (headerLines = lines));
    parser.on('data', (item: AttachmentStream | MessageText) => {
      if (item.type === 'text') {
        text = item;
        return;
      }
      pending.push(readAttachment(item, attachments.length, limits.attachmentMaxBytes, attachments));
    });
    parser.once('error', reject);
    parser.once('end', () => {
      Promise.all(pending).then(() => {
        const shape = treeShape(parser);
        resolve({ headers, headerLines, text, attachments, parts: shape.parts, depth: shape.depth });
      }, reject);
    });
    parser.end(raw);
  });
}

/** Reads one attachment, keeping at most `limit` bytes of content; size and SHA-256 always cover all of it. */
function readAttachment(
  item: AttachmentStream,
  ordinal: number,
  limit: number,
  into: InboundAttachment[],
): Promise<void> {
  const entry: InboundAttachment = {
    ordinal,
    partId: item.partId ?? null,
    filename: item.filename ? item.filename.slice(0, 255) : null,
    contentType: (item.contentType || 'application/octet-stream').slice(0, 255),
    disposition: item.contentDisposition ?? null,
    contentId: item.cid ? item.cid.slice(0, 255) : null,
    inline: Boolean(item.related) || item.contentDisposition === 'inline',
    size: 0,
    sha256: '',
    content: null,
    omittedReason: null,
  };
  into.push(entry);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let over = false;
    item.content.on('data', (chunk: Buffer) => {
      entry.size += chunk.length;
      if (over) return;
      if (kept + chunk.length > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      kept += chunk.length;
      chunks.push(chunk);
    });
    item.content.once('error', reject);
    item.content.once('end', () => {
      entry.sha256 = item.checksum ?? '';
      if (over) entry.omittedReason = 'over_limit';
      else entry.content = new Uint8Array(Buffer.concat(chunks, kept));
      item.release?.();
      resolve();
    });
  });
}

/**
 * Depth and part count of the MIME tree mailparser built. mailparser documents no public accessor for the tree,
 * so this reads its `tree` field defensively; without one the depth is taken from attachment part numbers.
 */
function treeShape(parser: MailParser): { parts: number; depth: number } {
  interface Node {
    children?: Node[];
  }
  const root = (parser as unknown as { tree?: Node | false }).tree;
  if (!root) return { parts: 0, depth: 0 };
  let parts = 0;
  let depth = 0;
  const stack: [Node, number][] = [[root, 0]];
  while (stack.length) {
    const [node, level] = stack.pop() as [Node, number];
    parts += 1;
    depth = Math.max(depth, level);
    for (const child of node.children ?? []) stack.push([child, level + 1]);
  }
  return { parts, depth };
}

function parserFailure(error: unknown): ParseOutcome {
  const message = error instanceof Error ? error.message : String(error);
  if (/max allowed child nodes/i.test(message)) return quarantine('too_many_parts', `mailparser: ${message}`);
  if (/max header size/i.test(message)) return quarantine('header_too_large', `mailparser: ${message}`);
  if (error instanceof RangeError) return quarantine('nesting_too_deep', `mailparser: ${message}`);
  return quarantine('unparseable', `mailparser: ${message.slice(0, 500)}`);
}

function inspect(c: Collected, limits: ParseLimits): ParseOutcome {
  const fromHeader = c.headers.get('from') as AddressObject | undefined;
  const fromAddress =
    fromHeader?.value
      .find((a) => a.address)
      ?.address?.trim()
      .toLowerCase() ?? null;
  const rawSubject = typeof c.headers.get('subject') === 'string' ? (c.headers.get('subject') as string) : '';
  const rawMessageId = typeof c.headers.get('message-id') === 'string' ? (c.headers.get('message-id') as string) : null;
  const seen = {
    from: fromAddress,
    subject: rawSubject.slice(0, 300) || null,
    messageId: rawMessageId?.slice(0, 300) ?? null,
  };

  // RFC 5322 field names are printable ASCII without ':'; a "header section" with none of them is not a message.
  const fields = c.headerLines.filter((l) => FIELD_NAME.test(l.key));
  if (fields.length === 0) return quarantine('unparseable', 'no header section: this is not an RFC 5322 message', seen);
  if (c.depth > limits.maxDepth) {
    return quarantine('nesting_too_deep', `multiparts nested ${c.depth} deep; the limit is ${limits.maxDepth}`, seen);
  }

  const counts = new Map<string, number>();
  for (const line of c.headerLines) counts.set(line.key, (counts.get(line.key) ?? 0) + 1);
  const repeated = SINGLETON_HEADERS.filter((key) => (counts.get(key) ?? 0) > 1);
  if (repeated.length) {
    return quarantine(
      'header_injection',
      `header(s) that may appear once appear more often: ${repeated.join(', ')}`,
      seen,
    );
  }
  const fromName = fromHeader?.value.find((a) => a.address)?.name ?? '';
  const replyTo = firstAddress(c.headers.get('reply-to'));
  const inReplyToRaw =
    typeof c.headers.get('in-reply-to') === 'string' ? (c.headers.get('in-reply-to') as string) : null;
  const referencesRaw = ([] as unknown[])
    .concat(c.headers.get('references') ?? [])
    .filter((r): r is string => typeof r === 'string');
  const injected = (
    [
      ['Subject', rawSubject],
      ['From', `${fromName} ${fromAddress ?? ''}`],
      ['Reply-To', replyTo ?? ''],
      ['Message-ID', rawMessageId ?? ''],
      ['In-Reply-To', inReplyToRaw ?? ''],
      ['References', referencesRaw.join(' ')],
    ] as const
  ).filter(([, value]) => CONTROL.test(value));
  if (injected.length) {
    return quarantine(
      'header_injection',
      `line breaks or NUL inside decoded header(s): ${injected.map(([k]) => k).join(', ')}`,
      seen,
    );
  }
  if (!fromAddress || !MAILBOX.test(fromAddress) || fromAddress.length > 320) {
    return quarantine(
      'missing_sender',
      fromAddress ? `the From address "${fromAddress.slice(0, 100)}" is not usable` : 'no From address',
      seen,
    );
  }

  const recipients = [
    ...addresses(c.headers.get('to')),
    ...addresses(c.headers.get('cc')),
    ...plainAddresses(c.headers.get('delivered-to')),
    ...plainAddresses(c.headers.get('x-original-to')),
  ];
  const { token, subject } = takeSubjectToken(rawSubject.replace(/\s+/g, ' ').trim());
  const textBody = c.text?.text ?? '';
  const text = splitReply(textBody);
  const htmlSource = typeof c.text?.html === 'string' && c.text.html ? c.text.html : (c.text?.textAsHtml ?? null);
  const html = htmlSource ? sanitizeMailHtml(htmlSource) || null : null;
  // The header as written (mailparser turns an unparseable Date into "now", which would make derived keys unstable).
  const dateLine =
    c.headerLines
      .find((l) => l.key === 'date')
      ?.line.replace(/^date\s*:/i, '')
      .replace(/\s+/g, ' ')
      .trim() ?? null;
  const dateValue = dateLine ? new Date(dateLine) : null;
  const date = dateValue && !Number.isNaN(dateValue.getTime()) ? dateValue.toISOString() : null;
  const attachmentHashes = c.attachments.map((a) => a.sha256);
  const messageId = cleanMessageId(rawMessageId);
  const inReplyTo = cleanMessageId(inReplyToRaw);
  const references = referencesRaw
    .map(cleanMessageId)
    .filter((r): r is string => r !== null)
    .slice(-100);

  const messageKey =
    messageId ??
    derivedMessageKey({
      fromEmail: fromAddress,
      recipients,
      subject: rawSubject,
      date: dateLine,
      inReplyTo,
      text: textBody,
      attachmentHashes,
    });
  const mail: InboundMail = {
    messageKey,
    keySource: messageId ? 'message-id' : 'derived',
    contentHash: contentHash({ fromEmail: fromAddress, subject: rawSubject, text: textBody, attachmentHashes }),
    from: { email: fromAddress, name: fromName.trim().slice(0, 200) || null },
    replyTo,
    recipients: [...new Set(recipients)],
    subject,
    subjectToken: token,
    date,
    inReplyTo,
    references,
    text,
    html,
    attachments: c.attachments,
    automated: automatedMail(c, fromAddress),
    stats: {
      parts: c.parts,
      depth: c.depth,
      headerLines: c.headerLines.length,
      htmlToTextFailed: Boolean(c.text?.textConversionError),
    },
  };
  return { ok: true, mail };
}

const AUTO_PRECEDENCE = /^(bulk|junk|auto_reply|list)$/i;
const DAEMON = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;
const RETURNED_MESSAGE_ID = /^message-id:\s*(<[^<>\s]{1,250}>)/gim;

/** Whether a machine wrote the mail (see AutomatedMail), from its headers and structure. */
function automatedMail(c: Collected, fromAddress: string): InboundMail['automated'] {
  const header = (name: string): string => {
    const value = c.headers.get(name);
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
    return '';
  };
  const contentType = c.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const report =
    contentType?.value?.toLowerCase() === 'multipart/report' &&
    (contentType.params?.['report-type'] ?? '').toLowerCase() === 'delivery-status';
  const failedRecipients = header('x-failed-recipients');
  if (
    report ||
    failedRecipients ||
    (DAEMON.test(fromAddress) && /deliver|undeliver|returned|failure/i.test(header('subject')))
  ) {
    const returned = c.attachments
      .filter((a) => /^(message\/rfc822|text\/rfc822-headers|message\/global-headers)$/i.test(a.contentType))
      .map((a) => (a.content ? Buffer.from(a.content).toString('utf8', 0, 64 * 1024) : ''))
      .join('\n');
    const reportedMessageIds = [...returned.matchAll(RETURNED_MESSAGE_ID)].map((m) => m[1] as string);
    const evidence = report
      ? 'multipart/report; report-type=delivery-status'
      : failedRecipients
        ? 'X-Failed-Recipients'
        : `From ${fromAddress}`;
    // mailparser reads a message/delivery-status part as text: its fields are in the text body (or an attachment).
    const status = [
      (c.text?.text ?? '').slice(0, 16 * 1024),
      ...c.attachments
        .filter((a) => /^message\/(delivery-status|global-delivery-status)$/i.test(a.contentType) && a.content)
        .map((a) => Buffer.from(a.content as Uint8Array).toString('utf8', 0, 16 * 1024)),
    ].join('\n');
    const lines = [...status.matchAll(/^(status|diagnostic-code):\s*(.+)$/gim)].map((m) => (m[2] as string).trim());
    return {
      kind: 'delivery_report',
      evidence,
      reportedMessageIds: [...new Set(reportedMessageIds)],
      diagnostic: lines.length ? lines.join('; ').slice(0, 300) : null,
    };
  }
  const autoSubmitted = header('auto-submitted').trim();
  if (autoSubmitted && !/^no\b/i.test(autoSubmitted)) {
    return {
      kind: 'auto_reply',
      evidence: `Auto-Submitted: ${autoSubmitted.slice(0, 60)}`,
      reportedMessageIds: [],
      diagnostic: null,
    };
  }
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponse']) {
    if (header(name)) return { kind: 'auto_reply', evidence: name, reportedMessageIds: [], diagnostic: null };
  }
  const precedence = header('precedence').trim();
  if (AUTO_PRECEDENCE.test(precedence)) {
    return { kind: 'auto_reply', evidence: `Precedence: ${precedence}`, reportedMessageIds: [], diagnostic: null };
  }
  return null;
}

function addresses(value: unknown): string[] {
  const objects = ([] as unknown[]).concat(value ?? []) as AddressObject[];
  const out: string[] = [];
  for (const object of objects) {
    for (const entry of object?.value ?? []) {
      for (const member of entry.group ?? [entry]) if (member.address) out.push(member.address.trim().toLowerCase());
    }
  }
  return out;
}

function plainAddresses(value: unknown): string[] {
  return ([] as unknown[])
    .concat(value ?? [])
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.replace(/[<>]/g, '').trim().toLowerCase())
    .filter((v) => MAILBOX.test(v));
}

function firstAddress(value: unknown): string | null {
  return addresses(value)[0] ?? null;
}
