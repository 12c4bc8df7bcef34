import type { DataSource } from 'typeorm';
import type {
  AuditEntry,
  OutboundReply,
  TicketSnapshot,
  ThreadMessage,
  TicketStatus,
  TicketStore,
  TriageOutcome,
} from '../../../domain';
import { ticketWorkflowId } from '../../../../workflows/ticket/ticket.messages';
import { AuditEntity, MessageEntity, TicketEntity } from '../entities';

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
}

export interface TicketView {
  ticket: TicketEntity;
  messages: MessageEntity[];
  audit: AuditEntity[];
}

/** The ticket read model. Every write is idempotent by a natural key, so activity retries are safe. */
export class TicketRepository implements TicketStore {
  constructor(private readonly db: DataSource) {}

  /**
   * Stores a customer message, durably, before anyone acknowledges it: as the first message of a new ticket,
   * or appended to `threadTicketId`. A `messageId` seen before returns the ticket that holds it
   * (`created: false`); concurrent duplicates serialise on the unique index and only one row is written.
   */
  async ingest(
    message: InboundMessage,
    target: { newTicketId: string; threadTicketId: string | null; parentTicketId?: string | null },
  ): Promise<IngestResult> {
    const existing = await this.findByMessageId(message.messageId);
    if (existing) return existing;
    const ticketId = target.threadTicketId ?? target.newTicketId;
    const inserted = await this.db
      .transaction(async (tx) => {
        if (!target.threadTicketId) {
          await tx.query(
            `INSERT INTO tickets (id, workflow_id, status, customer_email, subject, order_number, parent_ticket_id)
             VALUES ($1, $2, 'received', $3, $4, $5, $6)`,
            [
              ticketId,
              ticketWorkflowId(ticketId),
              message.fromEmail,
              message.subject,
              message.orderNumber,
              target.parentTicketId ?? null,
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

  /** The not-yet-closed ticket a reply belongs to: named directly, or holding a message it replies to or references. */
  async findThreadTicket(query: {
    ticketId: string | null;
    messageIds: string[];
  }): Promise<{ ticketId: string; status: TicketStatus } | null> {
    const rows: { id: string; status: TicketStatus }[] = await this.db.query(
      `SELECT t.id, t.status FROM tickets t
        WHERE t.id = $1::uuid
           OR t.id IN (SELECT m.ticket_id FROM messages m WHERE m.message_id = ANY($2::text[]))
        ORDER BY t.created_at DESC
        LIMIT 1`,
      [query.ticketId, query.messageIds],
    );
    const row = rows[0];
    return row ? { ticketId: row.id, status: row.status } : null;
  }

  /** Moves a message that raced a closing ticket onto a new ticket linked to the old one. */
  async moveToNewTicket(messageId: string, newTicketId: string, parentTicketId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO tickets (id, workflow_id, status, customer_email, subject, order_number, parent_ticket_id)
         SELECT $1, $4, 'received', m.from_email, m.subject, coalesce(m.order_number, p.order_number), $3
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
    const rows: { id: string; workflow_id: string; status: TicketStatus; first: boolean }[] = await this.db.query(
      `SELECT t.id, t.workflow_id, t.status,
              m.created_at = (SELECT min(f.created_at) FROM messages f WHERE f.ticket_id = t.id AND f.direction = 'inbound') AS first
         FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.message_id = $1`,
      [messageId],
    );
    const row = rows[0];
    return row
      ? { ticketId: row.id, workflowId: row.workflow_id, created: false, threaded: !row.first, status: row.status }
      : null;
  }

  async findView(ticketId: string): Promise<TicketView | null> {
    const ticket = await this.db.getRepository(TicketEntity).findOneBy({ id: ticketId });
    if (!ticket) return null;
    const [messages, audit] = await Promise.all([
      this.db
        .getRepository(MessageEntity)
        .find({ where: { ticketId }, order: { receivedAt: 'ASC', createdAt: 'ASC' } }),
      this.db.getRepository(AuditEntity).find({ where: { ticketId }, order: { createdAt: 'ASC', id: 'ASC' } }),
    ]);
    return { ticket, messages, audit };
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
      subject: m.subject,
      text: m.bodyText,
      ...(m.orderNumber ? { orderNumber: m.orderNumber } : {}),
      receivedAt: m.receivedAt.toISOString(),
    }));
  }

  async saveTriage(ticketId: string, outcome: TriageOutcome, snapshot: TicketSnapshot): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE tickets SET confidence = $2, triage = $3 WHERE id = $1`, [
        ticketId,
        Math.round(outcome.confidence.score * 1000) / 1000,
        JSON.stringify(outcome),
      ]);
      await writeState(tx, ticketId, snapshot);
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
        `INSERT INTO messages (ticket_id, message_id, direction, from_email, to_email, subject, body_text, in_reply_to, received_at)
         VALUES ($1, $2, 'outbound', 'support', $3, $4, $5, $6, now())
         ON CONFLICT (message_id) DO NOTHING`,
        [reply.ticketId, reply.messageId, reply.to, reply.subject, reply.body, reply.inReplyTo],
      );
      const rows: { sent_at: Date | null }[] = await tx.query(`SELECT sent_at FROM outbox WHERE idempotency_key = $1`, [
        reply.idempotencyKey,
      ]);
      return { delivered: rows[0]?.sent_at != null };
    });
  }

  async markReplyDelivered(idempotencyKey: string): Promise<void> {
    await this.db.query(`UPDATE outbox SET sent_at = coalesce(sent_at, now()) WHERE idempotency_key = $1`, [
      idempotencyKey,
    ]);
  }

  async recordAudit(entry: AuditEntry): Promise<void> {
    await this.db.query(
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
}

class DuplicateMessage extends Error {}

async function writeState(db: Pick<DataSource, 'query'>, ticketId: string, snap: TicketSnapshot): Promise<void> {
  await db.query(
    `UPDATE tickets SET status = $3, route = $4, queue = $5, priority = $6, claimed_by = $7, escalated = $8,
            sla_state = $9, sla_deadline = $10, draft_version = $11, state_seq = $2, updated_at = now(),
            closed_at = CASE WHEN $3 = 'closed' THEN coalesce(closed_at, now()) ELSE NULL END
      WHERE id = $1 AND state_seq < $2`,
    [
      ticketId,
      snap.seq,
      snap.status,
      snap.route,
      snap.queue,
      snap.priority,
      snap.claimedBy,
      snap.escalated,
      snap.slaState,
      snap.slaDeadline,
      snap.draftVersion,
    ],
  );
}
