import { addBusinessMilliseconds, businessMillisecondsBetween, toMilliseconds } from './business-calendar';
import type { BusinessCalendar } from './sla.types';

/**
 * A metric clock: it starts at an instant and runs except during pauses (the ticket waits on the customer).
 * Running time is measured in the policy's time: every second (`calendar`), or only open hours (`business`).
 * All functions are pure; `now` is always a parameter.
 */

/** A pause `[from, to)`; `to: null` means the clock is still paused. */
export interface PauseInterval {
  from: Date;
  to: Date | null;
}

export interface MetricClock {
  startedAt: Date;
  /** In any order; overlapping pauses and the part of a pause before `startedAt` count once / not at all. */
  pauses: readonly PauseInterval[];
}

export type TimeBasis = { kind: 'calendar' } | { kind: 'business'; calendar: BusinessCalendar };

export const CALENDAR_TIME: TimeBasis = { kind: 'calendar' };

/**
 * The instant at which the clock's running time reaches `targetSeconds`, or `null` when an open pause stops the
 * clock before it gets there (the deadline is unknown until the customer replies). Never before `startedAt`.
 */
export function clockDeadline(clock: MetricClock, targetSeconds: number, time: TimeBasis): Date | null {
  let remaining = toMilliseconds(targetSeconds, 'the target');
  for (const run of runningSpans(clock)) {
    const length = measure(run.start, run.end, time);
    if (remaining <= length) return new Date(advance(run.start, remaining, time));
    remaining -= length;
  }
  return null; // the last running span ended in an open pause
}

/** Running seconds of the clock in `[startedAt, at)`, in the policy's time; 0 before the clock starts. */
export function elapsedSeconds(clock: MetricClock, at: Date, time: TimeBasis): number {
  const atMs = at.getTime();
  let total = 0;
  for (const run of runningSpans(clock)) {
    if (run.start >= atMs) break;
    total += measure(run.start, Math.min(run.end, atMs), time);
  }
  return total / 1_000;
}

/** True when a pause covers `at`. */
export function isClockPaused(clock: MetricClock, at: Date): boolean {
  const ms = at.getTime();
  return clock.pauses.some((p) => p.from.getTime() <= ms && (p.to === null || ms < p.to.getTime()));
}

/** The clock with a pause opened at `at`; unchanged when it is already paused then. */
export function pauseClock(clock: MetricClock, at: Date): MetricClock {
  if (clock.pauses.some((p) => p.to === null)) return clock;
  return { ...clock, pauses: [...clock.pauses, { from: at, to: null }] };
}

/** The clock with its open pause closed at `at` (never before the pause began); unchanged when it isn't paused. */
export function resumeClock(clock: MetricClock, at: Date): MetricClock {
  return {
    ...clock,
    pauses: clock.pauses.map((p) =>
      p.to === null ? { from: p.from, to: at.getTime() < p.from.getTime() ? p.from : at } : p,
    ),
  };
}

/**
 * Where the next-reply clock starts: the oldest customer message not answered yet (received after the last
 * reply to the customer), or `null` when every message has an answer.
 */
export function oldestUnansweredAt(customerMessagesAt: readonly Date[], lastReplyAt: Date | null): Date | null {
  const after = lastReplyAt?.getTime() ?? -Infinity;
  const unanswered = customerMessagesAt.map((d) => d.getTime()).filter((ms) => ms > after);
  return unanswered.length ? new Date(Math.min(...unanswered)) : null;
}

// ---- Internals ------------------------------------------------------------------------------------------

interface RunningSpan {
  start: number;
  /** `Infinity` for the open-ended last span. */
  end: number;
}

/** The clock's running spans in time order: `[startedAt, ∞)` minus the pauses. */
function runningSpans(clock: MetricClock): RunningSpan[] {
  const start = clock.startedAt.getTime();
  const pauses = clock.pauses
    .map((p) => {
      const to = p.to === null ? Infinity : p.to.getTime();
      if (to < p.from.getTime())
        throw new RangeError(`a pause ends (${p.to?.toISOString()}) before it begins (${p.from.toISOString()})`);
      return { from: Math.max(p.from.getTime(), start), to };
    })
    .filter((p) => p.to > p.from)
    .sort((a, b) => a.from - b.from);
  const spans: RunningSpan[] = [];
  let cursor = start;
  for (const pause of pauses) {
    if (pause.from > cursor) spans.push({ start: cursor, end: pause.from });
    cursor = Math.max(cursor, pause.to);
    if (cursor === Infinity) return spans;
  }
  spans.push({ start: cursor, end: Infinity });
  return spans;
}

function measure(fromMs: number, toMs: number, time: TimeBasis): number {
  if (time.kind === 'calendar') return toMs - fromMs;
  if (toMs === Infinity) return Infinity;
  return businessMillisecondsBetween(fromMs, toMs, time.calendar);
}

function advance(fromMs: number, ms: number, time: TimeBasis): number {
  return time.kind === 'calendar' ? fromMs + ms : addBusinessMilliseconds(fromMs, ms, time.calendar);
}
