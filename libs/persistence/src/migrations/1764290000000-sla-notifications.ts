import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SLA notification outbox. A ladder level writes the notifications it asks for here, in the same transaction
 * as its audit rows and the ticket's state, and the notifier delivers them later with bounded retries: a slow or
 * failing webhook never holds up a ticket's ladder or an agent's decision. One row per
 * (ticket, metric, clock start, level, action) key, so a retried level never queues a second notification.
 */
export class SlaNotifications1764290000000 implements MigrationInterface {
  name = 'SlaNotifications1764290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sla_notifications (
        key text PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        payload jsonb NOT NULL,
        recipient text,
        assign_to text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX sla_notifications_due_idx ON sla_notifications (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX sla_notifications_ticket_idx ON sla_notifications (ticket_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sla_notifications`);
  }
}
