import type { DataSource } from 'typeorm';
import type {
  AuditEntry,
  OutboundReply,
  ThreadMessage,
  TicketStatus,
  TicketStore,
  TriageOutcome,
} from '../../../domain';
import { AuditEntity, MessageEntity, TicketEntity } from '../entities';

export interface NewInboundMessage {
  ticketId: string;
  workflowId: string;
  messageId: string;
  fromEmail: string;
  fromName: string | null;
  subject: string;
  text: string;
  orderNumber: string | null;
  receivedAt: Date;
}

export interface IngestResult {
  ticketId: string;
  workflowId: string;
  created: boolean;
  status: TicketStatus;
}

export interface TicketView {
  ticket: TicketEntity;
  messages: MessageEntity[];
  audit: AuditEntity[];
}

const CLOSED_STATUSES: TicketStatus[] = ['resolved', 'closed'];

/** The ticket read model. Every write is idempotent by a natural key, so activity retries are safe. */
export class TicketRepository implements TicketStore {
  constructor(private readonly db: DataSource) {}

  /**
   * Stores a new customer message and its ticket in one transaction. A `messageId` seen before returns the
   * existing ticket (`created: false`); concurrent duplicates serialise on the unique index.
   */
  async ingestNew(message: NewInboundMessage): Promise<IngestResult> {
    const existing = await this.findByMessageId(message.messageId);
    if (existing) return existing;
    const inserted = await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO tickets (id, workflow_id, status, customer_email, subject, order_number)
         VALUES ($1, $2, 'received', $3, $4, $5)`,
        [message.ticketId, message.workflowId, message.fromEmail, message.subject, message.orderNumber],
      );
      const rows: unknown[] = await tx.query(
        `INSERT INTO messages (ticket_id, message_id, direction, from_email, from_name, subject, body_text, order_number, received_at)
         VALUES ($1, $2, 'inbound', $3, $4, $5, $6, $7, $8)
         ON CONFLICT (message_id) DO NOTHING RETURNING id`,
        [
          message.ticketId,
          message.messageId,
          message.fromEmail,
          message.fromName,
          message.subject,
          message.text,
          message.orderNumber,
          message.receivedAt,
        ],
      );
      if (rows.length === 0) throw new DuplicateMessage();
      return true;
    }).catch((error: unknown) => {
      if (error instanceof DuplicateMessage) return false;
      throw error;
    });
    if (inserted) {
      return { ticketId: message.ticketId, workflowId: message.workflowId, created: true, status: 'received' };
    }
    const winner = await this.findByMessageId(message.messageId);
    if (!winner) throw new Error('message vanished after a duplicate insert');
    return winner;
  }

  async findByMessageId(messageId: string): Promise<IngestResult | null> {
    const rows: { id: string; workflow_id: string; status: TicketStatus }[] = await this.db.query(
      `SELECT t.id, t.workflow_id, t.status FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.message_id = $1`,
      [messageId],
    );
    const row = rows[0];
    return row ? { ticketId: row.id, workflowId: row.workflow_id, created: false, status: row.status } : null;
  }

  async findView(ticketId: string): Promise<TicketView | null> {
    const ticket = await this.db.getRepository(TicketEntity).findOneBy({ id: ticketId });
    if (!ticket) return null;
    const [messages, audit] = await Promise.all([
      this.db.getRepository(MessageEntity).find({ where: { ticketId }, order: { receivedAt: 'ASC', createdAt: 'ASC' } }),
      this.db.getRepository(AuditEntity).find({ where: { ticketId }, order: { createdAt: 'ASC', id: 'ASC' } }),
    ]);
    return { ticket, messages, audit };
  }

  async loadThread(ticketId: string): Promise<ThreadMessage[]> {
    const messages = await this.db
      .getRepository(MessageEntity)
      .find({ where: { ticketId }, order: { receivedAt: 'ASC', createdAt: 'ASC' } });
    return messages.map((m) => ({
      messageId: m.messageId,
      direction: m.direction,
      from: { email: m.fromEmail, ...(m.fromName ? { name: m.fromName } : {}) },
      subject: m.subject,
      text: m.bodyText,
      ...(m.orderNumber ? { orderNumber: m.orderNumber } : {}),
      receivedAt: m.receivedAt.toISOString(),
    }));
  }

  async saveTriage(ticketId: string, outcome: TriageOutcome, status: TicketStatus): Promise<void> {
    await this.db.query(
      `UPDATE tickets SET status = $2, route = $3, queue = $4, priority = $5, confidence = $6,
              draft_version = $7, triage = $8, updated_at = now()
        WHERE id = $1`,
      [
        ticketId,
        status,
        outcome.decision.route,
        outcome.decision.queue,
        outcome.decision.priority,
        Math.round(outcome.confidence.score * 1000) / 1000,
        outcome.draft?.version ?? 0,
        JSON.stringify(outcome),
      ],
    );
  }

  async setStatus(ticketId: string, status: TicketStatus): Promise<void> {
    await this.db.query(
      `UPDATE tickets SET status = $2, updated_at = now(),
              closed_at = CASE WHEN $2 = ANY($3::text[]) THEN coalesce(closed_at, now()) ELSE NULL END
        WHERE id = $1`,
      [ticketId, status, CLOSED_STATUSES],
    );
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
      const rows: { sent_at: Date | null }[] = await tx.query(
        `SELECT sent_at FROM outbox WHERE idempotency_key = $1`,
        [reply.idempotencyKey],
      );
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
