import { randomUUID } from 'node:crypto';
import { insertCustomerWithOrder } from '../support/db';
import { startE2eStack, type E2eStack } from '../support/e2e';
import { eventually } from '../support/eventually';
import { json, type Json } from '../support/http';
import { answer, FakeOpenAi } from '../support/fake-openai';

/**
 * The OpenAI path over the real stack, against a real HTTP server that speaks the chat-completions API: a model
 * that keeps answering garbage never fails the ticket; it goes to a human with the reason `classifier_unavailable`.
 */
describe('language model failures end to end', () => {
  let openai: FakeOpenAi;
  let stack: E2eStack;

  beforeAll(async () => {
    openai = await FakeOpenAi.start();
    stack = await startE2eStack({
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'test-key-not-secret',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_MODEL: 'fake-model',
      OPENAI_TIMEOUT_MS: '2000',
    });
  });
  afterAll(async () => {
    await stack?.close();
    await openai?.close();
  });

  it('routes to a human with classifier_unavailable when the model output stays invalid, and never sends', async () => {
    // classify: invalid, then invalid again after the repair request; draft: rejected (permanent).
    openai.script(
      answer.content('{"intents": [ not json'),
      answer.truncated('{"intents": [{"intent": "order_st'),
      answer.status(401, 'bad key'),
    );
    const email = `llm.${randomUUID()}@example.com`;
    const orderNumber = `SL-${Math.floor(Math.random() * 1e9)}`;
    await insertCustomerWithOrder(stack.db, { email, orderNumber });
    const res = await stack.post('/tickets', {
      messageId: `<${randomUUID()}@example.com>`,
      from: { email },
      subject: 'Order',
      text: `Hi, where is my order ${orderNumber}?`,
      orderNumber,
    });
    expect(res.status).toBe(201);
    const { ticketId, workflowId } = await json(res);

    const ticket: Json = await eventually(async () => {
      const current = await stack.ticket(ticketId);
      expect(current.route).not.toBeNull();
      return current;
    }, 60_000);
    expect(ticket.route).toBe('escalate');
    expect(ticket.decision.reasons.map((r: Json) => r.code)).toContain('classifier_unavailable');
    expect(ticket.draft).toBeNull();
    expect(openai.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(3);
    expect(openai.requests[1]?.body.messages.at(-1).content).toMatch(/invalid|not valid|error/i); // the repair request says what was wrong
    expect((await stack.temporal.client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');
    expect(stack.sink.received.filter((m) => m.to.includes(email))).toHaveLength(0);
  });
});
