import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email intake: every raw message as received (before anything else happens to it), the parsed messages that
 * became ticket messages, their attachments (content up to a limit), and the quarantine.
 */
export class EmailIntake1764260000000 implements MigrationInterface {
  name = 'EmailIntake1764260000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per distinct raw message (by SHA-256); a redelivery of the same bytes counts up `deliveries`.
    await q.query(`
      CREATE TABLE inbound_raw_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sha256 text NOT NULL UNIQUE,
        channel text NOT NULL CHECK (channel IN ('smtp', 'mime', 'postmark')),
        size_bytes integer NOT NULL,
        raw bytea NOT NULL,
        envelope_from text,
        envelope_to text[] NOT NULL DEFAULT '{}',
        remote_address text,
        deliveries integer NOT NULL DEFAULT 1,
        status text NOT NULL DEFAULT 'stored' CHECK (status IN ('stored', 'accepted', 'quarantined')),
        message_key text,
        ticket_id uuid REFERENCES tickets(id),
        received_at timestamptz NOT NULL DEFAULT now(),
        last_received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz
      )`);
    await q.query(`CREATE INDEX inbound_raw_status_idx ON inbound_raw_messages (status, received_at)`);
    await q.query(`CREATE INDEX inbound_raw_message_key_idx ON inbound_raw_messages (message_key)`);
    // One row per message identity (Message-ID or derived key): what was parsed, split and decided about it.
    await q.query(`
      CREATE TABLE inbound_messages (
        message_key text PRIMARY KEY,
        key_source text NOT NULL CHECK (key_source IN ('message-id', 'derived')),
        raw_id uuid NOT NULL REFERENCES inbound_raw_messages(id),
        content_hash text NOT NULL,
        from_email text NOT NULL,
        from_name text,
        subject text NOT NULL,
        text_new text NOT NULL,
        text_quoted text NOT NULL DEFAULT '',
        text_signature text NOT NULL DEFAULT '',
        text_full text NOT NULL,
        html_sanitized text,
        in_reply_to text,
        "references" text[] NOT NULL DEFAULT '{}',
        token_ticket_id uuid,
        sender_verified boolean NOT NULL,
        sender_trust jsonb NOT NULL,
        stats jsonb NOT NULL,
        ticket_id uuid REFERENCES tickets(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX inbound_messages_ticket_idx ON inbound_messages (ticket_id)`);
    await q.query(`
      CREATE TABLE inbound_attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_key text NOT NULL REFERENCES inbound_messages(message_key),
        ordinal integer NOT NULL,
        part_id text,
        filename text,
        content_type text NOT NULL,
        disposition text,
        content_id text,
        inline boolean NOT NULL DEFAULT false,
        size_bytes bigint NOT NULL,
        sha256 text NOT NULL,
        content bytea,
        omitted_reason text CHECK (omitted_reason IN ('over_limit')),
        CHECK ((content IS NULL) = (omitted_reason IS NOT NULL)),
        UNIQUE (message_key, ordinal)
      )`);
    // Never drop: a message that cannot or must not become a ticket message is kept here, raw, with the reason.
    await q.query(`
      CREATE TABLE inbound_quarantine (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        raw_id uuid NOT NULL UNIQUE REFERENCES inbound_raw_messages(id),
        reason text NOT NULL,
        detail text NOT NULL,
        message_key text,
        from_email text,
        subject text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX inbound_quarantine_created_idx ON inbound_quarantine (created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['inbound_quarantine', 'inbound_attachments', 'inbound_messages', 'inbound_raw_messages']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
