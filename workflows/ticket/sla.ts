/**
 * The SLA wait while a ticket is with the humans: fire what is due (breaches are recorded when they happen, never
 * back-dated; overdue levels all fire, in order, after downtime), then keep ONE timer for the next ladder step and
 * wake early on any change. A passing deadline escalates; it never fails the ticket.
 */
import { ActivityFailure, condition, setCurrentDetails } from '@temporalio/workflow';
import {
  AWAITING_AGENT,
  applyEscalationAction,
  earliestDueAt,
  escalationActionKey,
  escalationActionRunsActivity,
  SYSTEM_ACTOR,
  type LadderLevel,
} from '../../libs/domain';
import { activities, localActivities, QUICK } from './activities';
import type { MetricRecord } from './sla-clocks';
import type { TicketRun } from './ticket-state';
import { workflowNow } from './workflow-clock';

/** One pass: returns after firing something, after the next step's timer, or as soon as anything changes. */
export async function waitForAgent(run: TicketRun): Promise<void> {
  const { state, clocks } = run;
  const now = workflowNow();
  let acted = false;
  for (const { record, step } of clocks.steps(now)) {
    if (step.breachDueNow) {
      record.breachRecorded = true;
      acted = true;
      await recordBreach(run, record, step.deadline, now);
    }
    for (const level of step.levelsDueNow) {
      record.firedLevelIds.push(level.id);
      acted = true;
      await fireLevel(run, record, level, now);
    }
  }
  Object.assign(state, clocks.summary(now));
  escalateStatus(run);
  await run.publishIfChanged(localActivities);
  if (acted) return;

  const dueAt = earliestDueAt(clocks.steps(now).map((s) => s.step));
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

async function recordBreach(run: TicketRun, record: MetricRecord, deadline: Date | null, now: Date): Promise<void> {
  run.state.slaState = 'breached';
  await localActivities.recordDecision({
    ticketId: run.ticketId,
    key: `ticket:${run.ticketId}:sla-breach:${record.metric}:${record.startedAt}`,
    actor: SYSTEM_ACTOR.id,
    action: 'sla_breach',
    before: null,
    after: {
      ...run.clocks.describe(record),
      deadline: deadline?.toISOString() ?? null,
      breachedAt: now.toISOString(),
    },
  });
}

/** One ladder level: its actions change the ticket in order; those that reach the outside run as activities. */
async function fireLevel(run: TicketRun, record: MetricRecord, level: LadderLevel, now: Date): Promise<void> {
  const { state, ticketId } = run;
  const before = { queue: state.queue, priority: state.priority, claimedBy: state.claimedBy, status: state.status };
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
    const input = {
      key,
      ticketId,
      metric: record.metric,
      levelId: level.id,
      action,
      queue: state.queue,
      priority: state.priority,
      firedAt: now.toISOString(),
    };
    try {
      const { assignTo } = await activities.runEscalationAction.executeWithOptions(
        { ...QUICK, summary: `SLA ${record.metric} ${level.id}: ${action.type}` },
        [input],
      );
      if (assignTo) state.claimedBy = assignTo;
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      // A notification that cannot be delivered never stops the ladder: it is recorded for people to see.
      const failure = { error: error.cause?.message ?? error.message };
      await run.audit(SYSTEM_ACTOR, 'sla_action_failed', { level: level.id, action: action.type }, failure);
    }
  }
  escalateStatus(run);
  await localActivities.recordDecision({
    ticketId,
    key: `ticket:${ticketId}:sla:${record.metric}:${record.startedAt}:${level.id}`,
    actor: SYSTEM_ACTOR.id,
    action: 'sla_escalation',
    before,
    after: {
      metric: record.metric,
      level: level.id,
      actions: level.actions.map((a) => a.type),
      firedAt: now.toISOString(),
      queue: state.queue,
      priority: state.priority,
      claimedBy: state.claimedBy,
      status: state.status,
    },
  });
}

/** A ticket waiting for review that an SLA level escalated shows as escalated. */
function escalateStatus(run: TicketRun): void {
  if (run.state.escalated && run.state.status === 'awaiting_review') run.transition('escalated');
}
