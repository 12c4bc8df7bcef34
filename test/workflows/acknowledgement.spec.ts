import type { WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { TicketStatus } from '../../libs/domain';
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
import { classifyResult } from '../support/fixtures';
import { fakeActivities, type Recorder } from '../support/fake-activities';
import { quickSlaConfig } from '../support/sla';
import { connectTemporal, withWorker, type TemporalTestContext } from '../support/temporal';

const alice: Actor = { id: 'alice', role: 'agent' };

/** The acknowledgement at handoff, in the real workflow on the real dev server (delays of a second). */
describe('customer acknowledgement at handoff', () => {
  let ctx: TemporalTestContext;
  beforeAll(async () => {
    ctx = await connectTemporal();
  });
  afterAll(async () => {
    await ctx.close();
  });

  const settings = { autoSendUndoSeconds: 1, reopenWindowSeconds: 60, slaConfig: quickSlaConfig(3600) };
  const start = (taskQueue: string, input: Partial<TicketWorkflowInput> = {}): Promise<WorkflowHandle> => {
    const ticketId = randomUUID();
    return ctx.client.workflow.start<(i: TicketWorkflowInput) => Promise<TicketWorkflowResult>>(TICKET_WORKFLOW_TYPE, {
      workflowId: ticketWorkflowId(ticketId),
      taskQueue,
      args: [{ ticketId, ...settings, acknowledgeAfterSeconds: 1, ...input }],
    });
  };
  const facade = (taskQueue: string) => new TicketWorkflowClient(ctx.client, { taskQueue, ...settings });
  const idOf = (handle: WorkflowHandle) => handle.workflowId.replace(/^ticket-/, '');
  const waitForStatus = (handle: WorkflowHandle, status: TicketStatus) =>
    eventually(async () => expect((await handle.query(stateQuery)).status).toBe(status));
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('tells the customer once per handoff, with the reply deadline, when no reply went out in time', async () => {
    const rec = fakeActivities('review');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue);
      await waitForStatus(handle, 'awaiting_review');
      await eventually(() => expect(rec.acknowledgements).toHaveLength(1), 10_000);
      expect(rec.acknowledgements[0]).toMatchObject({
        episode: 1,
        to: 'customer@example.com',
        inReplyTo: '<m1@example.com>',
        queue: 'standard',
      });
      expect(Date.parse(String(rec.acknowledgements[0]?.expectedBy))).toBeGreaterThan(Date.now());
      // A follow-up in the same handoff is not a second handoff.
      await facade(taskQueue).appendMessage(idOf(handle), '<more@example.com>');
      await eventually(() => expect(rec.triages).toBe(2));
      await pause(2500);
      expect(rec.acknowledgements).toHaveLength(1);
      await handle.terminate('test finished');
    });
  });

  it('stays silent when an agent answers first, and acknowledges the next handoff after a reply', async () => {
    const rec = fakeActivities('review');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, { acknowledgeAfterSeconds: 3 });
      const tickets = facade(taskQueue);
      await waitForStatus(handle, 'awaiting_review');
      await tickets.decide(idOf(handle), 'approve', { actor: alice, draftVersion: 1 });
      await waitForStatus(handle, 'resolved');
      await pause(3500);
      expect(rec.acknowledgements).toHaveLength(0);
      // The customer writes again: a new handoff, acknowledged in its turn.
      await tickets.appendMessage(idOf(handle), '<again@example.com>');
      await eventually(() => expect(rec.acknowledgements.map((a) => a.episode)).toEqual([2]), 10_000);
      await handle.terminate('test finished');
    });
  });

  it('never acknowledges to a sender whose address failed authentication, nor without the setting', async () => {
    const spoofed = fakeActivities('escalate');
    spoofed.activities.classify = async () => {
      spoofed.triages += 1;
      return { ...classifyResult(), senderTrust: { verified: false, reason: 'dmarc=fail' } };
    };
    const plain = fakeActivities('review');
    for (const [rec, input] of [
      [spoofed, {}],
      [plain, { acknowledgeAfterSeconds: undefined }],
    ] as [Recorder, Partial<TicketWorkflowInput>][]) {
      await withWorker(ctx, rec.activities, async (taskQueue) => {
        const handle = await start(taskQueue, input);
        await eventually(async () => expect((await handle.query(stateQuery)).route).not.toBeNull());
        await pause(2500);
        expect(rec.acknowledgements).toHaveLength(0);
        await handle.terminate('test finished');
      });
    }
  });
});
