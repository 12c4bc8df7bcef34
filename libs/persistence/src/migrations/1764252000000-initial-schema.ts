import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764252000000 implements MigrationInterface {
  name = 'InitialSchema1764252000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL UNIQUE,
        name text NOT NULL,
        vip boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_number text NOT NULL UNIQUE,
        customer_id uuid NOT NULL REFERENCES customers(id),
        status text NOT NULL,
        placed_at timestamptz NOT NULL,
        total numeric(12,2) NOT NULL,
        currency char(3) NOT NULL,
        shipping_country char(2) NOT NULL,
        lines jsonb NOT NULL,
        shipments jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX orders_customer_idx ON orders (customer_id, placed_at DESC)`);
    await q.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY,
        workflow_id text NOT NULL UNIQUE,
        status text NOT NULL,
        customer_email text NOT NULL,
        subject text NOT NULL,
        order_number text,
        route text,
        queue text,
        priority text,
        confidence numeric(4,3),
        draft_version int NOT NULL DEFAULT 0,
        claimed_by text,
        escalated boolean NOT NULL DEFAULT false,
        sla_state text NOT NULL DEFAULT 'ok',
        sla_deadline timestamptz,
        state_seq bigint NOT NULL DEFAULT 0,
        triage jsonb,
        parent_ticket_id uuid REFERENCES tickets(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX tickets_status_queue_idx ON tickets (status, queue)`);
    await q.query(`CREATE INDEX tickets_customer_idx ON tickets (customer_email, created_at DESC)`);
    await q.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        message_id text NOT NULL UNIQUE,
        direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        from_email text NOT NULL,
        from_name text,
        to_email text,
        subject text NOT NULL,
        body_text text NOT NULL,
        body_html text,
        order_number text,
        in_reply_to text,
        "references" text[] NOT NULL DEFAULT '{}',
        sender_verified boolean NOT NULL DEFAULT true,
        sender_trust_reason text,
        received_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX messages_ticket_idx ON messages (ticket_id, received_at)`);
    await q.query(`
      CREATE TABLE outbox (
        idempotency_key text PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        draft_version int NOT NULL,
        message_id text NOT NULL,
        sent_by text NOT NULL,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ticket_audit (
        id bigserial PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        key text NOT NULL UNIQUE,
        actor text NOT NULL,
        action text NOT NULL,
        before jsonb,
        after jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ticket_audit_ticket_idx ON ticket_audit (ticket_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['ticket_audit', 'outbox', 'messages', 'tickets', 'orders', 'customers']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
