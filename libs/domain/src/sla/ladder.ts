import type { SlaState } from '../tickets/ticket.types';
import { clockDeadline, isClockPaused, type MetricClock } from './metric-clock';
import type { MetricSla } from './policy';
import type { LadderLevel, LevelTiming } from './sla.types';

/**
 * Escalation ladders as a pure state machine the workflow drives with ONE durable timer:
 *
 *   step = nextLadderStep(state, now)
 *   if (step.breachDueNow) record the breach (at `now`: never back-dated)
 *   for (level of step.levelsDueNow) run its actions, then add level.id to firedLevelIds
 *   wait until step.dueAt (or until the state changes), then call nextLadderStep again
 *
 * Every level is due when the metric clock's running time reaches its threshold (see `LevelTiming`), so pauses
 * and business hours move levels exactly as they move the deadline.
 */

/** What the workflow knows about one running metric. JSON-able once the dates are ISO strings. */
export interface LadderState {
  sla: Pick<MetricSla, 'targetSeconds' | 'time' | 'levels'>;
  clock: MetricClock;
  /** Ids of the levels already fired for this clock. A level fires once. */
  firedLevelIds: readonly string[];
  /** True once the workflow recorded this clock's breach. */
  breachRecorded: boolean;
  /** When the metric was met (reply sent, agent acted...); `null` while it runs. */
  metAt: Date | null;
}

export interface LadderStep {
  /** When the running time reaches the target; `null` while an open pause stops the clock first. */
  deadline: Date | null;
  /** The deadline has passed (before `now`, and before the metric was met) and no breach is recorded yet. */
  breachDueNow: boolean;
  /** Unfired levels whose time has come, in ladder order: fire them all, oldest first (recovery after downtime). */
  levelsDueNow: LadderLevel[];
  /** The next instant something is due, strictly after `now`; `null` when nothing will be due until the state changes. */
  dueAt: Date | null;
  /** Levels that will never fire because the metric was met (for the audit trail); empty while it runs. */
  cancelledLevels: LadderLevel[];
}

/** The running time (in the policy's time) at which a level is due. */
export function levelThresholdSeconds(at: LevelTiming, targetSeconds: number): number {
  if ('percentOfTarget' in at) return (targetSeconds * at.percentOfTarget) / 100;
  if ('afterDeadlineSeconds' in at) return targetSeconds + at.afterDeadlineSeconds;
  return targetSeconds;
}

/** When a level is due on this clock, or `null` while an open pause stops the clock before it. */
export function levelDueAt(state: Pick<LadderState, 'sla' | 'clock'>, level: LadderLevel): Date | null {
  return clockDeadline(state.clock, levelThresholdSeconds(level.at, state.sla.targetSeconds), state.sla.time);
}

/** What is due now and when to wake up next. Never returns a level before its time. */
export function nextLadderStep(state: LadderState, now: Date): LadderStep {
  const nowMs = now.getTime();
  const deadline = clockDeadline(state.clock, state.sla.targetSeconds, state.sla.time);
  const fired = new Set(state.firedLevelIds);
  const unfired = orderedLevels(state).filter((level) => !fired.has(level.id));

  if (state.metAt !== null) {
    // Met after its deadline while the breach was never recorded (the reply raced the timer, or the worker was
    // down): the breach is recorded now, but no level fires any more. Met exactly at the deadline is in time.
    const deadlineMs = deadline?.getTime() ?? Infinity;
    const breachDueNow = !state.breachRecorded && deadlineMs < state.metAt.getTime() && deadlineMs <= nowMs;
    return { deadline, breachDueNow, levelsDueNow: [], dueAt: null, cancelledLevels: unfired };
  }

  const levelsDueNow: LadderLevel[] = [];
  let nextMs = Infinity;
  for (const level of unfired) {
    const dueAt = levelDueAt(state, level);
    if (dueAt === null) break; // stopped by an open pause; later levels are later still
    if (dueAt.getTime() <= nowMs) {
      levelsDueNow.push(level);
    } else {
      nextMs = dueAt.getTime();
      break; // levels are in time order: the rest are due later
    }
  }
  let breachDueNow = false;
  if (!state.breachRecorded && deadline !== null) {
    if (deadline.getTime() <= nowMs) breachDueNow = true;
    else nextMs = Math.min(nextMs, deadline.getTime());
  }
  return {
    deadline,
    breachDueNow,
    levelsDueNow,
    dueAt: nextMs === Infinity ? null : new Date(nextMs),
    cancelledLevels: [],
  };
}

/**
 * The metric's SLA state at `now`: `met` once met; `breached` once the deadline passed (or a breach was
 * recorded); `paused` while waiting on the customer; `warning` once the first level before the deadline is due
 * (a ladder without such a level goes straight from `ok` to `breached`); `ok` otherwise.
 */
export function slaStateAt(state: LadderState, now: Date): SlaState {
  const nowMs = now.getTime();
  if (state.metAt !== null && state.metAt.getTime() <= nowMs) return 'met';
  const deadline = clockDeadline(state.clock, state.sla.targetSeconds, state.sla.time);
  if (state.breachRecorded || (deadline !== null && deadline.getTime() <= nowMs)) return 'breached';
  if (isClockPaused(state.clock, now)) return 'paused';
  const warning = orderedLevels(state).find(
    (level) => levelThresholdSeconds(level.at, state.sla.targetSeconds) < state.sla.targetSeconds,
  );
  const warningAt = warning ? levelDueAt(state, warning) : null;
  return warningAt !== null && warningAt.getTime() <= nowMs ? 'warning' : 'ok';
}

const STATE_SEVERITY: Record<SlaState, number> = { met: 0, paused: 1, ok: 2, warning: 3, breached: 4 };

/** The ticket's state from its metrics' states: the most severe wins; `ok` when nothing is measured. */
export function worstSlaState(states: readonly SlaState[]): SlaState {
  return (
    states.reduce<SlaState | null>(
      (worst, s) => (worst === null || STATE_SEVERITY[s] > STATE_SEVERITY[worst] ? s : worst),
      null,
    ) ?? 'ok'
  );
}

/** The one timer the workflow keeps: the earliest `dueAt` over all its metrics, or `null` for none. */
export function earliestDueAt(steps: readonly Pick<LadderStep, 'dueAt'>[]): Date | null {
  const times = steps.map((s) => s.dueAt?.getTime()).filter((t): t is number => t !== undefined);
  return times.length ? new Date(Math.min(...times)) : null;
}

/** The ladder's levels in time order (by threshold; equal thresholds keep their configured order). */
export function orderedLevels(state: Pick<LadderState, 'sla'>): LadderLevel[] {
  const target = state.sla.targetSeconds;
  return state.sla.levels
    .map((level, index) => ({ level, index, threshold: levelThresholdSeconds(level.at, target) }))
    .sort((a, b) => a.threshold - b.threshold || a.index - b.index)
    .map((entry) => entry.level);
}
