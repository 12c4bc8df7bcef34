import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Earned autonomy's evidence and its results. One outcome row per routed draft: how it was routed and why, and
 * what became of it (sent as drafted, edited and by how much, rejected, reassigned, sent on its own, stopped in the
 * undo window, the customer unhappy afterwards, the intent as an agent corrected it). Routing policies are
 * versioned rows, never updated; admins' controls per intent, and every admin change in an audit table.
 */
export class RoutingOutcomes1764350000000 implements MigrationInterface {
  name = 'RoutingOutcomes1764350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE routing_outcomes (
        id bigserial PRIMARY KEY,
        key text NOT NULL UNIQUE,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        draft_version int NOT NULL,
        policy_version text NOT NULL,
        route text NOT NULL CHECK (route IN ('auto', 'review', 'escalate')),
        reasons text[] NOT NULL,
        intent text NOT NULL,
        confidence double precision NOT NULL,
        mode text NOT NULL CHECK (mode IN ('human', 'shadow', 'auto')),
        candidate boolean NOT NULL,
        routed_at timestamptz NOT NULL DEFAULT now(),
        final_action text CHECK (final_action IN
          ('sent_as_is', 'edited', 'rejected', 'auto_sent', 'auto_cancelled', 'superseded')),
        decided_by text,
        decided_at timestamptz,
        edit_distance double precision CHECK (edit_distance BETWEEN 0 AND 1),
        reassigned boolean NOT NULL DEFAULT false,
        unhappy boolean NOT NULL DEFAULT false,
        corrected_intent text,
        corrected_by text
      )`);
    await q.query(`CREATE INDEX routing_outcomes_ticket_idx ON routing_outcomes (ticket_id, id)`);
    await q.query(
      `CREATE INDEX routing_outcomes_evidence_idx ON routing_outcomes (intent) WHERE candidate AND mode <> 'human'`,
    );
    await q.query(`
      CREATE TABLE routing_policies (
        version int PRIMARY KEY,
        name text NOT NULL UNIQUE,
        policy jsonb NOT NULL,
        intents jsonb NOT NULL,
        reason text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE intent_controls (
        intent text PRIMARY KEY,
        pinned_human boolean NOT NULL DEFAULT false,
        target_risk double precision CHECK (target_risk > 0 AND target_risk <= 0.2),
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE admin_audit (
        id bigserial PRIMARY KEY,
        key text NOT NULL UNIQUE,
        actor text NOT NULL,
        action text NOT NULL,
        before jsonb,
        after jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE admin_audit`);
    await q.query(`DROP TABLE intent_controls`);
    await q.query(`DROP TABLE routing_policies`);
    await q.query(`DROP TABLE routing_outcomes`);
  }
}
