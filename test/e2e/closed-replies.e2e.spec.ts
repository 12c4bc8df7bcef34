import { randomUUID } from 'node:crypto';
import { insertCustomerWithOrder } from '../support/db';
import { startE2eStack, type E2eStack } from '../support/e2e';
import { eventually } from '../support/eventually';
import { json, type Json } from '../support/http';

/** A customer reply to a closed ticket: a new ticket linked to it (default), or the same ticket reopened. */
describe.each([
  ['link', false],
  ['reopen', true],
] as const)('replies to closed tickets (CLOSED_TICKET_REPLIES=%s)', (mode, reopens) => {
  let stack: E2eStack;

  beforeAll(async () => {
    stack = await startE2eStack({
      CLOSED_TICKET_REPLIES: mode,
      REOPEN_WINDOW_SECONDS: '1',
      AUTO_SEND_UNDO_SECONDS: '1',
    });
  });
  afterAll(() => stack?.close());

  it(reopens ? 'reopens the ticket and triages the reply' : 'opens a new ticket linked to the closed one', async () => {
    const email = `closed.${randomUUID()}@example.com`;
    const orderNumber = `SL-${Math.floor(Math.random() * 1e9)}`;
    await insertCustomerWithOrder(stack.db, { email, orderNumber });
    const first = {
      messageId: `<${randomUUID()}@example.com>`,
      from: { email },
      subject: 'Where is it?',
      text: `Hi, where is my order ${orderNumber}?`,
      orderNumber,
    };
    const { ticketId } = await json(await stack.post('/tickets', first));
    await eventually(async () => expect((await stack.ticket(ticketId)).status).toBe('closed'), 60_000);

    const reply = {
      messageId: `<${randomUUID()}@example.com>`,
      from: { email },
      subject: 'Re: Where is it?',
      text: 'Thanks, but the tracking has not moved for a week. Can you check again?',
      inReplyTo: first.messageId,
    };
    const res = await stack.post('/tickets', reply);
    expect(res.status).toBe(201);
    const answer = await json(res);
    const ticket: Json = await eventually(async () => {
      const current = await stack.ticket(answer.ticketId);
      expect(current.route).not.toBeNull();
      expect(current.status).not.toBe('closed');
      expect(current.thread.map((m: Json) => m.messageId)).toContain(reply.messageId);
      return current;
    }, 60_000);
    if (reopens) {
      expect(answer.ticketId).toBe(ticketId);
      expect(ticket.thread.map((m: Json) => m.messageId)).toEqual(
        expect.arrayContaining([first.messageId, reply.messageId]),
      );
    } else {
      expect(answer.ticketId).not.toBe(ticketId);
      expect(ticket.parentTicketId).toBe(ticketId);
      expect(ticket.linkReason).toBe('closed_ticket_reply');
    }

    // The approved answer to the reply goes out, as a new reply: its number never collides with the first run's.
    const toCustomer = () => stack.sink.received.filter((m) => m.to.includes(email));
    const before = toCustomer().length;
    // An auto-send goes out by itself after its undo window; a draft for review needs the agent's approval.
    if (ticket.status === 'awaiting_review' || ticket.status === 'escalated') {
      const approve = await stack.post(`/tickets/${answer.ticketId}/actions/approve`, {
        draftVersion: ticket.draftVersion,
      });
      expect(approve.status).toBe(200);
    }
    await eventually(() => expect(toCustomer()).toHaveLength(before + 1), 30_000);
    const ids = toCustomer().map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
