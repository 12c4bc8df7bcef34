import { randomUUID } from 'node:crypto';
import { insertCustomerWithOrder } from '../support/db';
import { startE2eStack, type E2eStack } from '../support/e2e';
import { eventually } from '../support/eventually';
import { json } from '../support/http';

/** An open ticket whose workflow is gone is started again from the read model by the worker's reconciliation. */
describe('reconciliation of open tickets without a workflow', () => {
  let stack: E2eStack;

  beforeAll(async () => {
    stack = await startE2eStack({ RECONCILE_INTERVAL_SECONDS: '1', RECONCILE_QUIET_SECONDS: '0' });
  });
  afterAll(() => stack?.close());

  it('restarts a terminated ticket workflow once, and the ticket can still be answered', async () => {
    const email = `lost.${randomUUID()}@example.com`;
    const orderNumber = `SL-${Math.floor(Math.random() * 1e9)}`;
    const { db, temporal, sink } = stack;
    await insertCustomerWithOrder(db, { email, orderNumber });
    const res = await stack.post('/tickets', {
      messageId: `<${randomUUID()}@example.com>`,
      from: { email },
      subject: 'Return',
      text: `I would like to return the shirts from order ${orderNumber}, they do not fit. How do I send them back?`,
      orderNumber,
    });
    expect(res.status).toBe(201);
    const { ticketId, workflowId } = await json(res);
    const ticket = () => stack.ticket(ticketId);
    await eventually(async () => expect((await ticket()).status).toMatch(/^(awaiting_review|escalated)$/), 30_000);

    const lost = await temporal.client.workflow.getHandle(workflowId).describe();
    await temporal.client.workflow.getHandle(workflowId).terminate('simulated loss of the workflow');

    const restarted = await eventually(async () => {
      const description = await temporal.client.workflow.getHandle(workflowId).describe();
      expect(description.status.name).toBe('RUNNING');
      expect(description.runId).not.toBe(lost.runId);
      return description;
    }, 30_000);
    const view = await eventually(async () => {
      const current = await ticket();
      expect(current.status).toMatch(/^(awaiting_review|escalated)$/);
      return current;
    }, 30_000);

    // Idempotent: the next passes leave the running workflow alone.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await temporal.client.workflow.getHandle(workflowId).describe()).runId).toBe(restarted.runId);

    const approve = await stack.post(`/tickets/${ticketId}/actions/approve`, { draftVersion: view.draft.version });
    expect(approve.status).toBe(200);
    await eventually(() => expect(sink.received.filter((m) => m.to.includes(email))).toHaveLength(1), 30_000);
    // The new run's state reaches the read model (its writes are ordered after the lost run's).
    await eventually(async () => expect((await ticket()).status).toBe('resolved'), 30_000);
  });

  it('hands a stored follow-up that never reached its workflow over to it, once', async () => {
    const email = `unsignalled.${randomUUID()}@example.com`;
    const { db } = stack;
    const first = await json(
      await stack.post('/tickets', {
        messageId: `<${randomUUID()}@example.com>`,
        from: { email },
        subject: 'Question',
        text: 'Hello, can you tell me more about the materials of your winter jackets?',
      }),
    );
    await eventually(async () => expect((await stack.ticket(first.ticketId)).draftVersion).toBe(1), 30_000);

    // What the API leaves when Temporal refuses the signal and the sender never retries: stored, not handed over.
    const followUp = `<${randomUUID()}@example.com>`;
    await db.query(
      `INSERT INTO messages (ticket_id, message_id, direction, from_email, subject, body_text, received_at, handed_over_at)
       VALUES ($1, $2, 'inbound', $3, 'Re: Question', 'And do you ship them to Norway?', now(), NULL)`,
      [first.ticketId, followUp, email],
    );
    await eventually(async () => {
      const ticket = await stack.ticket(first.ticketId);
      expect(ticket.draftVersion).toBe(2);
      expect(ticket.status).toMatch(/^(awaiting_review|escalated)$/);
    }, 30_000);
    const handedOver = await db.query(`SELECT handed_over_at FROM messages WHERE message_id = $1`, [followUp]);
    expect(handedOver.rows[0].handed_over_at).not.toBeNull();
    // Once handed over it is not signalled again: no third draft.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await stack.ticket(first.ticketId)).draftVersion).toBe(2);
  });
});
