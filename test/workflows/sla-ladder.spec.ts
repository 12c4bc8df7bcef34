import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { randomUUID } from 'node:crypto';
import type { TicketActivities } from '../../activities';
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
import { fakeActivities, type Recorder } from '../support/fake-activities';
import { quickSlaConfig } from '../support/sla';
import { connectTemporal, withWorker, type TemporalTestContext } from '../support/temporal';

const alice: Actor = { id: 'alice', role: 'agent' };

/** SLA ladders in the real workflow on the real dev server, with targets of seconds on calendar time. */
describe('SLA escalation ladders', () => {
  let ctx: TemporalTestContext;
  beforeAll(async () => {
    ctx = await connectTemporal();
  });
  afterAll(async () => {
    await ctx.close();
  });

  type Escalation = Parameters<TicketActivities['runEscalationAction']>[0];
  /** The notifications fired levels queue, in order; a supervisor hand-over assigns `lead-on-duty`. */
  function withLadderActivities(rec: Recorder): Escalation[] {
    const record = rec.activities.recordSlaPass as TicketActivities['recordSlaPass'];
    rec.activities.recordSlaPass = async (pass) => {
      await record(pass);
      return { assignTo: pass.supervisor ? 'lead-on-duty' : null };
    };
    return rec.escalations;
  }

  async function start(taskQueue: string, slaConfig: TicketWorkflowInput['slaConfig']): Promise<WorkflowHandle> {
    const ticketId = randomUUID();
    return ctx.client.workflow.start<(i: TicketWorkflowInput) => Promise<TicketWorkflowResult>>(TICKET_WORKFLOW_TYPE, {
      workflowId: ticketWorkflowId(ticketId),
      taskQueue,
      args: [{ ticketId, autoSendUndoSeconds: 1, reopenWindowSeconds: 1, slaConfig }],
    });
  }
  const facade = (taskQueue: string) =>
    new TicketWorkflowClient(ctx.client, {
      taskQueue,
      autoSendUndoSeconds: 1,
      reopenWindowSeconds: 1,
      slaConfig: quickSlaConfig(3600),
    });
  const idOf = (handle: WorkflowHandle) => handle.workflowId.replace(/^ticket-/, '');
  const waitForStatus = (handle: WorkflowHandle, status: TicketStatus) =>
    eventually(async () => expect((await handle.query(stateQuery)).status).toBe(status));

  it('fires the levels of a metric in order, once each, never before they are due', async () => {
    const rec = fakeActivities('review');
    const fired = withLadderActivities(rec);
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, quickSlaConfig(3, ['first_reply'], 2));
      const startedAt = (await handle.describe()).startTime.getTime();
      await eventually(
        () =>
          expect(rec.audit.filter((a) => a.action === 'sla_escalation').map((a) => a.after?.level)).toEqual([
            'warn',
            'breach',
            'breach_plus',
          ]),
        20_000,
      );

      const levels = rec.audit.filter((a) => a.action === 'sla_escalation');
      const due = { warn: 1_500, breach: 3_000, breach_plus: 5_000 } as Record<string, number>;
      for (const level of levels) {
        const firedAt = Date.parse(String(level.after?.firedAt));
        expect(firedAt - startedAt).toBeGreaterThanOrEqual(due[String(level.after?.level)] as number);
      }
      expect(rec.audit.filter((a) => a.action === 'sla_breach')).toHaveLength(1);
      expect(fired.map((f) => `${f.levelId}:${f.action.type}`)).toEqual([
        'warn:notify',
        'breach:notify',
        'breach_plus:reassign_to_supervisor',
      ]);
      expect(new Set(fired.map((f) => f.key)).size).toBe(3);

      const state = await handle.query(stateQuery);
      expect(state).toMatchObject({
        status: 'escalated',
        queue: 'escalations',
        priority: 'high',
        escalated: true,
        slaState: 'breached',
        claimedBy: 'lead-on-duty',
      });
      const attributes = (await handle.describe()).typedSearchAttributes.getAll();
      expect(attributes.find((p) => p.key.name === 'SlaState')?.value).toBe('breached');

      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(rec.audit.filter((a) => a.action === 'sla_escalation')).toHaveLength(3);
      await handle.terminate('test finished');
    });
  });

  it('meets the metric with a reply and cancels the levels left over', async () => {
    const rec = fakeActivities('review');
    const fired = withLadderActivities(rec);
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, quickSlaConfig(4, ['first_reply'], 2));
      await eventually(() => expect(fired.map((f) => f.levelId)).toEqual(['warn']), 10_000);
      await facade(taskQueue).decide(idOf(handle), 'approve', { actor: alice, draftVersion: 1 });
      await waitForStatus(handle, 'resolved');
      expect((await handle.query(stateQuery)).slaState).toBe('met');
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect(rec.audit.filter((a) => a.action.startsWith('sla_')).map((a) => a.after?.level ?? a.action)).toEqual([
        'warn',
      ]);
      expect(fired).toHaveLength(1);
    });
  });

  it.each([
    ['human_pickup', 'claims the ticket'],
    ['pending_approval', 'decides on the draft'],
  ] as const)('runs the %s ladder until an agent %s', async (metric, _action) => {
    const rec = fakeActivities('review');
    const fired = withLadderActivities(rec);
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, quickSlaConfig(2, [metric], 30));
      await eventually(
        () => expect(fired.map((f) => `${f.metric}:${f.levelId}`)).toEqual([`${metric}:warn`, `${metric}:breach`]),
        15_000,
      );
      const tickets = facade(taskQueue);
      if (metric === 'human_pickup') await tickets.decide(idOf(handle), 'claim', { actor: alice });
      else await tickets.decide(idOf(handle), 'approve', { actor: alice, draftVersion: 1 });
      await eventually(async () => expect((await handle.query(stateQuery)).slaState).toMatch(/^(met|breached)$/));
      expect(rec.audit.filter((a) => a.action === 'sla_breach').map((a) => a.after?.metric)).toEqual([metric]);
      await handle.terminate('test finished');
    });
  });

  it('keeps escalating while an approved reply is held up by the mail server, and meets the clock when it goes', async () => {
    const rec = fakeActivities('review');
    const fired = withLadderActivities(rec);
    const send = rec.activities.sendReply as TicketActivities['sendReply'];
    // A mail server that takes 6 s to accept (Temporal waits: the send is well inside its timeouts).
    rec.activities.sendReply = async (input) => {
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      return send(input);
    };
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, quickSlaConfig(4, ['first_reply'], 3600));
      const startedAt = (await handle.describe()).startTime.getTime();
      await waitForStatus(handle, 'awaiting_review');
      await facade(taskQueue).decide(idOf(handle), 'approve', { actor: alice, draftVersion: 1 });
      await waitForStatus(handle, 'sending');

      // Warn at 2 s and breach at 4 s fall inside the send: they fire on time, while the ticket is sending.
      await eventually(() => expect(fired.map((f) => f.levelId)).toEqual(['warn', 'breach']), 10_000);
      const levels = rec.audit.filter((a) => a.action === 'sla_escalation');
      expect(levels.map((a) => a.after?.status)).toEqual(['sending', 'sending']);
      for (const level of levels) {
        const due = level.after?.level === 'warn' ? 2_000 : 4_000;
        expect(Date.parse(String(level.after?.firedAt)) - startedAt).toBeGreaterThanOrEqual(due);
      }
      expect(rec.audit.filter((a) => a.action === 'sla_breach')).toHaveLength(1);

      await waitForStatus(handle, 'resolved');
      expect(rec.sent).toHaveLength(1);
      expect(await handle.query(stateQuery)).toMatchObject({ slaState: 'met', slaDeadline: null });
      await handle.terminate('test finished');
    });
  });

  it('starts the next-reply clock when the customer writes back to a resolved ticket', async () => {
    const rec = fakeActivities('review');
    const fired = withLadderActivities(rec);
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await ctx.client.workflow.start<(i: TicketWorkflowInput) => Promise<TicketWorkflowResult>>(
        TICKET_WORKFLOW_TYPE,
        {
          workflowId: ticketWorkflowId(randomUUID()),
          taskQueue,
          args: [
            {
              ticketId: randomUUID(),
              autoSendUndoSeconds: 1,
              reopenWindowSeconds: 60,
              slaConfig: quickSlaConfig(2, ['next_reply'], 30),
            },
          ],
        },
      );
      const tickets = facade(taskQueue);
      await waitForStatus(handle, 'awaiting_review');
      await tickets.decide(idOf(handle), 'approve', { actor: alice, draftVersion: 1 });
      await waitForStatus(handle, 'resolved');
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(fired).toHaveLength(0); // no next-reply clock runs before the customer writes again
      await tickets.appendMessage(idOf(handle), '<thanks-but@example.com>');
      await eventually(
        () => expect(fired.map((f) => `${f.metric}:${f.levelId}`)).toEqual(['next_reply:warn', 'next_reply:breach']),
        15_000,
      );
      await handle.terminate('test finished');
    });
  });

  it('neither loses nor repeats a level when the worker is down at its time', async () => {
    const rec = fakeActivities('review');
    const fired = withLadderActivities(rec);
    const taskQueue = `test-${randomUUID()}`;
    const handle = await withWorker(
      ctx,
      rec.activities,
      async (queue) => {
        const started = await start(queue, quickSlaConfig(4, ['first_reply'], 30));
        await eventually(() => expect(fired.map((f) => f.levelId)).toEqual(['warn']), 10_000);
        return started;
      },
      taskQueue,
    );
    await new Promise((resolve) => setTimeout(resolve, 3000)); // the breach comes due while no worker runs
    expect(fired.map((f) => f.levelId)).toEqual(['warn']);
    await withWorker(
      ctx,
      rec.activities,
      async () => {
        await eventually(() => expect(fired.map((f) => f.levelId)).toEqual(['warn', 'breach']), 15_000);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(rec.audit.filter((a) => a.action === 'sla_breach')).toHaveLength(1);
        expect(rec.audit.filter((a) => a.action === 'sla_escalation').map((a) => a.after?.level)).toEqual([
          'warn',
          'breach',
        ]);
        await handle.terminate('test finished');
      },
      taskQueue,
    );
  });

  it('stops the clock while the ticket waits on the customer and resumes it on their reply', async () => {
    const rec = fakeActivities('review');
    withLadderActivities(rec);
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, quickSlaConfig(3, ['first_reply'], 30));
      const tickets = facade(taskQueue);
      await waitForStatus(handle, 'awaiting_review');
      await tickets.decide(idOf(handle), 'await-customer', { actor: alice, reason: 'photos of the damage' });
      await waitForStatus(handle, 'waiting_on_customer');
      expect((await handle.query(stateQuery)).slaState).toBe('paused');
      await new Promise((resolve) => setTimeout(resolve, 4500));
      expect(rec.audit.filter((a) => a.action === 'sla_breach')).toHaveLength(0);

      await tickets.appendMessage(idOf(handle), '<photos@example.com>');
      await eventually(() => expect(rec.audit.filter((a) => a.action === 'sla_breach')).toHaveLength(1), 15_000);
      const breach = rec.audit.find((a) => a.action === 'sla_breach');
      expect(Date.parse(String(breach?.after?.deadline))).toBeGreaterThan(
        (await handle.describe()).startTime.getTime() + 3_000 + 4_000,
      );
      await handle.terminate('test finished');
    });
  });

  it('costs one workflow task per level: the timer wakes it, one local activity writes it all', async () => {
    const rec = fakeActivities('review');
    withLadderActivities(rec);
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, quickSlaConfig(4, ['first_reply'], 2));
      await eventually(() => expect(rec.escalations.map((e) => e.levelId)).toContain('breach_plus'), 20_000);
      await handle.terminate('test finished');
      const { events } = await handle.fetchHistory();
      const kinds = (events ?? []).map((e) => String(temporal.api.enums.v1.EventType[e.eventType ?? 0]));
      const fired = kinds.flatMap((kind, i) => (kind.endsWith('TIMER_FIRED') ? [i] : []));
      // warn, breach and breach + 2 s each wake the workflow by a timer (warn may already be due when triage ends)
      expect(fired.length).toBeGreaterThanOrEqual(2);
      for (const at of fired) {
        const next = kinds.findIndex(
          (kind, i) => i > at && (kind.endsWith('TIMER_STARTED') || kind.endsWith('TERMINATED')),
        );
        const between = kinds.slice(at + 1, next);
        // a timer that fired just before the test terminated the workflow may have no completed task yet
        if (kinds[next]?.endsWith('TERMINATED') && !between.some((k) => k.endsWith('WORKFLOW_TASK_COMPLETED')))
          continue;
        expect(between.filter((k) => k.endsWith('WORKFLOW_TASK_COMPLETED'))).toHaveLength(1);
        expect(between.filter((k) => k.endsWith('MARKER_RECORDED')).length).toBeLessThanOrEqual(2); // patch + pass
        expect(between.filter((k) => k.endsWith('ACTIVITY_TASK_SCHEDULED'))).toHaveLength(0);
      }
    });
  });
});
