import type { WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError, type TicketSnapshot, type TicketStatus } from '../../libs/domain';
import { TicketWorkflowClient } from '../../libs/temporal';
import {
  stateQuery,
  TICKET_WORKFLOW_TYPE,
  ticketWorkflowId,
  type Actor,
  type TicketWorkflowInput,
  type TicketWorkflowResult,
} from '../../workflows/ticket/ticket.messages';
import { eventually } from '../support/eventually';
import { fakeActivities } from '../support/fake-activities';
import { quickSlaConfig } from '../support/sla';
import { connectTemporal, withWorker, type TemporalTestContext } from '../support/temporal';

const alice: Actor = { id: 'alice', role: 'agent' };
const bob: Actor = { id: 'bob', role: 'agent' };
const lead: Actor = { id: 'lead', role: 'supervisor' };

describe('ticketWorkflow on the real Temporal dev server', () => {
  let ctx: TemporalTestContext;

  beforeAll(async () => {
    ctx = await connectTemporal();
  });
  afterAll(async () => {
    await ctx.close();
  });

  const settings = { autoSendUndoSeconds: 1, reopenWindowSeconds: 1, slaConfig: quickSlaConfig(3600) };

  function start(taskQueue: string, overrides: Partial<TicketWorkflowInput> = {}): Promise<WorkflowHandle> {
    const ticketId = randomUUID();
    return ctx.client.workflow.start<(i: TicketWorkflowInput) => Promise<TicketWorkflowResult>>(TICKET_WORKFLOW_TYPE, {
      workflowId: ticketWorkflowId(ticketId),
      taskQueue,
      args: [{ ticketId, ...settings, ...overrides }],
    });
  }

  const facade = (taskQueue: string) => new TicketWorkflowClient(ctx.client, { taskQueue, ...settings });
  const idOf = (handle: WorkflowHandle) => handle.workflowId.replace(/^ticket-/, '');

  async function waitForStatus(handle: WorkflowHandle, status: TicketStatus): Promise<void> {
    await eventually(async () => expect((await handle.query(stateQuery)).status).toBe(status));
  }

  it('routes to review, rejects a stale version and a second approval, sends the approved draft once', async () => {
    const rec = fakeActivities('review');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      const tickets = facade(taskQueue);
      await waitForStatus(handle, 'awaiting_review');

      await expect(tickets.decide(idOf(handle), 'approve', { actor: alice, draftVersion: 2 })).rejects.toMatchObject({
        code: 'STALE_DRAFT_VERSION',
      });
      const accepted = await tickets.decide(idOf(handle), 'approve', { actor: alice, draftVersion: 1 }, 'key-1');
      expect(accepted).toMatchObject({ status: 'sending', draftVersion: 1, claimedBy: 'alice' });
      // The same Idempotency-Key is the same Update: same answer, nothing new.
      expect(await tickets.decide(idOf(handle), 'approve', { actor: alice, draftVersion: 1 }, 'key-1')).toEqual(
        accepted,
      );
      await expect(
        tickets.decide(idOf(handle), 'approve', { actor: alice, draftVersion: 1 }, 'key-2'),
      ).rejects.toBeInstanceOf(DomainError);

      expect(await handle.result()).toEqual({ status: 'closed', route: 'review', sentDraftVersion: 1 });
      expect(rec.sent).toHaveLength(1);
      expect(rec.sent[0]).toMatchObject({ draftVersion: 1, sentBy: 'agent', inReplyTo: '<m1@example.com>' });
      expect(rec.audit).toEqual([
        expect.objectContaining({ key: `update:${idOf(handle)}:key-1`, actor: 'alice', action: 'approve' }),
      ]);
      // 'sending' shows only if its write lands before the send finishes; the order is always kept.
      expect(rec.statuses.filter((status) => status !== 'sending')).toEqual(['awaiting_review', 'resolved', 'closed']);
      await expect(tickets.decide(idOf(handle), 'note', { actor: alice, text: 'late' })).rejects.toMatchObject({
        code: 'TICKET_CLOSED',
      });
    });
  });

  it('rejects an approval before a draft exists and leaves the workflow unchanged', async () => {
    let release!: () => void;
    const rec = fakeActivities('review', { gate: new Promise<void>((resolve) => (release = resolve)) });
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      await waitForStatus(handle, 'triaging');
      await expect(
        facade(taskQueue).decide(idOf(handle), 'approve', { actor: alice, draftVersion: 1 }),
      ).rejects.toMatchObject({
        code: 'TICKET_NOT_AWAITING_REVIEW',
      });
      expect(await handle.query(stateQuery)).toMatchObject({ status: 'triaging', claimedBy: null, draftVersion: 0 });
      release();
      await waitForStatus(handle, 'awaiting_review');
      await handle.terminate('test finished');
      expect(rec.sent).toHaveLength(0);
      expect(rec.audit).toHaveLength(0);
    });
  });

  it('escalates when the response deadline passes, records the breach once, notifies, and still accepts the decision', async () => {
    const rec = fakeActivities('review');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, { slaConfig: quickSlaConfig(1, ['first_reply'], 3600) });
      await waitForStatus(handle, 'escalated');
      // The ladder notifies at its warning level and again at the breach.
      await eventually(() =>
        expect(rec.escalations.map((e) => `${e.levelId}:${e.action.type}`)).toEqual(['warn:notify', 'breach:notify']),
      );
      const breaches = rec.audit.filter((a) => a.action === 'sla_breach');
      expect(breaches).toHaveLength(1);
      expect(breaches[0]).toMatchObject({ actor: 'system', after: expect.objectContaining({ metric: 'first_reply' }) });
      expect(rec.audit.find((a) => a.action === 'sla_escalation' && a.after?.level === 'breach')).toMatchObject({
        actor: 'system',
        after: expect.objectContaining({ queue: 'escalations', priority: 'high', status: 'escalated' }),
      });
      const breachedAt = Date.parse(String(breaches[0]?.after?.breachedAt));
      const deadline = Date.parse(String(breaches[0]?.after?.deadline));
      expect(breachedAt).toBeGreaterThanOrEqual(deadline);
      const attributes = (await handle.describe()).typedSearchAttributes.getAll();
      const value = (name: string) => attributes.find((p) => p.key.name === name)?.value;
      expect(value('Escalated')).toBe(true);
      expect(value('SlaState')).toBe('breached');
      expect(value('Queue')).toBe('escalations');

      await facade(taskQueue).decide(idOf(handle), 'approve', { actor: lead, draftVersion: 1 });
      expect((await handle.result()).sentDraftVersion).toBe(1);
      expect(rec.audit.filter((a) => a.action === 'sla_breach')).toHaveLength(1);
    });
  });

  it('auto-sends after the undo window', async () => {
    const rec = fakeActivities('auto');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      expect(await handle.result()).toEqual({ status: 'closed', route: 'auto', sentDraftVersion: 1 });
      expect(rec.sent).toEqual([expect.objectContaining({ sentBy: 'auto', draftVersion: 1 })]);
    });
  });

  it('lets an agent cancel an auto-send during the undo window', async () => {
    const rec = fakeActivities('auto');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, { autoSendUndoSeconds: 30 });
      await waitForStatus(handle, 'auto_send_pending');
      const cancelled = await facade(taskQueue).decide(idOf(handle), 'cancel-auto-send', { actor: alice });
      expect(cancelled).toMatchObject({ status: 'awaiting_review', claimedBy: 'alice' });
      await expect(facade(taskQueue).decide(idOf(handle), 'cancel-auto-send', { actor: alice })).rejects.toMatchObject({
        code: 'NO_AUTO_SEND_PENDING',
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(rec.sent).toHaveLength(0);
      await handle.terminate('test finished');
    });
  });

  it('keeps one agent on a ticket: others get TICKET_CLAIMED_BY_OTHER, a supervisor may take over', async () => {
    const rec = fakeActivities('escalate');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      const tickets = facade(taskQueue);
      await waitForStatus(handle, 'escalated');
      expect(await tickets.decide(idOf(handle), 'claim', { actor: alice })).toMatchObject({ claimedBy: 'alice' });
      await expect(tickets.decide(idOf(handle), 'claim', { actor: bob })).rejects.toMatchObject({
        code: 'TICKET_CLAIMED_BY_OTHER',
      });
      await expect(tickets.decide(idOf(handle), 'claim', { actor: bob, takeOver: true })).rejects.toMatchObject({
        code: 'TICKET_CLAIMED_BY_OTHER',
      });
      await expect(tickets.decide(idOf(handle), 'approve', { actor: bob, draftVersion: 1 })).rejects.toMatchObject({
        code: 'TICKET_CLAIMED_BY_OTHER',
      });
      expect(await tickets.decide(idOf(handle), 'claim', { actor: lead, takeOver: true })).toMatchObject({
        claimedBy: 'lead',
      });
      await expect(tickets.decide(idOf(handle), 'approve', { actor: alice, draftVersion: 1 })).rejects.toMatchObject({
        code: 'TICKET_CLAIMED_BY_OTHER',
      });
      expect(await tickets.decide(idOf(handle), 'note', { actor: bob, text: 'customer called too' })).toMatchObject({
        claimedBy: 'lead',
      });
      expect(
        await tickets.decide(idOf(handle), 'reassign', { actor: lead, queue: 'priority', reason: 'VIP' }),
      ).toMatchObject({
        queue: 'priority',
        claimedBy: null,
      });
      expect(rec.audit.map((a) => `${a.actor}:${a.action}`)).toEqual([
        'alice:claim',
        'lead:take_over',
        'bob:note',
        'lead:reassign',
      ]);
      await handle.terminate('test finished');
    });
  });

  it('sends an edited reply, and validates the text', async () => {
    const rec = fakeActivities('review');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      await waitForStatus(handle, 'awaiting_review');
      await expect(
        facade(taskQueue).decide(idOf(handle), 'edit', { actor: alice, draftVersion: 1, text: '   ' }),
      ).rejects.toMatchObject({
        code: 'INVALID_DECISION',
      });
      await facade(taskQueue).decide(idOf(handle), 'edit', {
        actor: alice,
        draftVersion: 1,
        text: '  Hello, here is my own answer.  ',
      });
      await handle.result();
      expect(rec.sent).toEqual([expect.objectContaining({ body: 'Hello, here is my own answer.', sentBy: 'agent' })]);
      expect(rec.audit[0]).toMatchObject({ action: 'edit', actor: 'alice' });
    });
  });

  it('closes without a reply on reject, or sends the agent reply when given', async () => {
    const rec = fakeActivities('review');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const silent = await start(taskQueue);
      await waitForStatus(silent, 'awaiting_review');
      await facade(taskQueue).decide(idOf(silent), 'reject', { actor: alice, reason: 'spam' });
      expect(await silent.result()).toEqual({ status: 'closed', route: 'review', sentDraftVersion: null });

      const answered = await start(taskQueue);
      await waitForStatus(answered, 'awaiting_review');
      await facade(taskQueue).decide(idOf(answered), 'reject', {
        actor: bob,
        reason: 'draft misread the request',
        reply: 'Our reply.',
      });
      expect((await answered.result()).sentDraftVersion).toBe(1);
      expect(rec.sent).toEqual([expect.objectContaining({ body: 'Our reply.' })]);
      expect(rec.audit.map((a) => [a.actor, a.action, a.after?.reason])).toEqual([
        ['alice', 'reject', 'spam'],
        ['bob', 'reject', 'draft misread the request'],
      ]);
    });
  });

  it('re-triages on a customer follow-up: the old draft becomes stale and the route may escalate', async () => {
    const rec = fakeActivities(['review', 'escalate']);
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      const tickets = facade(taskQueue);
      await waitForStatus(handle, 'awaiting_review');
      await tickets.appendMessage(idOf(handle), '<follow-up@example.com>');
      await tickets.appendMessage(idOf(handle), '<follow-up@example.com>');
      await waitForStatus(handle, 'escalated');
      expect(await handle.query(stateQuery)).toMatchObject({ draftVersion: 2, route: 'escalate', pendingMessages: 0 });
      expect(rec.triages).toBe(2);
      await expect(tickets.decide(idOf(handle), 'approve', { actor: alice, draftVersion: 1 })).rejects.toMatchObject({
        code: 'STALE_DRAFT_VERSION',
      });
      await tickets.decide(idOf(handle), 'approve', { actor: alice, draftVersion: 2 });
      expect((await handle.result()).sentDraftVersion).toBe(2);
    });
  });

  it('never lets a follow-up downgrade a ticket a human already handles to auto-send', async () => {
    const rec = fakeActivities(['escalate', 'auto']);
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      await waitForStatus(handle, 'escalated');
      await facade(taskQueue).appendMessage(idOf(handle), '<thanks@example.com>');
      await eventually(() => expect(rec.triages).toBe(2));
      await waitForStatus(handle, 'escalated');
      expect((await handle.query(stateQuery)).route).toBe('escalate');
      await handle.terminate('test finished');
      expect(rec.sent).toHaveLength(0);
    });
  });

  it('puts the ticket back to a human when delivery fails permanently', async () => {
    const rec = fakeActivities('review', { failSend: true });
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      await waitForStatus(handle, 'awaiting_review');
      await facade(taskQueue).decide(idOf(handle), 'approve', { actor: alice, draftVersion: 1 });
      await waitForStatus(handle, 'escalated');
      await eventually(() =>
        expect(rec.audit.find((a) => a.action === 'delivery_failed')?.after).toEqual({
          error: 'SMTP rejected the reply permanently (550)',
        }),
      );
      await handle.terminate('test finished');
    });
  });

  /** A ticket waiting for review whose notes made its workflow continue as new (one or more times). */
  async function continuedAsNew(taskQueue: string) {
    const handle = await start(taskQueue, { continueAsNewAfterEvents: 40 });
    const tickets = facade(taskQueue);
    await waitForStatus(handle, 'awaiting_review');
    const firstRun = (await handle.describe()).runId;
    for (let i = 0; i < 8; i++) await tickets.decide(idOf(handle), 'note', { actor: alice, text: `note ${i}` });
    const latest = ctx.client.workflow.getHandle(handle.workflowId);
    await eventually(async () => expect((await latest.describe()).runId).not.toBe(firstRun));
    return { handle, tickets, firstRun, latest };
  }

  it('continues as new on long histories and keeps its state', async () => {
    const rec = fakeActivities('review');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const { handle, tickets, latest } = await continuedAsNew(taskQueue);
      await eventually(async () =>
        expect(await latest.query(stateQuery)).toMatchObject({
          status: 'awaiting_review',
          draftVersion: 1,
          claimedBy: null,
        }),
      );
      await tickets.decide(idOf(handle), 'approve', { actor: alice, draftVersion: 1 });
      expect(await latest.result()).toMatchObject({ status: 'closed', sentDraftVersion: 1 });
      expect(rec.triages).toBe(1);
    });
  });

  it('a run continued as new does not write again the state its earlier run published, only what changes next', async () => {
    const rec = fakeActivities('review');
    // Every read-model write of the state: the briefing at triage, the state after it.
    const { publishState, publishBriefing } = rec.activities as Required<typeof rec.activities>;
    const published: { runId: string; seq: number; claimedBy: string | null }[] = [];
    const note = ({ seq, claimedBy }: TicketSnapshot) =>
      void published.push({ runId: Context.current().info.workflowExecution?.runId ?? '', seq, claimedBy });
    rec.activities.publishState = async (input) => (note(input.snapshot), publishState(input));
    rec.activities.publishBriefing = async (input) => (note(input.snapshot), publishBriefing(input));
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const { handle, tickets, firstRun, latest } = await continuedAsNew(taskQueue);
      // The newest run has run its first task (a query is answered after it) and waits for an agent.
      expect(await latest.query(stateQuery)).toMatchObject({ status: 'awaiting_review', claimedBy: null });
      await tickets.decide(idOf(handle), 'note', { actor: alice, text: 'one more note' });
      const ofFirstRun = published.filter((p) => p.runId === firstRun);
      const ofLaterRuns = () => published.filter((p) => p.runId !== firstRun);
      expect(ofFirstRun.length).toBeGreaterThan(0);
      expect(ofLaterRuns()).toEqual([]); // however many times the notes made it continue as new

      await tickets.decide(idOf(handle), 'claim', { actor: alice });
      await eventually(() => expect(ofLaterRuns().at(-1)).toMatchObject({ claimedBy: 'alice' }));
      const carriedSeq = Math.max(...ofFirstRun.map((p) => p.seq));
      expect(ofLaterRuns().every(({ seq }) => seq > carriedSeq)).toBe(true);
      await handle.terminate('test finished');
    });
  });

  it('hands the ticket to a human when the order system fails for good, instead of failing the ticket', async () => {
    const rec = fakeActivities('review');
    const routed: unknown[] = [];
    const route = rec.activities.routeTicket as NonNullable<typeof rec.activities.routeTicket>;
    rec.activities.fetchOrder = async () => {
      throw ApplicationFailure.nonRetryable('the shop refused the access token (401)', 'PermanentOrderLookupError');
    };
    rec.activities.routeTicket = async (input) => {
      routed.push(input);
      return route(input);
    };
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      await waitForStatus(handle, 'awaiting_review');
      expect(routed).toEqual([expect.objectContaining({ order: null, orderLookupFailed: true })]);
      await handle.terminate('test finished');
    });
  });
});
