import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Raw mail that was stored but never finished (the parser pool was full, the database or Temporal failed half-way
 * and the sender did not retry) is taken up again by the API's intake recovery; `retry_leased_until` keeps two API
 * instances off the same message.
 */
export class IntakeRetry1764310000000 implements MigrationInterface {
  name = 'IntakeRetry1764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_raw_messages ADD COLUMN retry_leased_until timestamptz`);
    await q.query(
      `CREATE INDEX inbound_raw_stalled_idx ON inbound_raw_messages (last_received_at) WHERE status = 'stored'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX inbound_raw_stalled_idx`);
    await q.query(`ALTER TABLE inbound_raw_messages DROP COLUMN retry_leased_until`);
  }
}
