import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trust in threads and hand-over:
 * - `tickets.link_reason`: why a message opened a ticket linked to another instead of joining it (a sender who is
 *   not the ticket's customer: `thread_sender_mismatch`; a reply to a closed ticket: `closed_ticket_reply`);
 * - `messages.handed_over_at`: when the message reached its ticket's workflow (started or signalled). Stored but
 *   not handed over messages are what reconciliation hands over again; every earlier message counts as handed over;
 * - the raw intake keeps JSON messages too (`api`), so a message-id conflict on the JSON API is kept, not dropped.
 */
export class ThreadTrust1764300000000 implements MigrationInterface {
  name = 'ThreadTrust1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN link_reason text`);
    await q.query(`ALTER TABLE messages ADD COLUMN handed_over_at timestamptz`);
    await q.query(`UPDATE messages SET handed_over_at = created_at`);
    await q.query(
      `CREATE INDEX messages_not_handed_over_idx ON messages (created_at) WHERE handed_over_at IS NULL AND direction = 'inbound'`,
    );
    await q.query(`ALTER TABLE inbound_raw_messages DROP CONSTRAINT inbound_raw_messages_channel_check`);
    await q.query(
      `ALTER TABLE inbound_raw_messages ADD CONSTRAINT inbound_raw_messages_channel_check CHECK (channel IN ('smtp', 'mime', 'postmark', 'api'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_raw_messages DROP CONSTRAINT inbound_raw_messages_channel_check`);
    await q.query(
      `ALTER TABLE inbound_raw_messages ADD CONSTRAINT inbound_raw_messages_channel_check CHECK (channel IN ('smtp', 'mime', 'postmark'))`,
    );
    await q.query(`DROP INDEX messages_not_handed_over_idx`);
    await q.query(`ALTER TABLE messages DROP COLUMN handed_over_at`);
    await q.query(`ALTER TABLE tickets DROP COLUMN link_reason`);
  }
}
