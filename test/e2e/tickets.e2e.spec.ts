import type { Client as PgClient } from 'pg';
import { randomUUID } from 'node:crypto';
import type { SmtpSink } from '../../libs/integrations';
import type { RunningApps, TestUser } from '../support/apps';
import { insertCustomerWithOrder } from '../support/db';
import { startE2eStack, type E2eStack } from '../support/e2e';
import { eventually } from '../support/eventually';
import { json, type Json } from '../support/http';
import type { TemporalTestContext } from '../support/temporal';

/** The walking skeleton over real HTTP, a real worker process, Temporal, PostgreSQL and SMTP. */
describe('tickets end to end', () => {
  let stack: E2eStack;
  let apps: RunningApps;
  let sink: SmtpSink;
  let db: PgClient;
  let temporal: TemporalTestContext;
  let supervisor: TestUser;

  beforeAll(async () => {
    stack = await startE2eStack({ AUTO_SEND_UNDO_SECONDS: '1', REOPEN_WINDOW_SECONDS: '1' });
    ({ apps, sink, db, temporal, supervisor } = stack);
  });
  afterAll(() => stack?.close());

  // Ingestion authenticates with an ingest API key; agent decisions and reads as a supervisor (sees every queue).
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    stack.post(path, body, { ...(path === '/tickets' ? stack.ingest : supervisor.headers), ...headers });
  const getTicket = (ticketId: string): Promise<Json> => stack.ticket(ticketId);

  it('takes a message in, routes it, and completes the review through the approve Update', async () => {
    const email = `casey.${randomUUID()}@example.com`;
    const orderNumber = `SL-${Math.floor(Math.random() * 1e8)}`;
    await insertCustomerWithOrder(db, { email, orderNumber });
    const message = {
      messageId: `<${randomUUID()}@mail.example.com>`,
      from: { email, name: 'Casey Example' },
      subject: 'Return for my order',
      text: `Hi, the T-shirts from order ${orderNumber} are too small and I would like to return them. How do I send them back?`,
      orderNumber,
    };

    const created = await post('/tickets', message);
    expect(created.status).toBe(201);
    const { ticketId, workflowId } = (await json(created)) as { ticketId: string; workflowId: string };
    expect(workflowId).toBe(`ticket-${ticketId}`);

    const repeat = await post('/tickets', message);
    expect(repeat.status).toBe(200);
    expect(await json(repeat)).toEqual({ ticketId, workflowId });
    const messages = await db.query('SELECT count(*)::int AS n FROM messages WHERE message_id = $1', [
      message.messageId,
    ]);
    expect(messages.rows[0].n).toBe(1);

    const routed = await eventually(async () => {
      const ticket = await getTicket(ticketId);
      expect(['awaiting_review', 'escalated']).toContain(ticket.status);
      return ticket;
    }, 30_000);
    expect(routed.route).toMatch(/^(review|escalate)$/);
    expect(routed.confidence.score).toBeGreaterThanOrEqual(0);
    expect(routed.confidence.score).toBeLessThanOrEqual(1);
    expect(routed.decision.reasons.length).toBeGreaterThan(0);
    expect(routed.order.orderNumber).toBe(orderNumber);
    expect(routed.draft.version).toBe(1);
    expect(routed.draft.body).toContain(orderNumber);
    expect(routed.thread).toHaveLength(1);

    const stale = await post(`/tickets/${ticketId}/actions/approve`, { draftVersion: 2 });
    expect(stale.status).toBe(409);
    expect((await json(stale)).error.code).toBe('STALE_DRAFT_VERSION');

    const approved = await post(
      `/tickets/${ticketId}/actions/approve`,
      { draftVersion: 1 },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(approved.status).toBe(200);
    expect(await json(approved)).toMatchObject({ status: 'sending', draftVersion: 1, claimedBy: supervisor.id });

    const handle = temporal.client.workflow.getHandle(workflowId);
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'), 30_000);
    const row = await db.query('SELECT status, closed_at FROM tickets WHERE id = $1', [ticketId]);
    expect(row.rows[0].status).toBe('closed');
    expect(row.rows[0].closed_at).not.toBeNull();
    const audit = await db.query('SELECT action, actor FROM ticket_audit WHERE ticket_id = $1 ORDER BY id', [ticketId]);
    // the routing decision is an audit row like the agent's decision
    expect(audit.rows).toEqual([
      { action: 'routed', actor: 'system' },
      { action: 'approve', actor: supervisor.id },
    ]);

    await eventually(() => expect(sink.received.filter((m) => m.to.includes(email))).toHaveLength(1));
    const mail = sink.received.find((m) => m.to.includes(email));
    expect(mail?.raw).toMatch(new RegExp(`In-Reply-To: ${escape(message.messageId)}`, 'i'));
    expect(mail?.messageId).toBe(`<reply-1.${ticketId}@seamline.local>`);

    const late = await post(`/tickets/${ticketId}/actions/approve`, { draftVersion: 1 });
    expect(late.status).toBe(409);
    expect((await json(late)).error.code).toMatch(/^(TICKET_CLOSED|TICKET_NOT_AWAITING_REVIEW)$/);
  });

  it('rejects bad input with stable codes and stores nothing', async () => {
    const before = await db.query('SELECT count(*)::int AS n FROM messages');
    const base = { messageId: `<${randomUUID()}@x>`, from: { email: 'a@example.com' }, subject: 's', text: 't' };

    const unknownField = await post('/tickets', { ...base, isAdmin: true });
    expect(unknownField.status).toBe(400);
    const unknownBody = await json(unknownField);
    expect(unknownBody.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(unknownBody.error.details.fields)).toContain('isAdmin');

    const badEmail = await post('/tickets', { ...base, from: { email: 'not-an-email' } });
    expect(badEmail.status).toBe(400);
    expect((await json(badEmail)).error.details.fields).toHaveProperty(['from.email']);

    const tooLongText = await post('/tickets', { ...base, text: 'x'.repeat(100_001) });
    expect(tooLongText.status).toBe(400);

    const hugeBody = await post('/tickets', { ...base, text: 'x'.repeat(300_000) });
    expect(hugeBody.status).toBe(413);
    expect((await json(hugeBody)).error.code).toBe('PAYLOAD_TOO_LARGE');

    const malformed = await post('/tickets', '{"messageId": ');
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error.code).toBe('MALFORMED_JSON');

    const after = await db.query('SELECT count(*)::int AS n FROM messages');
    expect(after.rows[0].n).toBe(before.rows[0].n);

    const missing = await fetch(`${apps.baseUrl}/tickets/${randomUUID()}`, { headers: supervisor.headers });
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('TICKET_NOT_FOUND');
    const notAnId = await post('/tickets/not-a-ticket/actions/approve', { draftVersion: 1 });
    expect(notAnId.status).toBe(404);
  });

  it('serves its OpenAPI document', async () => {
    const res = await fetch(`${apps.baseUrl.replace('/api/v1', '')}/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await json(res)) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/tickets',
        '/api/v1/tickets/{ticketId}',
        '/api/v1/tickets/{ticketId}/actions/approve',
      ]),
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
