import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  classifyOffline,
  DEFAULT_ROUTING_POLICY,
  draftOffline,
  routeTicket,
  scoreConfidence,
  type TicketSnapshot,
  type TriageOutcome,
} from '../../libs/domain';
import { createDataSource, OutcomeRecorder, OutcomeRepository, TicketRepository } from '../../libs/persistence';
import { isolatedDatabase, type IsolatedDatabase } from '../support/inbox';
import { BENCH_POLICY, cleanOrder } from '../../bench/lib/fixtures';

/**
 * The outcome rows earned autonomy learns from, from the fault's side, on a real PostgreSQL: every write is
 * repeated as Temporal's retries repeat them (an attempt committed, its answer lost), and writes arrive in either
 * order (a decision's audit row and its send race). One routing is one outcome, one audit row; a decision is
 * recorded once; an unhappy customer counts only against a reply that went out.
 */
describe('routing outcomes under retries and races', () => {
  let db: IsolatedDatabase;
  let ds: DataSource;
  let tickets: TicketRepository;
  let outcomes: OutcomeRepository;

  beforeAll(async () => {
    db = await isolatedDatabase('outcomes');
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    tickets = new TicketRepository(ds, new OutcomeRecorder(3600));
    outcomes = new OutcomeRepository(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  async function newTicket(): Promise<string> {
    const { ticketId } = await tickets.ingest(
      {
        messageId: `<${randomUUID()}@mail.example.com>`,
        fromEmail: `robin.${randomUUID()}@example.com`,
        fromName: 'Robin',
        subject: 'Where is my order?',
        text: 'Hi, where is my order 1001? Thanks!',
        html: null,
        orderNumber: '1001',
        inReplyTo: null,
        references: [],
        receivedAt: new Date(),
        senderVerified: true,
        senderTrustReason: null,
      },
      { newTicketId: randomUUID(), threadTicketId: null },
    );
    return ticketId;
  }

  function triage(text: string, version: number): TriageOutcome {
    const classification = classifyOffline({ text });
    const o = cleanOrder('1001');
    const draft = draftOffline({ classification, order: o, policy: BENCH_POLICY, version });
    const confidence = scoreConfidence({ classification, order: o, draft, requestedOrderNumber: '1001' });
    const policy = { ...DEFAULT_ROUTING_POLICY, modes: { order_status: 'shadow' as const } };
    const decision = routeTicket({ classification, order: o, confidence, draft, policy, autoSendEnabled: true });
    return { classification, order: o, draft, confidence, decision };
  }

  const snapshot = (seq: number, draftVersion: number): TicketSnapshot => ({
    seq,
    status: 'awaiting_review',
    route: 'review',
    queue: 'standard',
    priority: 'normal',
    claimedBy: null,
    escalated: false,
    slaState: 'ok',
    slaDeadline: null,
    draftVersion,
  });

  /** The ticket's first reply, as the send activity records it. */
  const firstReply = (ticketId: string, body: string, sentBy: 'agent' | 'auto') => ({
    ticketId,
    idempotencyKey: `ticket:${ticketId}:reply:1`,
    messageId: `<reply-1.${ticketId}@test>`,
    inReplyTo: null,
    to: 'robin@example.com',
    subject: 'Re: Where is my order?',
    body,
    draftVersion: 1,
    sentBy,
  });

  const rows = async (ticketId: string) =>
    (
      await db.client.query(
        `SELECT mode, candidate, final_action, edit_distance, unhappy, reassigned FROM routing_outcomes
          WHERE ticket_id = $1 ORDER BY id`,
        [ticketId],
      )
    ).rows;
  const audits = async (ticketId: string, action: string) =>
    (
      await db.client.query(`SELECT count(*)::int AS n FROM ticket_audit WHERE ticket_id = $1 AND action = $2`, [
        ticketId,
        action,
      ])
    ).rows[0].n;

  it('records a retried routing once, and a retried decision once, whichever of audit and send comes first', async () => {
    const id = await newTicket();
    const outcome = triage('Hi, where is my order 1001? Thanks!', 1);
    expect(outcome.decision.autonomy).toEqual({ mode: 'shadow', candidate: true });
    for (let i = 0; i < 3; i++) await tickets.saveTriage(id, outcome, snapshot(1_000, 1));
    expect(await rows(id)).toEqual([
      { mode: 'shadow', candidate: true, final_action: null, edit_distance: null, unhappy: false, reassigned: false },
    ]);
    expect(await audits(id, 'routed')).toBe(1);

    // the send is recorded before the decision's audit row: the edit distance is still measured, once
    const reply = firstReply(id, outcome.draft!.body, 'agent');
    await Promise.all([tickets.recordReply(reply), tickets.recordReply(reply)]);
    const entry = {
      ticketId: id,
      key: `update:${id}:approve-1`,
      actor: 'agent-1',
      action: 'approve',
      before: null,
      after: {},
    };
    await Promise.all([tickets.recordAudit(entry), tickets.recordAudit(entry)]);
    await tickets.recordAudit({ ...entry, key: `update:${id}:reject-late`, action: 'reject' }); // too late: decided
    expect(await rows(id)).toEqual([
      {
        mode: 'shadow',
        candidate: true,
        final_action: 'sent_as_is',
        edit_distance: 0,
        unhappy: false,
        reassigned: false,
      },
    ]);
  });

  it('supersedes an undecided draft when a follow-up is routed, and counts an unhappy follow-up against a sent reply only', async () => {
    const id = await newTicket();
    await tickets.saveTriage(id, triage('Hi, where is my order 1001? Thanks!', 1), snapshot(2_000, 1));
    const angry = 'This is useless and frustrating, I am really angry. Where is my order 1001?';
    // an unhappy message while nothing was sent yet: nothing to blame, the undecided draft is only superseded
    await tickets.saveTriage(id, triage(angry, 2), snapshot(2_001, 2));
    await tickets.saveTriage(id, triage(angry, 2), snapshot(2_001, 2)); // retried
    await tickets.saveTriage(id, triage('Hello again, where is my order 1001 now?', 3), snapshot(2_002, 3));
    const before = await rows(id);
    expect(before.map((r) => [r.final_action, r.unhappy])).toEqual([
      ['superseded', false],
      ['superseded', false],
      [null, false],
    ]);
    expect(before[2]).toMatchObject({ mode: 'shadow', candidate: true });

    const wrongBefore = (await outcomes.evidence(0.2)).filter((s) => s.wrong).length;
    const approve = {
      ticketId: id,
      key: `update:${id}:a3`,
      actor: 'agent-1',
      action: 'approve',
      before: null,
      after: {},
    };
    await tickets.recordAudit(approve);
    await tickets.saveTriage(id, triage(angry, 4), snapshot(2_003, 4));
    await tickets.saveTriage(id, triage(angry, 4), snapshot(2_003, 4)); // retried
    const after = await rows(id);
    expect(after.map((r) => [r.final_action, r.unhappy])).toEqual([
      ['superseded', false],
      ['superseded', false],
      ['sent_as_is', true],
      [null, false],
    ]);
    // the reply the customer was unhappy with now counts against the intent's autonomy
    expect((await outcomes.evidence(0.2)).filter((s) => s.wrong).length).toBe(wrongBefore + 1);
  });

  it('records an automatic reply once however often its delivery is marked, and an intent correction once', async () => {
    const id = await newTicket();
    const outcome = triage('Hi, where is my order 1001? Thanks!', 1);
    const auto = { ...outcome, decision: { ...outcome.decision, route: 'auto' as const } };
    await tickets.saveTriage(id, auto, snapshot(3_000, 1));
    const reply = firstReply(id, outcome.draft!.body, 'auto');
    await tickets.recordReply(reply);
    await Promise.all([1, 2, 3].map(() => tickets.markReplyDelivered(reply.idempotencyKey)));
    expect((await rows(id))[0]).toMatchObject({ final_action: 'auto_sent', edit_distance: 0 });
    expect(await audits(id, 'auto_sent')).toBe(1);

    // an intent correction on a ticket nobody routed finds nothing to correct
    expect(await outcomes.correctIntent(await newTicket(), 'account', 'agent-2')).toBeNull();
    await expect(outcomes.correctIntent(id, 'world_domination' as never, 'agent-2')).rejects.toThrow(RangeError);
    expect(await outcomes.correctIntent(id, 'shipping_delay', 'agent-2')).toEqual({
      intent: 'order_status',
      draftVersion: 1,
    });
    expect(await outcomes.correctIntent(id, 'shipping_delay', 'agent-2')).toEqual({
      intent: 'order_status',
      draftVersion: 1,
    });
    expect(await audits(id, 'correct_intent')).toBe(1);
  });
});
