import type { Client as PgClient } from 'pg';
import { randomUUID } from 'node:crypto';
import type { SmtpSink } from '../../libs/integrations';
import { createTestUser, type RunningApps, type TestUser } from '../support/apps';
import { insertCustomerWithOrder } from '../support/db';
import { startE2eStack, type E2eStack } from '../support/e2e';
import { eventually } from '../support/eventually';
import { json, type Json } from '../support/http';
import type { TemporalTestContext } from '../support/temporal';

/** Ingestion and decisions under concurrency, over real HTTP against the built API and worker. */
describe('ticket flows end to end', () => {
  let stack: E2eStack;
  let apps: RunningApps;
  let sink: SmtpSink;
  let db: PgClient;
  let temporal: TemporalTestContext;
  let supervisor: TestUser;

  beforeAll(async () => {
    // 50 agents sign in from this one address below: allow it.
    stack = await startE2eStack({
      AUTO_SEND_UNDO_SECONDS: '1',
      REOPEN_WINDOW_SECONDS: '3600',
      AUTH_LOGIN_LIMIT_PER_MINUTE: '1000',
    });
    ({ apps, sink, db, temporal, supervisor } = stack);
  });
  afterAll(() => stack?.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    stack.post(path, body, { ...(path === '/tickets' ? stack.ingest : supervisor.headers), ...headers });
  const getTicket = (ticketId: string): Promise<Json> => stack.ticket(ticketId);

  async function customerWithOrder(): Promise<{ email: string; orderNumber: string }> {
    const email = `c.${randomUUID()}@example.com`;
    const orderNumber = `SL-${Math.floor(Math.random() * 1e9)}`;
    await insertCustomerWithOrder(db, { email, orderNumber });
    return { email, orderNumber };
  }

  function returnRequest(email: string, orderNumber: string, extra: Record<string, unknown> = {}) {
    return {
      messageId: `<${randomUUID()}@mail.example.com>`,
      from: { email, name: 'Casey' },
      subject: 'Return',
      text: `Hello, I would like to return the shirts from order ${orderNumber}, they do not fit. How do I send them back?`,
      orderNumber,
      ...extra,
    };
  }

  it('stores 50 concurrent copies of one message once, with one workflow', async () => {
    const { email, orderNumber } = await customerWithOrder();
    const message = returnRequest(email, orderNumber);
    const answers = await Promise.all(Array.from({ length: 50 }, () => post('/tickets', message)));
    const bodies = await Promise.all(answers.map((res) => json(res)));
    expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
    expect(answers.filter((res) => res.status === 200)).toHaveLength(49);
    expect(new Set(bodies.map((b: Json) => b.ticketId)).size).toBe(1);

    const rows = await db.query(
      'SELECT count(*)::int AS n, count(DISTINCT ticket_id)::int AS tickets FROM messages WHERE message_id = $1',
      [message.messageId],
    );
    expect(rows.rows[0]).toEqual({ n: 1, tickets: 1 });
    const tickets = await db.query('SELECT count(*)::int AS n FROM tickets WHERE customer_email = $1', [email]);
    expect(tickets.rows[0].n).toBe(1);
    const runs = temporal.client.workflow.list({ query: `WorkflowId = 'ticket-${bodies[0].ticketId}'` });
    let count = 0;
    for await (const _run of runs) count += 1;
    expect(count).toBe(1);
  });

  it('threads a customer reply onto the open ticket: re-triage, a new draft version, the old one stale', async () => {
    const { email, orderNumber } = await customerWithOrder();
    const first = returnRequest(email, orderNumber);
    const { ticketId } = await json(await post('/tickets', first));
    await eventually(
      async () => expect((await getTicket(ticketId)).status).toMatch(/^(awaiting_review|escalated)$/),
      30_000,
    );

    const reply = {
      messageId: `<${randomUUID()}@mail.example.com>`,
      from: { email },
      subject: 'Re: Return',
      text: 'This is the third time I am writing. I am really fed up, this is unacceptable and I want a manager now!',
      inReplyTo: first.messageId,
      references: [first.messageId],
    };
    const threaded = await post('/tickets', reply);
    expect(threaded.status).toBe(201);
    expect((await json(threaded)).ticketId).toBe(ticketId);

    const retriaged = await eventually(async () => {
      const ticket = await getTicket(ticketId);
      expect(ticket.draft?.version).toBe(2);
      expect(ticket.status).toBe('escalated');
      return ticket;
    }, 30_000);
    expect(retriaged.thread.map((m: Json) => m.messageId)).toEqual([first.messageId, reply.messageId]);
    expect(retriaged.decision.reasons.map((r: Json) => r.code)).toEqual(expect.arrayContaining(['human_request']));

    const stale = await post(`/tickets/${ticketId}/actions/approve`, { draftVersion: 1 });
    expect(stale.status).toBe(409);
    expect((await json(stale)).error.code).toBe('STALE_DRAFT_VERSION');
  });

  it('sends exactly one email when 50 agents approve at once', async () => {
    const { email, orderNumber } = await customerWithOrder();
    const { ticketId } = await json(await post('/tickets', returnRequest(email, orderNumber)));
    const routed = await eventually(async () => {
      const ticket = await getTicket(ticketId);
      expect(ticket.status).toMatch(/^(awaiting_review|escalated)$/);
      return ticket;
    }, 30_000);

    const agents = await Promise.all(Array.from({ length: 50 }, () => createTestUser(apps, 'supervisor')));
    const answers = await Promise.all(
      agents.map((agent) =>
        post(`/tickets/${ticketId}/actions/approve`, { draftVersion: routed.draft.version }, agent.headers),
      ),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);

    await eventually(() => expect(sink.received.filter((m) => m.to.includes(email))).toHaveLength(1), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(sink.received.filter((m) => m.to.includes(email))).toHaveLength(1);
    const outbox = await db.query('SELECT count(*)::int AS n FROM outbox WHERE ticket_id = $1', [ticketId]);
    expect(outbox.rows[0].n).toBe(1);
    const approvals = await db.query(
      `SELECT count(*)::int AS n FROM ticket_audit WHERE ticket_id = $1 AND action = 'approve'`,
      [ticketId],
    );
    expect(approvals.rows[0].n).toBe(1);
  });

  it('auto-sends an order-status answer from order data after the undo window', async () => {
    const { email, orderNumber } = await customerWithOrder();
    const ask = (id: string) => ({
      messageId: `<${id}@mail.example.com>`,
      from: { email },
      subject: 'Where is my order?',
      text: `Hi, where is my order ${orderNumber}? Thanks!`,
      orderNumber,
    });
    const { ticketId: sent } = await json(await post('/tickets', ask(randomUUID())));
    await eventually(async () => expect((await getTicket(sent)).status).toBe('resolved'), 30_000);
    const mail = await eventually(() => {
      const found = sink.received.find((m) => m.to.includes(email));
      expect(found).toBeDefined();
      return found;
    });
    expect(mail?.raw).toContain(orderNumber);
  });
});
