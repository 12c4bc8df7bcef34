/**
 * The SLA wait while a ticket is with the humans: fire what is due (breaches are recorded when they happen, never
 * back-dated; overdue levels all fire, in order, after downtime), then keep ONE timer for the next ladder step and
 * wake early on any change. A passing deadline escalates; it never fails the ticket.
 *
 * A pass that fires costs one workflow task: the level's actions change the ticket here, and everything it writes
 * (audit rows, notifications for the outbox, the read-model state) is one local activity, one transaction.
 * Notifications are delivered by the notifier workflow, so a slow webhook never holds up the ladder or a decision.
 */
import { condition, patched, setCurrentDetails } from '@temporalio/workflow';
import {
  applyEscalationAction,
  AWAITING_AGENT,
  earliestDueAt,
  escalationActionKey,
  escalationActionRunsActivity,
  SYSTEM_ACTOR,
} from '../../libs/domain/workflow-rules';
import type { LadderLevel, SlaPassRecord } from '../../libs/domain';
import { acknowledge, acknowledgementDueAt } from './acknowledgement';
import { LOCAL, localActivities } from './activities';
import type { DueStep, MetricRecord } from './sla-clocks';
import { firePassStepByStep } from './sla-v1';
import type { TicketRun } from './ticket-state';
import { workflowNow } from './workflow-clock';

/** One pass: returns after firing something, after the next step's timer, or as soon as anything changes. */
export async function waitForAgent(run: TicketRun): Promise<void> {
  const { state, clocks } = run;
  const now = workflowNow();
  const due = clocks.steps(now).filter(({ step }) => step.breachDueNow || step.levelsDueNow.length > 0);
  if (due.length > 0) {
    if (patched('sla-pass-one-write')) await firePass(run, due, now);
    else await firePassStepByStep(run, due, now);
    return;
  }
  const acknowledgeAt = acknowledgementDueAt(run);
  if (acknowledgeAt && acknowledgeAt.getTime() <= now.getTime()) {
    await acknowledge(run);
    return;
  }
  Object.assign(state, clocks.summary(now));
  run.showEscalation();
  await run.publishIfChanged(localActivities);

  const dueAt = earliestDueAt([...clocks.steps(now).map((s) => s.step), { dueAt: acknowledgeAt }]);
  setCurrentDetails(
    `Waiting for an agent in queue ${state.queue} (${state.route}, priority ${state.priority})` +
      (state.claimedBy ? `, claimed by ${state.claimedBy}` : '') +
      `; SLA ${state.slaState}${state.slaDeadline ? `, due ${state.slaDeadline}` : ''}` +
      (dueAt ? `; next escalation step at ${dueAt.toISOString()}.` : '.'),
  );
  const seen = run.changeKey();
  const somethingToDo = () =>
    run.decision !== null ||
    state.pendingMessages > 0 ||
    !AWAITING_AGENT.includes(state.status) ||
    run.shouldContinueAsNew() ||
    run.changeKey() !== seen;
  if (dueAt) await condition(somethingToDo, Math.max(dueAt.getTime() - now.getTime(), 1));
  else await condition(somethingToDo);
}

/**
 * The SLA clocks keep running while a reply is on its way: a send held up by a failing or slow mail server (retried
 * for up to the send timeout) is not a met clock, so the levels that fall due meanwhile fire as they would while
 * waiting for an agent. Returns when `sending` settles; its outcome stays the caller's to handle.
 */
export async function escalateWhileSending(run: TicketRun, sending: Promise<unknown>): Promise<void> {
  let settled = false;
  sending.then(
    () => (settled = true),
    () => (settled = true),
  );
  // When our timer fired, its time has come, whatever the task's clock says: a task that first ran on a worker
  // that died can be retried with the time of an earlier task, while a replay sees the later one. Taking the
  // later of the two makes both decide the same (fire the level) instead of one of them waiting again.
  let reached = 0;
  while (!settled) {
    const now = new Date(Math.max(workflowNow().getTime(), reached));
    const steps = run.clocks.steps(now);
    const due = steps.filter(({ step }) => step.breachDueNow || step.levelsDueNow.length > 0);
    if (due.length > 0) {
      await firePass(run, due, now);
      continue;
    }
    const dueAt = earliestDueAt(steps.map((s) => s.step));
    if (!dueAt) {
      await condition(() => settled);
      continue;
    }
    const woke = await condition(() => settled, Math.max(dueAt.getTime() - now.getTime(), 1));
    if (!woke) reached = dueAt.getTime();
  }
}

/** Everything due now, applied to the ticket and written in one local activity. */
async function firePass(run: TicketRun, due: DueStep[], now: Date): Promise<void> {
  const { state, ticketId } = run;
  const pass: SlaPassRecord = { ticketId, audits: [], notifications: [], supervisor: null, snapshot: null };
  const fired: string[] = [];
  for (const { record, step } of due) {
    if (step.breachDueNow) {
      record.breachRecorded = true;
      state.slaState = 'breached';
      pass.audits.push({
        ticketId,
        key: `ticket:${ticketId}:sla-breach:${record.metric}:${record.startedAt}`,
        actor: SYSTEM_ACTOR.id,
        action: 'sla_breach',
        before: null,
        after: {
          ...run.clocks.describe(record),
          deadline: step.deadline?.toISOString() ?? null,
          breachedAt: now.toISOString(),
        },
      });
    }
    for (const level of step.levelsDueNow) {
      record.firedLevelIds.push(level.id);
      applyLevel(run, record, level, now, pass);
      fired.push(`${record.metric} ${level.id}`);
    }
  }
  Object.assign(state, run.clocks.summary(now));
  run.showEscalation();
  run.syncSearchAttributes();
  if (run.hasUnpublishedChanges()) pass.snapshot = run.nextSnapshot();
  const summary = fired.length ? `SLA levels: ${fired.join(', ')}` : 'SLA breach';
  const { assignTo } = await localActivities.recordSlaPass.executeWithOptions({ ...LOCAL, summary }, [pass]);
  if (assignTo) state.claimedBy = assignTo;
  run.markPublished();
}

/** A level's actions change the ticket in order; those that reach the outside become notifications. */
function applyLevel(run: TicketRun, record: MetricRecord, level: LadderLevel, now: Date, pass: SlaPassRecord): void {
  const { state, ticketId } = run;
  const before = { queue: state.queue, priority: state.priority, claimedBy: state.claimedBy, status: state.status };
  let supervisorAlert: string | null = null;
  for (const [index, action] of level.actions.entries()) {
    const { queue, priority, claimedBy, escalated } = state;
    Object.assign(state, applyEscalationAction({ queue, priority, claimedBy, escalated }, action));
    if (!escalationActionRunsActivity(action)) continue;
    const key = escalationActionKey({
      ticketId,
      metric: record.metric,
      clockStartedAt: new Date(record.startedAt),
      levelId: level.id,
      actionIndex: index,
    });
    const firedAt = now.toISOString();
    const { metric } = record;
    pass.notifications.push({ key, ticketId, metric, levelId: level.id, action, ...queueOf(run), firedAt });
    if (action.type === 'reassign_to_supervisor') supervisorAlert = key;
  }
  const auditKey = `ticket:${ticketId}:sla:${record.metric}:${record.startedAt}:${level.id}`;
  pass.audits.push({
    ticketId,
    key: auditKey,
    actor: SYSTEM_ACTOR.id,
    action: 'sla_escalation',
    before,
    after: {
      metric: record.metric,
      level: level.id,
      actions: level.actions.map((a) => a.type),
      firedAt: now.toISOString(),
      ...queueOf(run),
      claimedBy: state.claimedBy,
      status: state.escalated && state.status === 'awaiting_review' ? 'escalated' : state.status,
    },
  });
  if (supervisorAlert) {
    pass.supervisor = { queue: state.queue, notificationKey: supervisorAlert, levelAuditKey: auditKey };
  }
}

function queueOf(run: TicketRun) {
  return { queue: run.state.queue, priority: run.state.priority };
}
