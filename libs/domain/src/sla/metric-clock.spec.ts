import fc from 'fast-check';
import { isBusinessTime } from './business-calendar';
import {
  CALENDAR_TIME,
  clockDeadline,
  elapsedSeconds,
  isClockPaused,
  oldestUnansweredAt,
  pauseClock,
  resumeClock,
  type MetricClock,
  type PauseInterval,
  type TimeBasis,
} from './metric-clock';
import { CALENDARS, FROM_2026_MS, HOUR, local, NEW_YORK, NY_BUSINESS, TO_2028_MS, wallClock } from './test-fixtures';

const at = (iso: string) => new Date(iso);
const NY_BUSINESS_TIME: TimeBasis = { kind: 'business', calendar: NY_BUSINESS };

describe('clockDeadline and elapsedSeconds: named cases', () => {
  it('calendar time without pauses: start + target', () => {
    const clock: MetricClock = { startedAt: at('2026-05-01T10:00:00Z'), pauses: [] };
    expect(clockDeadline(clock, 2 * HOUR, CALENDAR_TIME)).toEqual(at('2026-05-01T12:00:00Z'));
    expect(elapsedSeconds(clock, at('2026-05-01T10:30:00Z'), CALENDAR_TIME)).toBe(1_800);
    expect(elapsedSeconds(clock, at('2026-05-01T09:00:00Z'), CALENDAR_TIME)).toBe(0);
  });

  it('a closed pause pushes the deadline back by its length', () => {
    const clock: MetricClock = {
      startedAt: at('2026-05-01T10:00:00Z'),
      pauses: [{ from: at('2026-05-01T10:30:00Z'), to: at('2026-05-01T11:15:00Z') }],
    };
    expect(clockDeadline(clock, 2 * HOUR, CALENDAR_TIME)).toEqual(at('2026-05-01T12:45:00Z'));
    expect(elapsedSeconds(clock, at('2026-05-01T11:00:00Z'), CALENDAR_TIME)).toBe(1_800);
  });

  it('an open pause stops the clock: no deadline until the customer replies', () => {
    const clock: MetricClock = {
      startedAt: at('2026-05-01T10:00:00Z'),
      pauses: [{ from: at('2026-05-01T10:30:00Z'), to: null }],
    };
    expect(clockDeadline(clock, 2 * HOUR, CALENDAR_TIME)).toBeNull();
    expect(elapsedSeconds(clock, at('2026-05-03T00:00:00Z'), CALENDAR_TIME)).toBe(1_800);
    expect(isClockPaused(clock, at('2026-05-02T00:00:00Z'))).toBe(true);
  });

  it('an open pause after the target was reached keeps the deadline that already passed', () => {
    const clock: MetricClock = {
      startedAt: at('2026-05-01T10:00:00Z'),
      pauses: [{ from: at('2026-05-01T13:00:00Z'), to: null }],
    };
    expect(clockDeadline(clock, 2 * HOUR, CALENDAR_TIME)).toEqual(at('2026-05-01T12:00:00Z'));
  });

  it('overlapping pauses count once, in any order; the part of a pause before the start does not count', () => {
    const clock: MetricClock = {
      startedAt: at('2026-05-01T10:00:00Z'),
      pauses: [
        { from: at('2026-05-01T11:30:00Z'), to: at('2026-05-01T12:00:00Z') },
        { from: at('2026-05-01T09:00:00Z'), to: at('2026-05-01T10:10:00Z') },
        { from: at('2026-05-01T11:00:00Z'), to: at('2026-05-01T11:45:00Z') },
      ],
    };
    // Paused 10:00–10:10 and 11:00–12:00: 70 minutes in all.
    expect(clockDeadline(clock, 2 * HOUR, CALENDAR_TIME)).toEqual(at('2026-05-01T13:10:00Z'));
  });

  it('business time: a pause outside business hours changes nothing, one inside them moves the deadline', () => {
    const startedAt = local('2026-01-09T17:00', NEW_YORK); // Friday
    const weekendPause: PauseInterval = {
      from: local('2026-01-10T10:00', NEW_YORK),
      to: local('2026-01-11T10:00', NEW_YORK),
    };
    const mondayPause: PauseInterval = {
      from: local('2026-01-12T09:00', NEW_YORK),
      to: local('2026-01-12T11:00', NEW_YORK),
    };
    const deadline = (pauses: PauseInterval[]) =>
      wallClock(clockDeadline({ startedAt, pauses }, 3 * HOUR, NY_BUSINESS_TIME) as Date, NEW_YORK);
    expect(deadline([])).toBe('2026-01-12T11:00 Mon');
    expect(deadline([weekendPause])).toBe('2026-01-12T11:00 Mon');
    expect(deadline([weekendPause, mondayPause])).toBe('2026-01-12T13:00 Mon');
  });

  it('a pause that ends before it begins is a programming error', () => {
    const clock: MetricClock = {
      startedAt: at('2026-05-01T10:00:00Z'),
      pauses: [{ from: at('2026-05-01T11:00:00Z'), to: at('2026-05-01T10:30:00Z') }],
    };
    expect(() => clockDeadline(clock, HOUR, CALENDAR_TIME)).toThrow(/ends .* before it begins/);
  });
});

describe('pauseClock / resumeClock', () => {
  const clock: MetricClock = { startedAt: at('2026-05-01T10:00:00Z'), pauses: [] };

  it('pauses once and resumes the open pause', () => {
    const paused = pauseClock(clock, at('2026-05-01T10:30:00Z'));
    expect(pauseClock(paused, at('2026-05-01T10:40:00Z'))).toBe(paused); // already paused: unchanged
    const resumed = resumeClock(paused, at('2026-05-01T11:00:00Z'));
    expect(resumed.pauses).toEqual([{ from: at('2026-05-01T10:30:00Z'), to: at('2026-05-01T11:00:00Z') }]);
    expect(clockDeadline(resumed, HOUR, CALENDAR_TIME)).toEqual(at('2026-05-01T11:30:00Z'));
    expect(clock.pauses).toEqual([]); // pure: the input is untouched
  });

  it('resuming before the pause began closes it empty', () => {
    const resumed = resumeClock(pauseClock(clock, at('2026-05-01T10:30:00Z')), at('2026-05-01T10:00:00Z'));
    expect(clockDeadline(resumed, HOUR, CALENDAR_TIME)).toEqual(at('2026-05-01T11:00:00Z'));
  });
});

describe('oldestUnansweredAt', () => {
  const messages = [at('2026-05-01T10:00:00Z'), at('2026-05-01T12:00:00Z'), at('2026-05-01T11:00:00Z')];

  it('is the oldest customer message after the last reply', () => {
    expect(oldestUnansweredAt(messages, null)).toEqual(at('2026-05-01T10:00:00Z'));
    expect(oldestUnansweredAt(messages, at('2026-05-01T10:30:00Z'))).toEqual(at('2026-05-01T11:00:00Z'));
  });

  it('is null when every message has an answer', () => {
    expect(oldestUnansweredAt(messages, at('2026-05-01T12:00:00Z'))).toBeNull();
  });
});

// ---- Properties -------------------------------------------------------------------------------------------

const basis: fc.Arbitrary<TimeBasis> = fc.oneof(
  fc.constant(CALENDAR_TIME),
  fc.constantFrom(...CALENDARS).map((calendar): TimeBasis => ({ kind: 'business', calendar })),
);
const startMs = fc.integer({ min: FROM_2026_MS, max: TO_2028_MS });
const targetSeconds = fc.integer({ min: 0, max: 60 * HOUR });
/** Closed pauses as [offset from start, length], in seconds; offsets may be negative (before the start). */
const closedPauses = fc.array(
  fc.tuple(fc.integer({ min: -10 * HOUR, max: 200 * HOUR }), fc.integer({ min: 0, max: 72 * HOUR })),
  { maxLength: 5 },
);

function clockOf(start: number, pauses: [number, number][], open?: number): MetricClock {
  const list: PauseInterval[] = pauses.map(([offset, length]) => ({
    from: new Date(start + offset * 1_000),
    to: new Date(start + (offset + length) * 1_000),
  }));
  if (open !== undefined) list.push({ from: new Date(start + open * 1_000), to: null });
  return { startedAt: new Date(start), pauses: list };
}

const deadlineMs = (clock: MetricClock, target: number, time: TimeBasis) =>
  clockDeadline(clock, target, time)?.getTime() ?? Infinity;

describe('metric clock: properties', () => {
  it('the deadline is monotone in the target', () => {
    fc.assert(
      fc.property(basis, startMs, closedPauses, targetSeconds, targetSeconds, (time, start, pauses, t1, t2) => {
        const clock = clockOf(start, pauses);
        const [small, large] = t1 <= t2 ? [t1, t2] : [t2, t1];
        expect(deadlineMs(clock, small, time)).toBeLessThanOrEqual(deadlineMs(clock, large, time));
      }),
    );
  });

  it('elapsed time is monotone in time and reaches exactly the target at the deadline', () => {
    fc.assert(
      fc.property(
        basis,
        startMs,
        closedPauses,
        targetSeconds,
        fc.integer({ min: 0, max: 100 * HOUR }),
        (time, start, pauses, target, probe) => {
          const clock = clockOf(start, pauses);
          const deadline = clockDeadline(clock, target, time) as Date;
          expect(elapsedSeconds(clock, deadline, time)).toBe(target);
          const earlier = new Date(start + probe * 1_000);
          const later = new Date(start + probe * 1_000 + 3_600_000);
          expect(elapsedSeconds(clock, earlier, time)).toBeLessThanOrEqual(elapsedSeconds(clock, later, time));
          if (target > 0 && earlier < deadline) expect(elapsedSeconds(clock, earlier, time)).toBeLessThan(target);
        },
      ),
    );
  });

  it('pauses never shorten a deadline: adding a pause, closed or open, never brings it earlier', () => {
    fc.assert(
      fc.property(
        basis,
        startMs,
        closedPauses,
        fc.tuple(fc.integer({ min: -10 * HOUR, max: 200 * HOUR }), fc.integer({ min: 0, max: 72 * HOUR })),
        fc.option(fc.integer({ min: -10 * HOUR, max: 200 * HOUR })),
        targetSeconds,
        (time, start, pauses, extra, open, target) => {
          const before = deadlineMs(clockOf(start, pauses), target, time);
          expect(deadlineMs(clockOf(start, [...pauses, extra]), target, time)).toBeGreaterThanOrEqual(before);
          expect(deadlineMs(clockOf(start, pauses, open ?? undefined), target, time)).toBeGreaterThanOrEqual(before);
        },
      ),
    );
  });

  it('the deadline is never before the start, and in business time a positive target lands in business hours', () => {
    fc.assert(
      fc.property(basis, startMs, closedPauses, targetSeconds, (time, start, pauses, target) => {
        const deadline = clockDeadline(clockOf(start, pauses), target, time) as Date;
        expect(deadline.getTime()).toBeGreaterThanOrEqual(start);
        if (time.kind === 'business' && target > 0)
          expect(isBusinessTime(new Date(deadline.getTime() - 1), time.calendar)).toBe(true);
      }),
    );
  });
});
