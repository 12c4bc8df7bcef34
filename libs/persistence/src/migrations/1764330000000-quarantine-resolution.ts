import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A quarantine entry is not a dead end: a supervisor releases it (the message re-enters intake once) or discards it
 * with a reason. Who did which, when and why stays on the entry, which is never deleted.
 */
export class QuarantineResolution1764330000000 implements MigrationInterface {
  name = 'QuarantineResolution1764330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE inbound_quarantine
        ADD COLUMN resolution text CHECK (resolution IN ('released', 'discarded')),
        ADD COLUMN resolved_by text,
        ADD COLUMN resolved_at timestamptz,
        ADD COLUMN resolution_reason text,
        ADD COLUMN released_ticket_id uuid REFERENCES tickets(id),
        ADD CONSTRAINT inbound_quarantine_resolution_check2
          CHECK ((resolution IS NULL) = (resolved_at IS NULL) AND (resolution IS NULL) = (resolved_by IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE inbound_quarantine
        DROP CONSTRAINT inbound_quarantine_resolution_check2,
        DROP COLUMN released_ticket_id,
        DROP COLUMN resolution_reason,
        DROP COLUMN resolved_at,
        DROP COLUMN resolved_by,
        DROP COLUMN resolution`);
  }
}
