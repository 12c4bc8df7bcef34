import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity and the inbox:
 * - users (argon2id password hashes), their queue memberships, and per-integration API keys (SHA-256 of a
 *   high-entropy secret; only the key id is stored in the clear);
 * - the inbox index: tickets waiting for a human, per queue, in SLA order with the id as tie-breaker, so keyset
 *   pagination walks one index range per queue;
 * - `ticket_changes` notifications: a trigger announces every change the inbox shows (status, queue, claim,
 *   priority, SLA), so open inboxes update through LISTEN instead of polling.
 */
export class Identity1764270000000 implements MigrationInterface {
  name = 'Identity1764270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        role text NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        token_version int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
    await q.query(`
      CREATE TABLE queue_memberships (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        queue text NOT NULL CHECK (queue IN ('risk', 'priority', 'accessibility', 'standard', 'escalations')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, queue)
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key_id text NOT NULL UNIQUE CHECK (key_id ~ '^[a-z0-9]{12}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        secret_hash bytea NOT NULL,
        scopes text[] NOT NULL CHECK (scopes <@ ARRAY['ingest']::text[] AND cardinality(scopes) > 0),
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX api_keys_active_name_key ON api_keys (name) WHERE revoked_at IS NULL`);

    // The inbox: one ordered range per queue; NULL deadlines (just routed, clock not yet published) sort last.
    await q.query(`
      CREATE INDEX tickets_inbox_idx ON tickets (queue, (coalesce(sla_deadline, 'infinity'::timestamptz)), id)
        WHERE status IN ('awaiting_review', 'escalated', 'auto_send_pending')`);

    await q.query(`
      CREATE FUNCTION notify_ticket_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND NEW.status IS NOT DISTINCT FROM OLD.status
           AND NEW.queue IS NOT DISTINCT FROM OLD.queue
           AND NEW.claimed_by IS NOT DISTINCT FROM OLD.claimed_by
           AND NEW.priority IS NOT DISTINCT FROM OLD.priority
           AND NEW.sla_state IS NOT DISTINCT FROM OLD.sla_state
           AND NEW.sla_deadline IS NOT DISTINCT FROM OLD.sla_deadline
           AND NEW.draft_version IS NOT DISTINCT FROM OLD.draft_version
           AND NEW.escalated IS NOT DISTINCT FROM OLD.escalated THEN
          RETURN NULL;
        END IF;
        PERFORM pg_notify('ticket_changes', json_build_object(
          'id', NEW.id,
          'status', NEW.status,
          'queue', NEW.queue,
          'previousQueue', CASE WHEN TG_OP = 'UPDATE' THEN OLD.queue END,
          'seq', NEW.state_seq
        )::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tickets_notify_change AFTER INSERT OR UPDATE ON tickets
        FOR EACH ROW EXECUTE FUNCTION notify_ticket_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tickets_notify_change ON tickets`);
    await q.query(`DROP FUNCTION notify_ticket_change()`);
    await q.query(`DROP INDEX tickets_inbox_idx`);
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE queue_memberships`);
    await q.query(`DROP TABLE users`);
  }
}
