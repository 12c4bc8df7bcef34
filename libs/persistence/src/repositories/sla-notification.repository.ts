import type { DataSource } from 'typeorm';
import type { EscalationActionInput, NotificationOutbox, QueuedNotification } from '../../../domain';

interface Row {
  key: string;
  ticket_id: string;
  payload: EscalationActionInput;
  recipient: string | null;
  attempts: number;
  created_at: Date;
}

/** The SLA notification outbox as the notifier works it (rows are written by TicketRepository.recordSlaPass). */
export class SlaNotificationRepository implements NotificationOutbox {
  constructor(private readonly db: DataSource) {}

  /** Leases due rows with SKIP LOCKED, so several notifiers never take the same row. */
  async claimDue(limit: number, leaseMs: number): Promise<QueuedNotification[]> {
    const rows: Row[] = await this.db.query(
      // A CTE, so the driver answers with the rows themselves (a bare UPDATE … RETURNING answers [rows, count]).
      `WITH claimed AS (
         UPDATE sla_notifications n SET locked_until = now() + ($2::int * interval '1 millisecond')
          WHERE n.key IN (SELECT key FROM sla_notifications
                           WHERE status = 'pending' AND next_attempt_at <= now()
                             AND (locked_until IS NULL OR locked_until < now())
                           ORDER BY next_attempt_at
                           LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING n.key, n.ticket_id, n.payload, n.recipient, n.attempts, n.created_at)
       SELECT * FROM claimed`,
      [limit, leaseMs],
    );
    return rows.map((r) => ({
      key: r.key,
      ticketId: r.ticket_id,
      input: r.payload,
      recipient: r.recipient,
      attempts: r.attempts,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async markSent(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.query(
      `UPDATE sla_notifications SET status = 'sent', sent_at = now(), attempts = attempts + 1, locked_until = NULL
        WHERE key = ANY($1::text[]) AND status = 'pending'`,
      [keys],
    );
  }

  async markRetry(key: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.db.query(
      `UPDATE sla_notifications SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, locked_until = NULL
        WHERE key = $1 AND status = 'pending'`,
      [key, error.slice(0, 1_000), nextAttemptAt],
    );
  }

  /** Gives up on a notification and records it on the ticket's audit trail, once. */
  async markFailed(key: string, error: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const rows: { ticket_id: string; payload: EscalationActionInput; attempts: number }[] = await tx.query(
        `WITH failed AS (
           UPDATE sla_notifications SET status = 'failed', attempts = attempts + 1, last_error = $2, locked_until = NULL
            WHERE key = $1 AND status = 'pending' RETURNING ticket_id, payload, attempts)
         SELECT * FROM failed`,
        [key, error.slice(0, 1_000)],
      );
      const row = rows[0];
      if (!row) return;
      await tx.query(
        `INSERT INTO ticket_audit (ticket_id, key, actor, action, before, after)
         VALUES ($1, $2, 'system', 'sla_action_failed', $3, $4) ON CONFLICT (key) DO NOTHING`,
        [
          row.ticket_id,
          `notification-failed:${key}`,
          JSON.stringify({ level: row.payload.levelId, action: row.payload.action.type }),
          JSON.stringify({ error: error.slice(0, 500), attempts: row.attempts }),
        ],
      );
    });
  }
}
