import { ApplicationFailure } from '@temporalio/activity';
import { activityEnvironment } from '../../test/support/activity-env';
import {
  classifyOffline,
  DEFAULT_ROUTING_POLICY,
  draftOffline,
  OutboxConflictError,
  PermanentDeliveryError,
  PermanentLlmError,
  RetryableLlmError,
  scoreConfidence,
  type AuditEntry,
  type Mailer,
  type OrderSnapshot,
  type OutboundReply,
  type ThreadMessage,
  type TicketStore,
} from '../../libs/domain';
import { order as orderFixture, POLICY } from '../../libs/domain/testing';
import { createTicketActivities, type SendReplyInput, type TicketActivityDeps } from './ticket.activities';

/** In-memory ports that behave like the real ones where the activities depend on it (outbox keys, order). */
function fakes(thread: ThreadMessage[] = [message()]) {
  const calls: string[] = [];
  const outbox = new Map<string, OutboundReply & { delivered: boolean }>();
  const audit: AuditEntry[] = [];
  const tickets: TicketStore = {
    loadThread: async () => thread,
    loadTicket: async () => ({ customerEmail: 'jane@example.com', repliesRecorded: outbox.size }),
    saveTriage: async () => undefined,
    saveState: async () => undefined,
    recordReply: async (reply) => {
      calls.push(`outbox:${reply.idempotencyKey}`);
      const existing = outbox.get(reply.idempotencyKey);
      if (existing && (existing.body !== reply.body || existing.to !== reply.to)) {
        throw new OutboxConflictError(`outbox key ${reply.idempotencyKey} already holds a different reply`);
      }
      const row = existing ?? { ...reply, delivered: false };
      outbox.set(reply.idempotencyKey, row);
      return { delivered: row.delivered };
    },
    markReplyDelivered: async (key) => {
      calls.push(`delivered:${key}`);
      const row = outbox.get(key);
      if (row) row.delivered = true;
    },
    recordAudit: async (entry) => void audit.push(entry),
    recordSlaPass: async (pass) => {
      audit.push(...pass.audits);
      return { assignTo: null };
    },
  };
  const sent: Parameters<Mailer['send']>[0][] = [];
  let mailerFailure: Error | null = null;
  const mailer: Mailer = {
    send: async (mail) => {
      calls.push(`smtp:${mail.messageId}`);
      if (mailerFailure) throw mailerFailure;
      sent.push(mail);
    },
  };
  const lookups: Parameters<TicketActivityDeps['orders']['findOrder']>[0][] = [];
  const contactQueries: Parameters<TicketActivityDeps['contacts']['earlierContacts']>[0][] = [];
  const deps: TicketActivityDeps = {
    tickets,
    orders: {
      findOrder: async (query) => {
        lookups.push(query);
        return orderFixture();
      },
    },
    contacts: {
      earlierContacts: async (query) => {
        contactQueries.push(query);
        return 2;
      },
    },
    classifier: { classify: async (input) => classifyOffline(input) },
    drafter: { draft: async (input) => draftOffline(input) },
    mailer,
    escalations: { run: async (input) => ({ handled: input.action.type === 'notify' }) },
    store: POLICY,
    routingPolicy: DEFAULT_ROUTING_POLICY,
    autoSendEnabled: true,
    messageIdDomain: 'support.test',
    now: () => new Date('2026-03-10T12:00:00Z'),
  };
  return {
    deps,
    calls,
    outbox,
    audit,
    sent,
    lookups,
    contactQueries,
    failSmtp: (error: Error | null) => void (mailerFailure = error),
  };
}

function message(over: Partial<ThreadMessage> = {}): ThreadMessage {
  return {
    direction: 'inbound',
    messageId: '<m1@customer.test>',
    from: { email: 'jane@example.com', name: 'Jane' },
    subject: 'Where is my order?',
    text: 'Hi, where is my order #1001? Thanks!',
    receivedAt: '2026-03-10T11:00:00.000Z',
    sender: { verified: true, reason: 'dmarc=pass' },
    ...over,
  };
}

const reply = (over: Partial<SendReplyInput> = {}): SendReplyInput => ({
  ticketId: 't-1',
  draftVersion: 1,
  to: 'jane@example.com',
  subject: 'Re: Where is my order?',
  body: 'Your order is on its way.',
  inReplyTo: '<m1@customer.test>',
  sentBy: 'agent',
  ...over,
});

describe('sendReply', () => {
  it('writes the outbox row before SMTP, marks it delivered after, and heartbeats while it sends', async () => {
    const f = fakes();
    const env = activityEnvironment();
    let heartbeats = 0;
    env.on('heartbeat', () => (heartbeats += 1));
    const { sendReply } = createTicketActivities(f.deps);

    const result = await env.run(sendReply, reply());

    expect(result).toEqual({ messageId: '<reply-1.t-1@support.test>' });
    expect(f.calls).toEqual([
      'outbox:ticket:t-1:reply:1',
      'smtp:<reply-1.t-1@support.test>',
      'delivered:ticket:t-1:reply:1',
    ]);
    expect(f.sent).toEqual([
      expect.objectContaining({
        to: 'jane@example.com',
        inReplyTo: '<m1@customer.test>',
        references: ['<m1@customer.test>'],
      }),
    ]);
    expect(heartbeats).toBeGreaterThan(0);
  });

  it('never sends twice once delivered: a retry of the same reply only reads the outbox', async () => {
    const f = fakes();
    const { sendReply } = createTicketActivities(f.deps);
    await activityEnvironment().run(sendReply, reply());
    await activityEnvironment().run(sendReply, reply());
    expect(f.sent).toHaveLength(1);
  });

  it('re-sends with the same Message-ID when the first attempt died before the delivery mark', async () => {
    const f = fakes();
    f.failSmtp(new Error('connection reset'));
    const { sendReply } = createTicketActivities(f.deps);
    await expect(activityEnvironment().run(sendReply, reply())).rejects.toThrow('connection reset');
    f.failSmtp(null);
    await activityEnvironment().run(sendReply, reply());
    const ids = f.calls.filter((c) => c.startsWith('smtp:'));
    expect(ids).toEqual(['smtp:<reply-1.t-1@support.test>', 'smtp:<reply-1.t-1@support.test>']);
    expect(f.outbox.get('ticket:t-1:reply:1')?.delivered).toBe(true);
  });

  it('turns a permanent SMTP refusal into a non-retryable failure and leaves other errors to Temporal', async () => {
    const f = fakes();
    const { sendReply } = createTicketActivities(f.deps);
    f.failSmtp(new PermanentDeliveryError('550 mailbox unavailable'));
    const permanent = await activityEnvironment()
      .run(sendReply, reply())
      .catch((e: unknown) => e);
    expect(permanent).toBeInstanceOf(ApplicationFailure);
    expect(permanent).toMatchObject({ type: 'PermanentDeliveryError', nonRetryable: true });
    f.failSmtp(new Error('421 try again later'));
    const temporary = await activityEnvironment()
      .run(sendReply, reply())
      .catch((e: unknown) => e);
    expect(temporary).not.toBeInstanceOf(ApplicationFailure);
    expect(f.outbox.get('ticket:t-1:reply:1')?.delivered).toBe(false);
  });
});

describe('reply numbering', () => {
  it('keys each reply by its number across runs, and refuses to reuse a key for another reply', async () => {
    const f = fakes();
    const { sendReply } = createTicketActivities(f.deps);
    await activityEnvironment().run(sendReply, reply({ replyNumber: 1 }));
    // A later run of the same ticket (a reopen, a restart) numbers on: same draft version, new key.
    await activityEnvironment().run(sendReply, reply({ replyNumber: 2, body: 'And one more thing.' }));
    expect(f.sent.map((m) => m.messageId)).toEqual(['<reply-1.t-1@support.test>', '<reply-2.t-1@support.test>']);
    const reused = await activityEnvironment()
      .run(sendReply, reply({ replyNumber: 1, body: 'A different reply under an old key' }))
      .catch((e: unknown) => e);
    expect(reused).toMatchObject({ type: 'OutboxConflictError', nonRetryable: true });
    expect(f.sent).toHaveLength(2);
  });
});

describe('classify', () => {
  it("answers the ticket's customer, whoever wrote the latest message", async () => {
    const thread = [message(), message({ messageId: '<m2@x.test>', from: { email: 'someone.else@x.test' } })];
    const { classify } = createTicketActivities(fakes(thread).deps);
    const result = await classify({ ticketId: 't-1' });
    expect(result.customerEmail).toBe('jane@example.com');
    expect(result.repliesRecorded).toBe(0);
  });

  it('classifies only what the customer wrote since the last reply, and reports sender trust', async () => {
    const thread = [
      message({ text: 'My mug arrived broken.', receivedAt: '2026-03-10T09:00:00.000Z' }),
      message({ direction: 'outbound', messageId: '<r1@support.test>', receivedAt: '2026-03-10T10:00:00.000Z' }),
      message({
        messageId: '<m2@customer.test>',
        text: 'Where is my order #1001?',
        sender: { verified: false, reason: 'dmarc=fail' },
      }),
    ];
    const { classify } = createTicketActivities(fakes(thread).deps);
    const result = await classify({ ticketId: 't-1' });
    expect(result.customerText).toBe('Where is my order #1001?');
    expect(result.latestMessageId).toBe('<m2@customer.test>');
    expect(result.requestedOrderNumber).toBe('#1001');
    expect(result.senderTrust).toEqual({ verified: false, reason: 'dmarc=fail' });
  });

  it('hands the ticket to a human when asked to run without a classifier', async () => {
    const { classify } = createTicketActivities(fakes().deps);
    const result = await classify({ ticketId: 't-1', fallback: true });
    expect(result.classification.source).toBe('unavailable');
  });

  it('maps model failures to what Temporal should do with them', async () => {
    const f = fakes();
    const permanent = createTicketActivities({
      ...f.deps,
      classifier: { classify: async () => Promise.reject(new PermanentLlmError('bad output', 'invalid_output')) },
    });
    await expect(permanent.classify({ ticketId: 't-1' })).rejects.toMatchObject({
      type: 'PermanentLlmError',
      nonRetryable: true,
    });
    const throttled = createTicketActivities({
      ...f.deps,
      classifier: { classify: async () => Promise.reject(new RetryableLlmError('429', 429, 7_000)) },
    });
    await expect(throttled.classify({ ticketId: 't-1' })).rejects.toMatchObject({
      type: 'RetryableLlmError',
      nonRetryable: false,
      nextRetryDelay: 7_000,
    });
    const empty = createTicketActivities(fakes([]).deps);
    await expect(empty.classify({ ticketId: 't-1' })).rejects.toMatchObject({
      type: 'EmptyThread',
      nonRetryable: true,
    });
  });
});

describe('untrusted senders', () => {
  it('get no order lookup by their address; trusted ones get the order and their earlier contacts', async () => {
    const f = fakes();
    const { fetchOrder } = createTicketActivities(f.deps);
    const query = { ticketId: 't-1', orderNumber: '1001', customerEmail: 'jane@example.com' };
    expect(await fetchOrder({ ...query, senderVerified: false })).toBeNull();
    expect(f.lookups).toHaveLength(0);
    expect(await fetchOrder({ ...query, senderVerified: true })).toMatchObject({
      orderNumber: '1001',
      customer: { recentContacts: 2 },
    });
    expect(f.lookups).toEqual([{ orderNumber: '1001', customerEmail: 'jane@example.com' }]);
    const windowMs = DEFAULT_ROUTING_POLICY.repeatedContact.withinDays * 86_400_000;
    const since = new Date(Date.parse('2026-03-10T12:00:00Z') - windowMs).toISOString();
    // Repeated contact is Seamline's own count of the customer's earlier tickets, not the shop's.
    expect(f.contactQueries).toEqual([
      { customerEmail: 'jane@example.com', orderNumber: '1001', since, excludeTicketId: 't-1' },
    ]);
  });

  it('never get an automatic reply, and the briefing says why', async () => {
    const { routeTicket } = createTicketActivities(fakes().deps);
    const classification = classifyOffline({ text: 'Hi, where is my order #1001? Thanks!' });
    const order: OrderSnapshot = orderFixture();
    const draft = draftOffline({ classification, order, policy: POLICY, version: 1 });
    const confidence = scoreConfidence({ classification, order, draft });
    const facts = { classification, order, confidence, draft };

    expect((await routeTicket(facts)).route).toBe('auto');
    const untrusted = await routeTicket({ ...facts, senderTrust: { verified: false, reason: 'spf=fail' } });
    expect(untrusted.route).toBe('review');
    expect(untrusted.reasons.map((r) => r.code)).toEqual(['sender_unverified']);
    expect(untrusted.reasons[0]?.evidence).toEqual(['spf=fail']);
    // An order system that could not be asked is a reason for a person too.
    const noOrder = await routeTicket({ ...facts, order: null, orderLookupFailed: true });
    expect(noOrder.route).not.toBe('auto');
    expect(noOrder.reasons.map((r) => r.code)).toContain('order_lookup_failed');
  });
});

describe('runEscalationAction', () => {
  it('refuses, for good, an action type no handler knows', async () => {
    const { runEscalationAction } = createTicketActivities(fakes().deps);
    const input = {
      key: 'k',
      ticketId: 't-1',
      metric: 'first_reply' as const,
      levelId: 'breach',
      queue: null,
      priority: null,
      firedAt: '2026-03-10T12:00:00.000Z',
    };
    await expect(
      runEscalationAction({ ...input, action: { type: 'notify', channel: 'webhook', target: 'sla-alerts' } }),
    ).resolves.toEqual({ assignTo: null });
    await expect(runEscalationAction({ ...input, action: { type: 'reassign_to_supervisor' } })).rejects.toMatchObject({
      type: 'UnknownEscalationAction',
      nonRetryable: true,
    });
  });
});
