import type { WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { TicketActivities } from '../../activities';
import { DomainError, type AuditEntry, type Route, type TicketStatus } from '../../libs/domain';
import { TicketWorkflowClient } from '../../libs/temporal';
import {
  stateQuery,
  TICKET_WORKFLOW_TYPE,
  ticketWorkflowId,
  type TicketWorkflowInput,
  type TicketWorkflowResult,
} from '../../workflows/ticket/ticket.messages';
import { eventually } from '../support/eventually';
import { classifyResult, confidenceOf, decisionOf, draftOf } from '../support/fixtures';
import { connectTemporal, withWorker, type TemporalTestContext } from '../support/temporal';

interface Recorder {
  activities: Partial<TicketActivities>;
  sent: Parameters<TicketActivities['sendReply']>[0][];
  audit: AuditEntry[];
  statuses: TicketStatus[];
}

/** Activities that answer like the real ones would, recording every side effect the workflow asks for. */
function fakeActivities(route: Route, gate?: Promise<void>): Recorder {
  const rec: Recorder = { activities: {}, sent: [], audit: [], statuses: [] };
  rec.activities = {
    classify: async () => {
      await gate;
      return classifyResult();
    },
    fetchOrder: async () => null,
    draftReply: async ({ version }) => draftOf(version),
    scoreConfidence: async () => confidenceOf(route === 'auto' ? 0.95 : 0.7),
    routeTicket: async () => decisionOf(route),
    publishBriefing: async ({ status }) => void rec.statuses.push(status),
    setTicketStatus: async ({ status }) => void rec.statuses.push(status),
    recordDecision: async (entry) => void rec.audit.push(entry),
    sendReply: async (input) => {
      rec.sent.push(input);
      return { messageId: `<reply-${input.draftVersion}@test>` };
    },
  };
  return rec;
}

describe('ticketWorkflow on the real Temporal dev server', () => {
  let ctx: TemporalTestContext;

  beforeAll(async () => {
    ctx = await connectTemporal();
  });
  afterAll(async () => {
    await ctx.close();
  });

  function start(taskQueue: string, overrides: Partial<TicketWorkflowInput> = {}) {
    const ticketId = randomUUID();
    const input: TicketWorkflowInput = { ticketId, autoSendUndoSeconds: 1, reviewSlaSeconds: 3600, ...overrides };
    return ctx.client.workflow.start<(i: TicketWorkflowInput) => Promise<TicketWorkflowResult>>(TICKET_WORKFLOW_TYPE, {
      workflowId: ticketWorkflowId(ticketId),
      taskQueue,
      args: [input],
    });
  }

  function facade(taskQueue: string): TicketWorkflowClient {
    return new TicketWorkflowClient(ctx.client, { taskQueue, autoSendUndoSeconds: 1, reviewSlaSeconds: 3600 });
  }

  async function waitForStatus(handle: WorkflowHandle, status: TicketStatus): Promise<void> {
    await eventually(async () => expect((await handle.query(stateQuery)).status).toBe(status));
  }

  it('routes to review, rejects a stale version and a second approval, sends the approved draft once', async () => {
    const rec = fakeActivities('review');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      const ticketId = handle.workflowId.replace(/^ticket-/, '');
      await waitForStatus(handle, 'awaiting_review');

      const stale = facade(taskQueue).approve(ticketId, { draftVersion: 2, actor: 'agent-1' });
      await expect(stale).rejects.toMatchObject({ code: 'STALE_DRAFT_VERSION' });

      const accepted = await facade(taskQueue).approve(ticketId, { draftVersion: 1, actor: 'agent-1' }, 'key-1');
      expect(accepted).toEqual({ status: 'sending', draftVersion: 1 });

      const again = facade(taskQueue).approve(ticketId, { draftVersion: 1, actor: 'agent-2' }, 'key-2');
      await expect(again).rejects.toBeInstanceOf(DomainError);

      const result = await handle.result();
      expect(result).toEqual({ status: 'resolved', route: 'review', sentDraftVersion: 1 });
      expect(rec.sent).toHaveLength(1);
      expect(rec.sent[0]).toMatchObject({ draftVersion: 1, sentBy: 'agent', inReplyTo: '<m1@example.com>' });
      expect(rec.audit).toEqual([expect.objectContaining({ key: 'update:key-1', actor: 'agent-1', action: 'approve' })]);
      expect(rec.statuses).toEqual(['awaiting_review', 'resolved']);

      const description = await handle.describe();
      expect(description.status.name).toBe('COMPLETED');
    });
  });

  it('rejects an approval before a draft exists and leaves the workflow unchanged', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const rec = fakeActivities('review', gate);
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      const ticketId = handle.workflowId.replace(/^ticket-/, '');
      await waitForStatus(handle, 'triaging');
      await expect(facade(taskQueue).approve(ticketId, { draftVersion: 1, actor: 'a' })).rejects.toMatchObject({
        code: 'TICKET_NOT_AWAITING_REVIEW',
      });
      expect((await handle.query(stateQuery)).status).toBe('triaging');
      release();
      await waitForStatus(handle, 'awaiting_review');
      await handle.terminate('test finished');
      expect(rec.sent).toHaveLength(0);
    });
  });

  it('escalates when the review deadline passes, records the breach, and still accepts the decision', async () => {
    const rec = fakeActivities('review');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, { reviewSlaSeconds: 1 });
      const ticketId = handle.workflowId.replace(/^ticket-/, '');
      await waitForStatus(handle, 'escalated');
      await eventually(() =>
        expect(rec.audit.find((a) => a.action === 'sla_breach')).toMatchObject({
          actor: 'system',
          after: expect.objectContaining({ queue: 'escalations' }),
        }),
      );
      const attributes = (await handle.describe()).typedSearchAttributes.getAll();
      expect(attributes.find((p) => p.key.name === 'Escalated')?.value).toBe(true);
      expect(attributes.find((p) => p.key.name === 'SlaState')?.value).toBe('breached');

      await facade(taskQueue).approve(ticketId, { draftVersion: 1, actor: 'lead' });
      expect((await handle.result()).status).toBe('resolved');
    });
  });

  it('auto-sends after the undo window', async () => {
    const rec = fakeActivities('auto');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, { autoSendUndoSeconds: 1 });
      expect(await handle.result()).toEqual({ status: 'resolved', route: 'auto', sentDraftVersion: 1 });
      expect(rec.sent).toEqual([expect.objectContaining({ sentBy: 'auto', draftVersion: 1 })]);
    });
  });
});
