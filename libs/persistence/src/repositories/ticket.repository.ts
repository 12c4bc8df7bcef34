import type { DataSource } from 'typeorm';
import {
  OutboxConflictError,
  ticketWorkflowId,
  type AuditEntry,
  type ContactHistory,
  type OutboundReply,
  type SlaPassRecord,
  type TicketSnapshot,
  type ThreadMessage,
  type TicketStatus,
  type TicketStore,
  type TriageOutcome,
} from '../../../domain';
import { AuditEntity, MessageEntity, TicketEntity } from '../entities';
import { storeOrderNumber } from './order.repository';
import { OutcomeRecorder } from './outcome.repository';
import { supervisorOnDuty } from './supervisor.repository';

export interface InboundMessage {
  messageId: string;
  fromEmail: string;
  fromName: string | null;
  subject: string;
  text: string;
  html: string | null;
  orderNumber: string | null;
  inReplyTo: string | null;
  references: string[];
  receivedAt: Date;
  /** Whether the sender address is trusted, and why (authenticated integration, DMARC result...). */
  senderVerified: boolean;
  senderTrustReason: string | null;
}

export interface IngestResult {
  ticketId: string;
  workflowId: string;
  /** True when this call stored the message (false: the messageId was seen before). */
  created: boolean;
  /** True when the message joined an existing ticket's thread. */
  threaded: boolean;
  status: TicketStatus;
  /** The message as first stored (for a message id seen before: whether a repeat is the same message). */
  stored?: { fromEmail: string; subject: string; text: string };
}

export interface TicketView {
  ticket: TicketEntity;
  messages: MessageEntity[];
  audit: AuditEntity[];
  attachments: AttachmentInfo[];
}

/** What the briefing lists of a customer's attachment (its content is fetched on its own route). */
export interface AttachmentInfo {
  id: string;
  /** The Message-ID of the message it came with. */
  messageId: string;
  filename: string | null;
  contentType: string;
  size: number;
  inline: boolean;
  /** False when it was over the size limit and only its metadata was kept. */
  available: boolean;
}

/** The ticket read model. Every write is idempotent by a natural key, so activity retries are safe. */
export class TicketRepository implements TicketStore, ContactHistory {
  constructor(
    private readonly db: DataSource,
    private readonly outcomes = new OutcomeRecorder(),
  ) {}

  /**
   * Stores a customer message, durably, before anyone acknowledges it: as the first message of a new ticket,
   * or appended to `threadTicketId`. A `messageId` seen before returns the ticket that holds it
   * (`created: false`); concurrent duplicates serialise on the unique index and only one row is written.
   */
  async ingest(
    message: InboundMessage,
    target: {
      newTicketId: string;
      threadTicketId: string | null;
      parentTicketId?: string | null;
      /** Why the new ticket is linked to `parentTicketId` instead of joining it. */
      linkReason?: string | null;
    },
  ): Promise<IngestResult> {
    const existing = await this.findByMessageId(message.messageId);
    if (existing) return existing;
    const ticketId = target.threadTicketId ?? target.newTicketId;
    const inserted = await this.db
      .transaction(async (tx) => {
        if (!target.threadTicketId) {
          await tx.query(
            `INSERT INTO tickets (id, workflow_id, status, customer_email, subject, order_number, parent_ticket_id,
                                  link_reason)
             VALUES ($1, $2, 'received', $3, $4, $5, $6, $7)`,
            [
              ticketId,
              ticketWorkflowId(ticketId),
              message.fromEmail,
              message.subject,
              message.orderNumber,
              target.parentTicketId ?? null,
              target.parentTicketId ? (target.linkReason ?? null) : null,
            ],
          );
        }
        const rows: unknown[] = await tx.query(
          `INSERT INTO messages (ticket_id, message_id, direction, from_email, from_name, subject, body_text, body_html,
                                 order_number, in_reply_to, "references", received_at, sender_verified, sender_trust_reason)
           VALUES ($1, $2, 'inbound', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           ON CONFLICT (message_id) DO NOTHING RETURNING id`,
          [
            ticketId,
            message.messageId,
            message.fromEmail,
            message.fromName,
            message.subject,
            message.text,
            message.html,
            message.orderNumber,
            message.inReplyTo,
            message.references,
            message.receivedAt,
            message.senderVerified,
            message.senderTrustReason,
          ],
        );
        if (rows.length === 0) throw new DuplicateMessage();
        if (target.threadTicketId && message.orderNumber) {
          await tx.query(
            `UPDATE tickets SET order_number = coalesce(order_number, $2), updated_at = now() WHERE id = $1`,
            [ticketId, message.orderNumber],
          );
        }
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof DuplicateMessage) return false;
        throw error;
      });
    if (!inserted) {
      const winner = await this.findByMessageId(message.messageId);
      if (!winner) throw new Error('message vanished after a duplicate insert');
      return winner;
    }
    const status = target.threadTicketId ? ((await this.findStatus(ticketId)) ?? 'received') : 'received';
    return {
      ticketId,
      workflowId: ticketWorkflowId(ticketId),
      created: true,
      threaded: target.threadTicketId !== null,
      status,
    };
  }

  /** The ticket a reply belongs to: named directly, or holding a message it replies to or references. */
  async findThreadTicket(query: {
    ticketId: string | null;
    messageIds: string[];
  }): Promise<{ ticketId: string; status: TicketStatus; customerEmail: string } | null> {
    const rows: { id: string; status: TicketStatus; customer_email: string }[] = await this.db.query(
      `SELECT t.id, t.status, t.customer_email FROM tickets t
        WHERE t.id = $1::uuid
           OR t.id IN (SELECT m.ticket_id FROM messages m WHERE m.message_id = ANY($2::text[]))
        ORDER BY t.created_at DESC
        LIMIT 1`,
      [query.ticketId, query.messageIds],
    );
    const row = rows[0];
    return row ? { ticketId: row.id, status: row.status, customerEmail: row.customer_email } : null;
  }

  /** Moves a message that raced a closing ticket onto a new ticket linked to the old one. */
  async moveToNewTicket(messageId: string, newTicketId: string, parentTicketId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO tickets (id, workflow_id, status, customer_email, subject, order_number, parent_ticket_id,
                              link_reason)
         SELECT $1, $4, 'received', m.from_email, m.subject, coalesce(m.order_number, p.order_number), $3,
                'closed_ticket_reply'
           FROM messages m JOIN tickets p ON p.id = $3::uuid WHERE m.message_id = $2`,
        [newTicketId, messageId, parentTicketId, ticketWorkflowId(newTicketId)],
      );
      await tx.query(`UPDATE messages SET ticket_id = $1 WHERE message_id = $2`, [newTicketId, messageId]);
    });
  }

  private async findStatus(ticketId: string): Promise<TicketStatus | null> {
    const rows: { status: TicketStatus }[] = await this.db.query(`SELECT status FROM tickets WHERE id = $1`, [
      ticketId,
    ]);
    return rows[0]?.status ?? null;
  }

  async findByMessageId(messageId: string): Promise<IngestResult | null> {
    const rows: {
      id: string;
      workflow_id: string;
      status: TicketStatus;
      first: boolean;
      from_email: string;
      subject: string;
      body_text: string;
    }[] = await this.db.query(
      `SELECT t.id, t.workflow_id, t.status, m.from_email, m.subject, m.body_text,
              m.created_at = (SELECT min(f.created_at) FROM messages f WHERE f.ticket_id = t.id AND f.direction = 'inbound') AS first
         FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.message_id = $1 AND m.direction = 'inbound'`,
      [messageId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      ticketId: row.id,
      workflowId: row.workflow_id,
      created: false,
      threaded: !row.first,
      status: row.status,
      stored: { fromEmail: row.from_email, subject: row.subject, text: row.body_text },
    };
  }

  /**
   * A delivery report says one of our outbound messages did not arrive: recorded on its ticket's audit trail, once.
   * Answers the ticket, or null when the Message-ID is none of ours.
   */
  async recordBounce(messageId: string, reason: string): Promise<string | null> {
    const rows: { ticket_id: string }[] = await this.db.query(
      `SELECT ticket_id FROM messages WHERE message_id = $1 AND direction = 'outbound'`,
      [messageId],
    );
    const ticketId = rows[0]?.ticket_id;
    if (!ticketId) return null;
    await insertAudit(this.db, {
      ticketId,
      key: `bounce:${messageId}`,
      actor: 'system',
      action: 'delivery_bounced',
      before: { messageId },
      after: { error: reason.slice(0, 500) },
    });
    return ticketId;
  }

  /** An attachment's content, only when it belongs to a message of `ticketId` and was kept. */
  async findAttachment(
    ticketId: string,
    attachmentId: string,
  ): Promise<{ filename: string | null; contentType: string; content: Buffer } | null> {
    const rows: { filename: string | null; content_type: string; content: Buffer }[] = await this.db.query(
      `SELECT a.filename, a.content_type, a.content
         FROM inbound_attachments a JOIN messages m ON m.message_id = a.message_key
        WHERE a.id = $2 AND m.ticket_id = $1 AND a.content IS NOT NULL`,
      [ticketId, attachmentId],
    );
    const row = rows[0];
    return row ? { filename: row.filename, contentType: row.content_type, content: row.content } : null;
  }

  /** The message reached its ticket's workflow: reconciliation need not hand it over again. */
  async markHandedOver(messageId: string): Promise<void> {
    await this.db.query(`UPDATE messages SET handed_over_at = coalesce(handed_over_at, now()) WHERE message_id = $1`, [
      messageId,
    ]);
  }

  /** Customer messages stored before `before` that never reached their workflow (a failed start or signal). */
  async findMessagesNotHandedOver(query: {
    before: Date;
    limit: number;
  }): Promise<{ messageId: string; ticketId: string; ticketStatus: TicketStatus }[]> {
    const rows: { message_id: string; ticket_id: string; status: TicketStatus }[] = await this.db.query(
      `SELECT m.message_id, m.ticket_id, t.status FROM messages m JOIN tickets t ON t.id = m.ticket_id
        WHERE m.handed_over_at IS NULL AND m.direction = 'inbound' AND m.created_at < $1
        ORDER BY m.created_at LIMIT $2`,
      [query.before, query.limit],
    );
    return rows.map((r) => ({ messageId: r.message_id, ticketId: r.ticket_id, ticketStatus: r.status }));
  }

  async findView(ticketId: string): Promise<TicketView | null> {
    const ticket = await this.db.getRepository(TicketEntity).findOneBy({ id: ticketId });
    if (!ticket) return null;
    const [messages, audit, attachments] = await Promise.all([
      this.db
        .getRepository(MessageEntity)
        .find({ where: { ticketId }, order: { receivedAt: 'ASC', createdAt: 'ASC' } }),
      this.db.getRepository(AuditEntity).find({ where: { ticketId }, order: { createdAt: 'ASC', id: 'ASC' } }),
      this.db.query(
        `SELECT a.id, a.message_key, a.filename, a.content_type, a.size_bytes, a.inline, a.content IS NOT NULL AS available
           FROM inbound_attachments a JOIN messages m ON m.message_id = a.message_key
          WHERE m.ticket_id = $1 ORDER BY m.received_at, a.ordinal`,
        [ticketId],
      ) as Promise<
        {
          id: string;
          message_key: string;
          filename: string | null;
          content_type: string;
          size_bytes: string;
          inline: boolean;
          available: boolean;
        }[]
      >,
    ]);
    return {
      ticket,
      messages,
      audit,
      attachments: attachments.map((a) => ({
        id: a.id,
        messageId: a.message_key,
        filename: a.filename,
        contentType: a.content_type,
        size: Number(a.size_bytes),
        inline: a.inline,
        available: a.available,
      })),
    };
  }

  /**
   * Tickets whose workflow still has work to do (not resolved, not closed), last changed before `before`, in id
   * order after `afterId`: what reconciliation checks. A resolved ticket only waits for a reply, and a reply
   * without a workflow opens a linked ticket, so it needs no restart.
   */
  async findOpenTicketIds(query: { before: Date; afterId: string | null; limit: number }): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM tickets
        WHERE status NOT IN ('resolved', 'closed') AND updated_at < $1 AND ($2::uuid IS NULL OR id > $2::uuid)
        ORDER BY id LIMIT $3`,
      [query.before, query.afterId, query.limit],
    );
    return rows.map((r) => r.id);
  }

  async earlierContacts(query: Parameters<ContactHistory['earlierContacts']>[0]): Promise<number> {
    const order = query.orderNumber ? storeOrderNumber(query.orderNumber) : null;
    const rows: { n: number }[] = await this.db.query(
      `SELECT count(*)::int AS n FROM tickets t
        WHERE t.customer_email = lower($1) AND t.created_at >= $2 AND t.id <> $3::uuid
          AND ($4::text IS NULL OR t.order_number IS NULL OR t.order_number = $4)`,
      [query.customerEmail, query.since, query.excludeTicketId, order],
    );
    return rows[0]?.n ?? 0;
  }

  async loadTicket(ticketId: string): Promise<{ customerEmail: string; repliesRecorded: number } | null> {
    const rows: { customer_email: string; replies: number }[] = await this.db.query(
      `SELECT t.customer_email,
              (SELECT count(*)::int FROM outbox o WHERE o.ticket_id = t.id AND o.sent_by <> 'acknowledgement') AS replies
         FROM tickets t WHERE t.id = $1`,
      [ticketId],
    );
    const row = rows[0];
    return row ? { customerEmail: row.customer_email, repliesRecorded: row.replies } : null;
  }

  async loadThread(ticketId: string): Promise<ThreadMessage[]> {
    const messages = await this.db
      .getRepository(MessageEntity)
      .find({ where: { ticketId }, order: { receivedAt: 'ASC', createdAt: 'ASC' } });
    return messages.map((m) => ({
      messageId: m.messageId,
      direction: m.direction,
      from: { email: m.fromEmail, ...(m.fromName ? { name: m.fromName } : {}) },
      ...(m.bodyHtml ? { html: m.bodyHtml } : {}),
      sender: { verified: m.senderVerified, reason: m.senderTrustReason },
      kind: m.kind,
      subject: m.subject,
      text: m.bodyText,
      ...(m.orderNumber ? { orderNumber: m.orderNumber } : {}),
      receivedAt: m.receivedAt.toISOString(),
    }));
  }

  /**
   * The briefing. The ticket keeps the order it is about — the one the lookup matched, else the one the customer
   * named — so later tickets of the customer count as repeated contact whatever channel they came by.
   */
  async saveTriage(
    ticketId: string,
    outcome: TriageOutcome,
    snapshot: TicketSnapshot,
    requestedOrderNumber: string | null = null,
  ): Promise<void> {
    const orderNumber =
      outcome.order?.orderNumber ?? (requestedOrderNumber ? storeOrderNumber(requestedOrderNumber) : null);
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE tickets SET confidence = $2, triage = $3, order_number = coalesce(order_number, $4) WHERE id = $1`,
        [ticketId, Math.round(outcome.confidence.score * 1000) / 1000, JSON.stringify(outcome), orderNumber],
      );
      await writeState(tx, ticketId, snapshot);
      await this.outcomes.routed(tx, ticketId, outcome, snapshot);
    });
  }

  async saveState(ticketId: string, snapshot: TicketSnapshot): Promise<void> {
    await writeState(this.db, ticketId, snapshot);
  }

  async recordReply(reply: OutboundReply): Promise<{ delivered: boolean }> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO outbox (idempotency_key, ticket_id, draft_version, message_id, sent_by)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING`,
        [reply.idempotencyKey, reply.ticketId, reply.draftVersion, reply.messageId, reply.sentBy],
      );
      await tx.query(
        `INSERT INTO messages (ticket_id, message_id, direction, from_email, to_email, subject, body_text, in_reply_to,
                               received_at, kind)
         VALUES ($1, $2, 'outbound', 'support', $3, $4, $5, $6, now(), $7)
         ON CONFLICT (message_id) DO NOTHING`,
        [
          reply.ticketId,
          reply.messageId,
          reply.to,
          reply.subject,
          reply.body,
          reply.inReplyTo,
          reply.sentBy === 'acknowledgement' ? 'acknowledgement' : 'message',
        ],
      );
      const rows: {
        sent_at: Date | null;
        message_id: string;
        ticket_id: string;
        to_email: string;
        body_text: string;
      }[] = await tx.query(
        `SELECT o.sent_at, o.message_id, m.ticket_id, m.to_email, m.body_text
             FROM outbox o JOIN messages m ON m.message_id = o.message_id WHERE o.idempotency_key = $1`,
        [reply.idempotencyKey],
      );
      const row = rows[0];
      const same =
        row?.message_id === reply.messageId &&
        row.ticket_id === reply.ticketId &&
        row.to_email === reply.to &&
        row.body_text === reply.body;
      if (!same) {
        throw new OutboxConflictError(`outbox key ${reply.idempotencyKey} already holds a different reply`);
      }
      if (reply.sentBy === 'agent') await this.outcomes.agentReplied(tx, reply.ticketId, reply.body);
      return { delivered: row.sent_at != null };
    });
  }

  async markReplyDelivered(idempotencyKey: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE outbox SET sent_at = coalesce(sent_at, now()) WHERE idempotency_key = $1`, [
        idempotencyKey,
      ]);
      await this.outcomes.autoSent(tx, idempotencyKey);
    });
  }

  /** An audit row; an agent's decision on a draft also becomes that draft's outcome. */
  async recordAudit(entry: AuditEntry): Promise<void> {
    await this.db.transaction(async (tx) => {
      await insertAudit(tx, entry);
      await this.outcomes.decided(tx, entry);
    });
  }

  /**
   * One SLA pass, atomically: one statement when no supervisor is picked, else one transaction. A supervisor
   * hand-over picks the supervisor once: the alert's outbox row keeps who it was, so a retried pass (its first
   * attempt committed, its answer lost) assigns the same person.
   */
  async recordSlaPass(pass: SlaPassRecord): Promise<{ assignTo: string | null }> {
    if (!pass.supervisor) {
      await recordPlainSlaPass(this.db, pass);
      return { assignTo: null };
    }
    return this.db.transaction(async (tx) => {
      let supervisor: { id: string; email: string } | null = null;
      if (pass.supervisor) {
        const chosen: { id: string; email: string }[] = await tx.query(
          `SELECT assign_to AS id, recipient AS email FROM sla_notifications WHERE key = $1 AND assign_to IS NOT NULL`,
          [pass.supervisor.notificationKey],
        );
        supervisor = chosen[0] ?? (await supervisorOnDuty(tx, pass.supervisor.queue));
      }
      const assignTo = supervisor?.id ?? null;
      for (const entry of pass.audits) {
        const claimed = assignTo && pass.supervisor?.levelAuditKey === entry.key;
        await insertAudit(tx, claimed ? { ...entry, after: { ...entry.after, claimedBy: assignTo } } : entry);
      }
      for (const n of pass.notifications) {
        const isAlert = n.key === pass.supervisor?.notificationKey;
        if (isAlert && !supervisor) continue; // nobody on duty: the audit row shows the ticket unassigned
        const alert = isAlert ? supervisor : null;
        await tx.query(
          `INSERT INTO sla_notifications (key, ticket_id, payload, recipient, assign_to) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (key) DO NOTHING`,
          [n.key, pass.ticketId, JSON.stringify(n), alert?.email ?? null, alert?.id ?? null],
        );
      }
      if (pass.snapshot) {
        await writeState(tx, pass.ticketId, assignTo ? { ...pass.snapshot, claimedBy: assignTo } : pass.snapshot);
      }
      return { assignTo };
    });
  }
}

/**
 * A pass with no supervisor to pick (most of them): its audit rows, outbox rows and read-model state in ONE
 * statement, atomic like a transaction but one round trip. Rows keep their order (breach before level); a retried
 * pass inserts nothing twice (the keys) and never moves the state back (`state_seq`).
 */
async function recordPlainSlaPass(db: Pick<DataSource, 'query'>, pass: SlaPassRecord): Promise<void> {
  const snap = pass.snapshot;
  const state = snap ? `, state AS (${stateUpdate(4)})` : '';
  const stateParams = snap ? stateValues(snap) : [];
  await db.query(
    `WITH audits AS (
       INSERT INTO ticket_audit (ticket_id, key, actor, action, before, after)
       SELECT $1, a.key, a.actor, a.action, a.before, a.after
         FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (key text, actor text, action text, before jsonb, after jsonb))
              WITH ORDINALITY AS a(key, actor, action, before, after, n)
        ORDER BY a.n
       ON CONFLICT (key) DO NOTHING),
     notifications AS (
       INSERT INTO sla_notifications (key, ticket_id, payload)
       SELECT n.value->>'key', $1, n.value FROM jsonb_array_elements($3::jsonb) AS n
       ON CONFLICT (key) DO NOTHING)${state}
     SELECT 1`,
    [
      pass.ticketId,
      JSON.stringify(
        pass.audits.map(({ key, actor, action, before, after }) => ({ key, actor, action, before, after })),
      ),
      JSON.stringify(pass.notifications),
      ...stateParams,
    ],
  );
}

async function insertAudit(db: Pick<DataSource, 'query'>, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO ticket_audit (ticket_id, key, actor, action, before, after)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING`,
    [
      entry.ticketId,
      entry.key,
      entry.actor,
      entry.action,
      entry.before === null ? null : JSON.stringify(entry.before),
      entry.after === null ? null : JSON.stringify(entry.after),
    ],
  );
}

class DuplicateMessage extends Error {}

async function writeState(db: Pick<DataSource, 'query'>, ticketId: string, snap: TicketSnapshot): Promise<void> {
  await db.query(stateUpdate(2), [ticketId, ...stateValues(snap)]);
}

/** The read-model update of a snapshot: the ticket id is `$1`, the snapshot's values (stateValues) from `$seq` on. */
function stateUpdate(seq: number): string {
  const $ = (offset: number) => `$${seq + offset}`;
  return `UPDATE tickets SET status = ${$(1)}, route = ${$(2)}, queue = ${$(3)}, priority = ${$(4)}, claimed_by = ${$(5)},
            escalated = ${$(6)}, sla_state = ${$(7)}, sla_deadline = ${$(8)}, draft_version = ${$(9)},
            state_seq = ${$(0)}, updated_at = now(),
            closed_at = CASE WHEN ${$(1)} = 'closed' THEN coalesce(closed_at, now()) ELSE NULL END
      WHERE id = $1 AND state_seq < ${$(0)}`;
}

function stateValues(snap: TicketSnapshot): unknown[] {
  const { seq, status, route, queue, priority, claimedBy, escalated, slaState, slaDeadline, draftVersion } = snap;
  return [seq, status, route, queue, priority, claimedBy, escalated, slaState, slaDeadline, draftVersion];
}
