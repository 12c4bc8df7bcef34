import type { DataSource } from 'typeorm';

/** What is waiting to go out or to be looked at: counts only, for the metrics gauges. */
export interface OperationsBacklog {
  /** Replies and acknowledgements recorded in the outbox and not yet delivered. */
  outboxPending: number;
  /** SLA notifications waiting for delivery (or a retry). */
  notificationsPending: number;
  /** SLA notifications that gave up. */
  notificationsFailed: number;
  /** Inbound mail held in quarantine and not yet released or discarded. */
  quarantineOpen: number;
}

/** Counts for the metrics endpoints; one round trip, no row content. */
export class OperationsStats {
  constructor(private readonly db: DataSource) {}

  async backlog(): Promise<OperationsBacklog> {
    const rows: Array<Record<string, number>> = await this.db.query(`
      SELECT
        (SELECT count(*)::int FROM outbox WHERE sent_at IS NULL) AS outbox_pending,
        (SELECT count(*)::int FROM sla_notifications WHERE status = 'pending') AS notifications_pending,
        (SELECT count(*)::int FROM sla_notifications WHERE status = 'failed') AS notifications_failed,
        (SELECT count(*)::int FROM inbound_quarantine WHERE resolution IS NULL) AS quarantine_open`);
    const row = rows[0] ?? {};
    return {
      outboxPending: row.outbox_pending ?? 0,
      notificationsPending: row.notifications_pending ?? 0,
      notificationsFailed: row.notifications_failed ?? 0,
      quarantineOpen: row.quarantine_open ?? 0,
    };
  }
}
