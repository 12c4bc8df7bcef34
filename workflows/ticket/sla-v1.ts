/**
 * How an SLA pass fired before levels wrote everything in one local activity: each breach and level audit as its
 * own local activity, and each action that reaches outside as a `runEscalationAction` activity awaited in line.
 * Kept only so tickets whose level fired this way keep replaying (`patched('sla-pass-one-write')` in sla.ts);
 * delete it with the patch once no such ticket is running (see docs/sla.md, "Ship a workflow change").
 */
import { ActivityFailure } from '@temporalio/workflow';
import {
  applyEscalationAction,
  escalationActionKey,
  escalationActionRunsActivity,
  SYSTEM_ACTOR,
} from '../../libs/domain/workflow-rules';
import type { LadderLevel } from '../../libs/domain';
import { activities, localActivities, QUICK } from './activities';
import type { DueStep, MetricRecord } from './sla-clocks';
import type { TicketRun } from './ticket-state';

export async function firePassStepByStep(run: TicketRun, due: DueStep[], now: Date): Promise<void> {
  for (const { record, step } of due) {
    if (step.breachDueNow) {
      record.breachRecorded = true;
      await recordBreach(run, record, step.deadline, now);
    }
    for (const level of step.levelsDueNow) {
      record.firedLevelIds.push(level.id);
      await fireLevel(run, record, level, now);
    }
  }
  Object.assign(run.state, run.clocks.summary(now));
  run.showEscalation();
  await run.publishIfChanged(localActivities);
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
      const failure = { error: error.cause?.message ?? error.message };
      await run.audit(SYSTEM_ACTOR, 'sla_action_failed', { level: level.id, action: action.type }, failure);
    }
  }
  run.showEscalation();
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
