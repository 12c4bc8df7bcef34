import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound messages of two kinds: replies, and the acknowledgements that tell a customer a person has their
 * request. An acknowledgement answers nothing: the customer's message stays unanswered for triage and the SLA.
 */
export class Acknowledgements1764320000000 implements MigrationInterface {
  name = 'Acknowledgements1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE messages ADD COLUMN kind text NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'acknowledgement'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP COLUMN kind`);
  }
}
