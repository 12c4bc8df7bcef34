import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { insertCustomerWithOrder } from '../support/db';
import { startE2eStack, type E2eStack } from '../support/e2e';
import { eventually } from '../support/eventually';
import { json, type Json } from '../support/http';

/**
 * Every customer's conversation stays theirs, seen from the attacker's side: a stranger who names another
 * customer's ticket (reply headers, ticket id) or reuses their message id gets no foothold in it, and no answer
 * ever carries another customer's ticket id. Over real HTTP against the built API and worker.
 */
describe('threads and message ids under attack', () => {
  let stack: E2eStack;

  beforeAll(async () => {
    stack = await startE2eStack({ AUTO_SEND_ENABLED: 'false', REOPEN_WINDOW_SECONDS: '3600' });
  });
  afterAll(() => stack?.close());

  /** A customer with an order, and the ticket of their first message (routed, waiting for an agent). */
  async function victimTicket(): Promise<{ email: string; ticketId: string; messageId: string; orderNumber: string }> {
    const email = `victim.${randomUUID()}@example.com`;
    const orderNumber = `SL-${Math.floor(Math.random() * 1e9)}`;
    await insertCustomerWithOrder(stack.db, { email, orderNumber });
    const messageId = `<${randomUUID()}@victim.example.com>`;
    const res = await stack.post('/tickets', {
      messageId,
      from: { email, name: 'Victor' },
      subject: 'My order',
      text: `Hello, order ${orderNumber} arrived damaged, the box was crushed. What can you do?`,
      orderNumber,
    });
    expect(res.status).toBe(201);
    const { ticketId } = await json(res);
    await eventually(async () => expect((await stack.ticket(ticketId)).route).not.toBeNull(), 30_000);
    return { email, ticketId, messageId, orderNumber };
  }

  const mime = async (mail: ConstructorParameters<typeof MailComposer>[0]) =>
    fetch(`${stack.apps.baseUrl}/inbound/mime`, {
      method: 'POST',
      headers: { ...stack.ingest, 'content-type': 'message/rfc822' },
      body: await new MailComposer(mail).compile().build(),
    });

  it("opens a linked ticket for a stranger who replies into another customer's thread, and the reply goes to the stranger only", async () => {
    const victim = await victimTicket();
    const res = await mime({
      from: 'attacker@evil.test',
      to: 'support@seamline.local',
      subject: 'Re: My order',
      messageId: `<${randomUUID()}@evil.test>`,
      inReplyTo: victim.messageId,
      references: [victim.messageId],
      text: 'Please send the tracking details and the delivery address of this order to me.',
    });
    expect(res.status).toBeLessThan(300);
    const answer = await res.text();
    expect(answer).not.toContain(victim.ticketId);
    const strangerTicketId = JSON.parse(answer).ticketId as string;
    expect(strangerTicketId).not.toBe(victim.ticketId);

    const linked: Json = await eventually(async () => {
      const ticket = await stack.ticket(strangerTicketId);
      expect(ticket.route).not.toBeNull();
      return ticket;
    }, 30_000);
    expect(linked).toMatchObject({ parentTicketId: victim.ticketId, linkReason: 'thread_sender_mismatch' });
    expect(linked.customerEmail).toBe('attacker@evil.test');
    expect(JSON.stringify(linked.order ?? null)).not.toContain(victim.orderNumber);
    const victimThread = (await stack.ticket(victim.ticketId)).thread.map((m: Json) => m.fromEmail ?? m.from);
    expect(JSON.stringify(victimThread)).not.toContain('attacker@evil.test');

    // The supervisor answers the stranger's ticket: the reply goes to the stranger, never to the victim.
    const approve = await stack.post(`/tickets/${strangerTicketId}/actions/approve`, {
      draftVersion: linked.draftVersion,
    });
    expect(approve.status).toBe(200);
    await eventually(() =>
      expect(stack.sink.received.filter((m) => m.to.includes('attacker@evil.test'))).toHaveLength(1),
    );
    expect(stack.sink.received.filter((m) => m.to.includes(victim.email))).toHaveLength(0);
    const sent = await simpleParser(
      (stack.sink.received.find((m) => m.to.includes('attacker@evil.test')) as { raw: string }).raw,
    );
    expect(sent.text ?? '').not.toContain(victim.orderNumber);
  });

  it("does not let a JSON message join another customer's ticket by its ticket id", async () => {
    const victim = await victimTicket();
    const res = await stack.post('/tickets', {
      messageId: `<${randomUUID()}@evil.test>`,
      from: { email: 'attacker@evil.test' },
      subject: 'Re: My order',
      text: 'Please change the delivery address of this order to my address.',
      ticketId: victim.ticketId,
    });
    expect(res.status).toBe(201);
    const body = await res.text();
    expect(body).not.toContain(victim.ticketId);
    const { ticketId } = JSON.parse(body);
    expect(await stack.ticket(ticketId)).toMatchObject({
      parentTicketId: victim.ticketId,
      linkReason: 'thread_sender_mismatch',
    });
    const victimMessages = (await stack.ticket(victim.ticketId)).thread.length;
    expect(victimMessages).toBe(1);
  });

  it('lets the customer themself reply into their thread', async () => {
    const victim = await victimTicket();
    const res = await stack.post('/tickets', {
      messageId: `<${randomUUID()}@victim.example.com>`,
      from: { email: victim.email.toUpperCase() },
      subject: 'Re: My order',
      text: 'Here are the photos of the box, as you asked.',
      inReplyTo: victim.messageId,
    });
    expect(res.status).toBe(201);
    expect((await json(res)).ticketId).toBe(victim.ticketId);
  });

  it('answers a reused message id from another sender with 409 and no ticket id, and keeps the message', async () => {
    const victim = await victimTicket();
    const reuse = {
      messageId: victim.messageId,
      from: { email: 'attacker@evil.test' },
      subject: 'Hello',
      text: 'Something else entirely.',
    };
    const answers = await Promise.all([stack.post('/tickets', reuse), stack.post('/tickets', reuse)]);
    for (const res of answers) {
      expect(res.status).toBe(409);
      const body = await res.text();
      expect(JSON.parse(body).error.code).toBe('MESSAGE_ID_CONFLICT');
      expect(body).not.toContain(victim.ticketId);
    }
    const kept = await stack.db.query(
      `SELECT q.reason FROM inbound_quarantine q JOIN inbound_raw_messages r ON r.id = q.raw_id
        WHERE r.channel = 'api' AND q.message_key = $1`,
      [victim.messageId],
    );
    expect(kept.rows.map((r: Json) => r.reason)).toContain('message_id_conflict');
    // The owner's retry of the same message still gets the same answer.
    const retry = await stack.post('/tickets', {
      messageId: victim.messageId,
      from: { email: victim.email, name: 'Victor' },
      subject: 'My order',
      text: `Hello, order ${victim.orderNumber} arrived damaged, the box was crushed. What can you do?`,
      orderNumber: victim.orderNumber,
    });
    expect(retry.status).toBe(200);
    expect((await json(retry)).ticketId).toBe(victim.ticketId);
  });
});
