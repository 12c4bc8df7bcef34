import type { DataSource } from 'typeorm';

/** `api`: a JSON message kept because it could not be taken in (a message-id conflict). */
export type InboundChannelName = 'smtp' | 'mime' | 'postmark' | 'api';
export type RawStatus = 'stored' | 'accepted' | 'quarantined';

export interface RawDelivery {
  sha256: string;
  channel: InboundChannelName;
  raw: Buffer;
  envelopeFrom: string | null;
  envelopeTo: string[];
  remoteAddress: string | null;
}

export interface QuarantineResolution {
  quarantineId: string;
  rawId: string;
  resolution: 'released' | 'discarded';
  resolvedBy: string;
  releasedTicketId: string | null;
  channel: InboundChannelName;
  raw: Buffer;
  envelope: { mailFrom: string | null; rcptTo: string[] };
  /** This call resolved it (false: an earlier one did, and this is what it did). */
  first: boolean;
}

interface QuarantineResolutionRow {
  id: string;
  raw_id: string;
  resolution: 'released' | 'discarded' | null;
  resolved_by: string | null;
  released_ticket_id: string | null;
  channel: InboundChannelName;
  raw: Buffer;
  envelope_from: string | null;
  envelope_to: string[];
}

function toResolution(row: QuarantineResolutionRow): Omit<QuarantineResolution, 'first'> {
  return {
    quarantineId: row.id,
    rawId: row.raw_id,
    resolution: row.resolution as 'released' | 'discarded',
    resolvedBy: row.resolved_by as string,
    releasedTicketId: row.released_ticket_id,
    channel: row.channel,
    raw: row.raw,
    envelope: { mailFrom: row.envelope_from, rcptTo: row.envelope_to },
  };
}

export interface StalledRaw {
  rawId: string;
  channel: Exclude<InboundChannelName, 'api'>;
  raw: Buffer;
  envelope: { mailFrom: string | null; rcptTo: string[] };
}

export interface StoredRaw {
  rawId: string;
  status: RawStatus;
  deliveries: number;
  ticketId: string | null;
  messageKey: string | null;
  /** Set when this exact raw message was quarantined before. */
  quarantine: QuarantineRef | null;
}

export interface QuarantineRef {
  quarantineId: string;
  reason: string;
  detail: string;
}

export interface QuarantineInput {
  reason: string;
  detail: string;
  messageKey: string | null;
  fromEmail: string | null;
  subject: string | null;
}

export interface InboundMessageRecord {
  messageKey: string;
  keySource: 'message-id' | 'derived';
  contentHash: string;
  fromEmail: string;
  fromName: string | null;
  subject: string;
  text: { new: string; quoted: string; signature: string; full: string };
  html: string | null;
  inReplyTo: string | null;
  references: string[];
  tokenTicketId: string | null;
  senderVerified: boolean;
  senderTrust: Record<string, unknown>;
  stats: Record<string, unknown>;
  attachments: {
    ordinal: number;
    partId: string | null;
    filename: string | null;
    contentType: string;
    disposition: string | null;
    contentId: string | null;
    inline: boolean;
    size: number;
    sha256: string;
    content: Uint8Array | null;
    omittedReason: 'over_limit' | null;
  }[];
}

export interface ExistingMessage {
  contentHash: string;
  ticketId: string | null;
  rawId: string;
  senderVerified: boolean;
  senderTrust: Record<string, unknown>;
}

export interface QuarantineListItem {
  resolution: 'released' | 'discarded' | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  resolutionReason: string | null;
  releasedTicketId: string | null;
  id: string;
  reason: string;
  detail: string;
  createdAt: Date;
  /** created_at in ISO 8601 UTC with its microseconds, for keyset cursors. */
  cursorAt: string;
  messageKey: string | null;
  fromEmail: string | null;
  subject: string | null;
  rawId: string;
  channel: InboundChannelName;
  sizeBytes: number;
  deliveries: number;
  envelopeFrom: string | null;
  envelopeTo: string[];
  receivedAt: Date;
}

/**
 * Email intake storage: the raw message first (nothing is acknowledged before it is durable), then what it
 * became: a parsed message with attachments, or a quarantine entry. Every write is idempotent.
 */
export class IntakeRepository {
  constructor(private readonly db: DataSource) {}

  /** Stores the raw bytes once per distinct message; a redelivery counts up and returns what happened before. */
  async storeRaw(delivery: RawDelivery): Promise<StoredRaw> {
    const rows: {
      id: string;
      status: RawStatus;
      deliveries: number;
      ticket_id: string | null;
      message_key: string | null;
    }[] = await this.db.query(
      `INSERT INTO inbound_raw_messages (sha256, channel, size_bytes, raw, envelope_from, envelope_to, remote_address)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (sha256) DO UPDATE SET deliveries = inbound_raw_messages.deliveries + 1, last_received_at = now()
       RETURNING id, status, deliveries, ticket_id, message_key`,
      [
        delivery.sha256,
        delivery.channel,
        delivery.raw.length,
        delivery.raw,
        delivery.envelopeFrom,
        delivery.envelopeTo,
        delivery.remoteAddress,
      ],
    );
    const row = rows[0];
    if (!row) throw new Error('storing the raw message returned no row');
    const quarantine = row.status === 'quarantined' ? await this.quarantineOf(row.id) : null;
    return {
      rawId: row.id,
      status: row.status,
      deliveries: row.deliveries,
      ticketId: row.ticket_id,
      messageKey: row.message_key,
      quarantine,
    };
  }

  /**
   * Raw messages still only stored since before `before` (their intake broke off and nobody redelivered them),
   * leased for `leaseMs` to the caller so other API instances leave them alone meanwhile.
   */
  async claimStalled(query: { before: Date; limit: number; leaseMs: number }): Promise<StalledRaw[]> {
    const rows: {
      id: string;
      channel: InboundChannelName;
      raw: Buffer;
      envelope_from: string | null;
      envelope_to: string[];
    }[] = await this.db.query(
      `WITH claimed AS (
         UPDATE inbound_raw_messages r SET retry_leased_until = now() + ($3::int * interval '1 millisecond')
          WHERE r.id IN (SELECT id FROM inbound_raw_messages
                          WHERE status = 'stored' AND last_received_at < $1 AND channel <> 'api'
                            AND (retry_leased_until IS NULL OR retry_leased_until < now())
                          ORDER BY last_received_at LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING r.id, r.channel, r.raw, r.envelope_from, r.envelope_to)
       SELECT * FROM claimed`,
      [query.before, query.limit, query.leaseMs],
    );
    return rows.map((r) => ({
      rawId: r.id,
      channel: r.channel as Exclude<InboundChannelName, 'api'>,
      raw: r.raw,
      envelope: { mailFrom: r.envelope_from, rcptTo: r.envelope_to },
    }));
  }

  /**
   * Quarantines a raw message, once. A raw message already accepted stays accepted (a concurrent redelivery of
   * it can only fail transiently, e.g. a parse timeout under load): then nothing is written and the answer is null.
   */
  async quarantine(rawId: string, input: QuarantineInput): Promise<QuarantineRef | null> {
    return this.db.transaction(async (tx) => {
      const status: { status: RawStatus }[] = await tx.query(
        `SELECT status FROM inbound_raw_messages WHERE id = $1 FOR UPDATE`,
        [rawId],
      );
      if (status[0]?.status === 'accepted') return null;
      await tx.query(
        `INSERT INTO inbound_quarantine (raw_id, reason, detail, message_key, from_email, subject)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (raw_id) DO NOTHING`,
        [
          rawId,
          input.reason,
          input.detail.slice(0, 2_000),
          input.messageKey,
          input.fromEmail?.slice(0, 320) ?? null,
          input.subject?.slice(0, 998) ?? null,
        ],
      );
      await tx.query(
        `UPDATE inbound_raw_messages SET status = 'quarantined', processed_at = now(), message_key = coalesce(message_key, $2) WHERE id = $1`,
        [rawId, input.messageKey],
      );
      const rows: { id: string; reason: string; detail: string }[] = await tx.query(
        `SELECT id, reason, detail FROM inbound_quarantine WHERE raw_id = $1`,
        [rawId],
      );
      const row = rows[0] as { id: string; reason: string; detail: string };
      return { quarantineId: row.id, reason: row.reason, detail: row.detail };
    });
  }

  /**
   * Records a parsed message under its identity key, with its attachments. When the key is already taken the
   * first record is returned (`inserted: false`), so the caller can tell a duplicate from a conflict.
   */
  async recordMessage(
    rawId: string,
    m: InboundMessageRecord,
  ): Promise<{ inserted: true } | { inserted: false; existing: ExistingMessage }> {
    return this.db.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `INSERT INTO inbound_messages (message_key, key_source, raw_id, content_hash, from_email, from_name, subject, text_new,
                                       text_quoted, text_signature, text_full, html_sanitized, in_reply_to, "references",
                                       token_ticket_id, sender_verified, sender_trust, stats)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         ON CONFLICT (message_key) DO NOTHING RETURNING message_key`,
        [
          m.messageKey,
          m.keySource,
          rawId,
          m.contentHash,
          m.fromEmail,
          m.fromName,
          m.subject,
          m.text.new,
          m.text.quoted,
          m.text.signature,
          m.text.full,
          m.html,
          m.inReplyTo,
          m.references,
          m.tokenTicketId,
          m.senderVerified,
          JSON.stringify(m.senderTrust),
          JSON.stringify(m.stats),
        ],
      );
      if (inserted.length === 0) {
        const rows: {
          content_hash: string;
          ticket_id: string | null;
          raw_id: string;
          sender_verified: boolean;
          sender_trust: Record<string, unknown>;
        }[] = await tx.query(
          `SELECT content_hash, ticket_id, raw_id, sender_verified, sender_trust FROM inbound_messages WHERE message_key = $1`,
          [m.messageKey],
        );
        const row = rows[0];
        if (!row) throw new Error('inbound message vanished after a conflicting insert');
        return {
          inserted: false as const,
          existing: {
            contentHash: row.content_hash,
            ticketId: row.ticket_id,
            rawId: row.raw_id,
            senderVerified: row.sender_verified,
            senderTrust: row.sender_trust,
          },
        };
      }
      for (const a of m.attachments) {
        await tx.query(
          `INSERT INTO inbound_attachments (message_key, ordinal, part_id, filename, content_type, disposition, content_id, inline,
                                            size_bytes, sha256, content, omitted_reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (message_key, ordinal) DO NOTHING`,
          [
            m.messageKey,
            a.ordinal,
            a.partId,
            a.filename,
            a.contentType,
            a.disposition,
            a.contentId,
            a.inline,
            a.size,
            a.sha256,
            a.content ? Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength) : null,
            a.omittedReason,
          ],
        );
      }
      return { inserted: true as const };
    });
  }

  /** The message reached its ticket: the raw delivery and the message record point at it. */
  async markAccepted(rawId: string, messageKey: string, ticketId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE inbound_raw_messages SET status = 'accepted', message_key = $2, ticket_id = $3, processed_at = now() WHERE id = $1`,
        [rawId, messageKey, ticketId],
      );
      await tx.query(
        `UPDATE inbound_messages SET ticket_id = $2 WHERE message_key = $1 AND ticket_id IS DISTINCT FROM $2`,
        [messageKey, ticketId],
      );
    });
  }

  async isKnownCustomer(email: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM customers WHERE lower(email) = lower($1) LIMIT 1`, [
      email,
    ]);
    return rows.length > 0;
  }

  /**
   * The ticket a `[#SL-xxxxxxxx]` token names: its id starts with the hex prefix AND it belongs to the sender, so a
   * token cannot put one customer's mail into another customer's ticket. Null when none or more than one match.
   */
  async findTicketByToken(prefix: string, customerEmail: string): Promise<string | null> {
    const hex = prefix
      .toLowerCase()
      .replace(/[^0-9a-f]/g, '')
      .slice(0, 32);
    if (hex.length < 8) return null;
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM tickets WHERE id BETWEEN $1::uuid AND $2::uuid AND lower(customer_email) = lower($3) LIMIT 2`,
      [asUuid(hex.padEnd(32, '0')), asUuid(hex.padEnd(32, 'f')), customerEmail],
    );
    return rows.length === 1 ? (rows[0] as { id: string }).id : null;
  }

  /** Quarantined messages, newest first; `before` is the cursor returned with the previous page. */
  async listQuarantine(options: {
    limit: number;
    before?: { at: string; id: string } | null;
    reason?: string | null;
    state?: 'open' | 'resolved' | 'all';
  }): Promise<QuarantineListItem[]> {
    const rows: {
      id: string;
      reason: string;
      detail: string;
      created_at: Date;
      created_at_iso: string;
      message_key: string | null;
      from_email: string | null;
      subject: string | null;
      raw_id: string;
      channel: InboundChannelName;
      size_bytes: number;
      deliveries: number;
      envelope_from: string | null;
      envelope_to: string[];
      received_at: Date;
      resolution: 'released' | 'discarded' | null;
      resolved_by: string | null;
      resolved_at: Date | null;
      resolution_reason: string | null;
      released_ticket_id: string | null;
    }[] = await this.db.query(
      `SELECT q.id, q.reason, q.detail, q.created_at, to_char(q.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_iso, q.message_key, q.from_email, q.subject, q.raw_id,
              q.resolution, q.resolved_by, q.resolved_at, q.resolution_reason, q.released_ticket_id,
              r.channel, r.size_bytes, r.deliveries, r.envelope_from, r.envelope_to, r.received_at
         FROM inbound_quarantine q JOIN inbound_raw_messages r ON r.id = q.raw_id
        WHERE ($1::timestamptz IS NULL OR (q.created_at, q.id) < ($1::timestamptz, $2::uuid))
          AND ($3::text IS NULL OR q.reason = $3)
          AND ($5 = 'all' OR ($5 = 'open') = (q.resolution IS NULL))
        ORDER BY q.created_at DESC, q.id DESC
        LIMIT $4`,
      [
        options.before?.at ?? null,
        options.before?.id ?? null,
        options.reason ?? null,
        options.limit,
        options.state ?? 'open',
      ],
    );
    return rows.map((r) => ({
      id: r.id,
      reason: r.reason,
      detail: r.detail,
      createdAt: r.created_at,
      cursorAt: r.created_at_iso,
      messageKey: r.message_key,
      fromEmail: r.from_email,
      subject: r.subject,
      rawId: r.raw_id,
      channel: r.channel,
      sizeBytes: r.size_bytes,
      deliveries: r.deliveries,
      envelopeFrom: r.envelope_from,
      envelopeTo: r.envelope_to,
      receivedAt: r.received_at,
      resolution: r.resolution,
      resolvedBy: r.resolved_by,
      resolvedAt: r.resolved_at,
      resolutionReason: r.resolution_reason,
      releasedTicketId: r.released_ticket_id,
    }));
  }

  /**
   * Resolves a quarantine entry once: the first `release` or `discard` wins and is what every later call answers.
   * A release also puts the raw message back to `stored`, for intake to take it up again.
   */
  async resolveQuarantine(
    quarantineId: string,
    resolution: { kind: 'released' | 'discarded'; by: string; reason: string | null },
  ): Promise<QuarantineResolution | null> {
    return this.db.transaction(async (tx) => {
      const rows: QuarantineResolutionRow[] = await tx.query(
        `SELECT q.id, q.raw_id, q.resolution, q.resolved_by, q.resolved_at, q.released_ticket_id, r.channel, r.raw,
                r.envelope_from, r.envelope_to
           FROM inbound_quarantine q JOIN inbound_raw_messages r ON r.id = q.raw_id
          WHERE q.id = $1 FOR UPDATE OF q`,
        [quarantineId],
      );
      const row = rows[0];
      if (!row) return null;
      if (row.resolution) return { ...toResolution(row), first: false };
      await tx.query(
        `UPDATE inbound_quarantine SET resolution = $2, resolved_by = $3, resolved_at = now(), resolution_reason = $4
          WHERE id = $1`,
        [quarantineId, resolution.kind, resolution.by, resolution.reason],
      );
      if (resolution.kind === 'released') {
        await tx.query(`UPDATE inbound_raw_messages SET status = 'stored' WHERE id = $1`, [row.raw_id]);
      }
      return { ...toResolution({ ...row, resolution: resolution.kind, resolved_by: resolution.by }), first: true };
    });
  }

  /** A released message became (part of) a ticket; the entry remembers which. */
  async noteReleasedTicket(quarantineId: string, ticketId: string): Promise<void> {
    await this.db.query(`UPDATE inbound_quarantine SET released_ticket_id = $2 WHERE id = $1`, [
      quarantineId,
      ticketId,
    ]);
  }

  /** A release that intake could not take in after all (it is held again): the entry is open again. */
  async reopenQuarantine(quarantineId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const rows: { raw_id: string }[] = await tx.query(
        `UPDATE inbound_quarantine SET resolution = NULL, resolved_by = NULL, resolved_at = NULL,
                resolution_reason = NULL
          WHERE id = $1 AND resolution = 'released' AND released_ticket_id IS NULL RETURNING raw_id`,
        [quarantineId],
      );
      const rawId = rows[0]?.raw_id;
      if (rawId) await tx.query(`UPDATE inbound_raw_messages SET status = 'quarantined' WHERE id = $1`, [rawId]);
    });
  }

  /** The raw message of a quarantine entry, for a supervisor to download and inspect. */
  async quarantinedRaw(quarantineId: string): Promise<{ raw: Buffer; reason: string } | null> {
    const rows: { raw: Buffer; reason: string }[] = await this.db.query(
      `SELECT r.raw, q.reason FROM inbound_quarantine q JOIN inbound_raw_messages r ON r.id = q.raw_id WHERE q.id = $1`,
      [quarantineId],
    );
    return rows[0] ?? null;
  }

  private async quarantineOf(rawId: string): Promise<QuarantineRef | null> {
    const rows: { id: string; reason: string; detail: string }[] = await this.db.query(
      `SELECT id, reason, detail FROM inbound_quarantine WHERE raw_id = $1`,
      [rawId],
    );
    const row = rows[0];
    return row ? { quarantineId: row.id, reason: row.reason, detail: row.detail } : null;
  }
}

function asUuid(hex32: string): string {
  return `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20, 32)}`;
}
