/**
 * Postmark's inbound webhook (https://postmarkapp.com/developer/webhooks/inbound-webhook): Postmark receives the
 * mail, parses it and POSTs JSON. Postmark does not sign these requests; the webhook URL carries HTTP basic-auth
 * credentials (https://user:password@host/api/v1/inbound/postmark) which the API checks.
 *
 * To keep ONE pipeline, the payload is turned back into an RFC 5322 message: the original raw message when the
 * server has "Include raw email content in JSON payload" on (`RawEmail`), otherwise one composed from the JSON
 * with nodemailer's MailComposer (original Message-ID, threading headers, text, HTML and attachments). That
 * message then goes through the same store → parse → quarantine → ingest path as SMTP and MIME mail.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { z } from 'zod';

const mailbox = z.object({
  Email: z.string().max(320),
  Name: z.string().max(500).optional().nullable(),
  MailboxHash: z.string().max(200).optional().nullable(),
});

/** The fields Seamline uses. Unknown fields are ignored on purpose: Postmark adds fields over time. */
export const postmarkInboundSchema = z.object({
  MessageID: z.string().min(1).max(200),
  From: z.string().max(1000).optional().nullable(),
  FromName: z.string().max(500).optional().nullable(),
  FromFull: mailbox.optional().nullable(),
  ToFull: z.array(mailbox).max(200).optional().nullable(),
  CcFull: z.array(mailbox).max(200).optional().nullable(),
  OriginalRecipient: z.string().max(320).optional().nullable(),
  ReplyTo: z.string().max(1000).optional().nullable(),
  Subject: z.string().max(10_000).optional().nullable(),
  Date: z.string().max(200).optional().nullable(),
  TextBody: z.string().optional().nullable(),
  HtmlBody: z.string().optional().nullable(),
  Headers: z
    .array(z.object({ Name: z.string().max(200), Value: z.string().max(20_000) }))
    .max(1000)
    .optional()
    .nullable(),
  Attachments: z
    .array(
      z.object({
        Name: z.string().max(500),
        Content: z.string(),
        ContentType: z.string().max(255),
        ContentLength: z.number().int().nonnegative().optional().nullable(),
        ContentID: z.string().max(500).optional().nullable(),
      }),
    )
    .max(200)
    .optional()
    .nullable(),
  RawEmail: z.string().optional().nullable(),
});
export type PostmarkInbound = z.infer<typeof postmarkInboundSchema>;

export class PostmarkPayloadError extends Error {
  constructor(readonly problems: string[]) {
    super(`not a Postmark inbound payload: ${problems.join('; ')}`);
    this.name = 'PostmarkPayloadError';
  }
}

export function parsePostmarkPayload(body: unknown): PostmarkInbound {
  const parsed = postmarkInboundSchema.safeParse(body);
  if (!parsed.success) {
    throw new PostmarkPayloadError(
      parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
    );
  }
  return parsed.data;
}

/** The RFC 5322 message behind a Postmark payload, plus the envelope recipients Postmark reported. */
export async function postmarkToMime(
  payload: PostmarkInbound,
): Promise<{ raw: Buffer; recipients: string[]; composed: boolean }> {
  const recipients = [
    payload.OriginalRecipient,
    ...(payload.ToFull ?? []).map((m) => m.Email),
    ...(payload.CcFull ?? []).map((m) => m.Email),
  ]
    .filter((a): a is string => Boolean(a))
    .map((a) => a.toLowerCase());
  if (payload.RawEmail) return { raw: Buffer.from(payload.RawEmail, 'utf8'), recipients, composed: false };

  const header = (name: string): string | undefined =>
    payload.Headers?.find((h) => h.Name.toLowerCase() === name.toLowerCase())?.Value.trim() || undefined;
  // Postmark's own MessageID is stable across webhook retries; it stands in when the mail had no Message-ID.
  const messageId = header('Message-ID') ?? `<${payload.MessageID}@inbound.postmarkapp.com>`;
  const references = header('References');
  const from = payload.FromFull?.Email
    ? { name: payload.FromFull.Name ?? payload.FromName ?? '', address: payload.FromFull.Email }
    : (payload.From ?? '');
  const composer = new MailComposer({
    from,
    to: (payload.ToFull ?? []).map((m) => ({ name: m.Name ?? '', address: m.Email })),
    cc: (payload.CcFull ?? []).map((m) => ({ name: m.Name ?? '', address: m.Email })),
    ...(payload.ReplyTo ? { replyTo: payload.ReplyTo } : {}),
    subject: payload.Subject ?? '',
    messageId,
    ...(header('In-Reply-To') ? { inReplyTo: header('In-Reply-To') } : {}),
    ...(references ? { references } : {}),
    ...(payload.Date && !Number.isNaN(new Date(payload.Date).getTime()) ? { date: new Date(payload.Date) } : {}),
    ...(payload.TextBody ? { text: payload.TextBody } : {}),
    ...(payload.HtmlBody ? { html: payload.HtmlBody } : {}),
    attachments: (payload.Attachments ?? []).map((a) => ({
      filename: a.Name,
      content: Buffer.from(a.Content, 'base64'),
      contentType: a.ContentType,
      ...(a.ContentID ? { cid: a.ContentID.replace(/^<|>$/g, '') } : {}),
    })),
    ...(payload.OriginalRecipient ? { headers: { 'X-Original-To': payload.OriginalRecipient } } : {}),
  });
  const raw = await composer.compile().build();
  return { raw, recipients, composed: true };
}
