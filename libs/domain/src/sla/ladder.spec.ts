import fc from 'fast-check';
import { DEFAULT_ESCALATION_LADDER } from './default-config';
import {
  earliestDueAt,
  levelDueAt,
  levelThresholdSeconds,
  nextLadderStep,
  orderedLevels,
  slaStateAt,
  worstSlaState,
  type LadderState,
} from './ladder';
import { CALENDAR_TIME, pauseClock, resumeClock, type TimeBasis } from './metric-clock';
import type { LadderLevel } from './sla.types';
import { HOUR, local, NEW_YORK, NY_BUSINESS, wallClock } from './test-fixtures';

const MINUTE = 60;
const T0 = new Date('2026-05-04T10:00:00Z');
const plus = (seconds: number, from: Date = T0) => new Date(from.getTime() + seconds * 1_000);

/** A first-reply clock started at T0 with a 1 h calendar-time target and the default ladder (warn 75 %, breach, +1 h). */
function ladderState(over: Partial<LadderState> = {}): LadderState {
  return {
    sla: { targetSeconds: HOUR, time: CALENDAR_TIME, levels: DEFAULT_ESCALATION_LADDER },
    clock: { startedAt: T0, pauses: [] },
    firedLevelIds: [],
    breachRecorded: false,
    metAt: null,
    ...over,
  };
}

const ids = (levels: readonly LadderLevel[]) => levels.map((l) => l.id);

describe('nextLadderStep', () => {
  it('before anything is due: nothing fires, the timer is set for the first level', () => {
    const step = nextLadderStep(ladderState(), plus(10 * MINUTE));
    expect(step.levelsDueNow).toEqual([]);
    expect(step.breachDueNow).toBe(false);
    expect(step.dueAt).toEqual(plus(45 * MINUTE));
    expect(step.deadline).toEqual(plus(HOUR));
  });

  it('never fires early: one millisecond before a level, it is not due', () => {
    const justBefore = new Date(plus(45 * MINUTE).getTime() - 1);
    expect(nextLadderStep(ladderState(), justBefore).levelsDueNow).toEqual([]);
    expect(ids(nextLadderStep(ladderState(), plus(45 * MINUTE)).levelsDueNow)).toEqual(['warn']);
  });

  it('fires the levels in order, each at its time, and the breach at the deadline', () => {
    let state = ladderState();
    const fired: string[] = [];
    let now = T0;
    for (;;) {
      const step = nextLadderStep(state, now);
      if (step.breachDueNow) {
        fired.push(`breach recorded@${(now.getTime() - T0.getTime()) / 60_000}m`);
        state = { ...state, breachRecorded: true };
      }
      for (const level of step.levelsDueNow) fired.push(`${level.id}@${(now.getTime() - T0.getTime()) / 60_000}m`);
      state = { ...state, firedLevelIds: [...state.firedLevelIds, ...ids(step.levelsDueNow)] };
      if (!step.dueAt) break;
      now = step.dueAt;
    }
    expect(fired).toEqual(['warn@45m', 'breach recorded@60m', 'breach@60m', 'breach_plus_1h@120m']);
  });

  it('a level fires once: once recorded as fired it is never due again', () => {
    const now = plus(50 * MINUTE);
    const first = nextLadderStep(ladderState(), now);
    expect(ids(first.levelsDueNow)).toEqual(['warn']);
    const again = nextLadderStep(ladderState({ firedLevelIds: ['warn'] }), now);
    expect(again.levelsDueNow).toEqual([]);
    expect(again.dueAt).toEqual(plus(HOUR));
  });

  it('on recovery after downtime, every overdue level fires at once, in order, and the breach with them', () => {
    const step = nextLadderStep(ladderState(), plus(3 * HOUR));
    expect(ids(step.levelsDueNow)).toEqual(['warn', 'breach', 'breach_plus_1h']);
    expect(step.breachDueNow).toBe(true);
    expect(step.dueAt).toBeNull();
  });

  it('meeting the metric cancels the levels left over', () => {
    const step = nextLadderStep(ladderState({ firedLevelIds: ['warn'], metAt: plus(50 * MINUTE) }), plus(50 * MINUTE));
    expect(step.levelsDueNow).toEqual([]);
    expect(step.dueAt).toBeNull();
    expect(step.breachDueNow).toBe(false);
    expect(ids(step.cancelledLevels)).toEqual(['breach', 'breach_plus_1h']);
  });

  it('met late while the breach was never recorded: the breach is recorded now, but no level fires', () => {
    const step = nextLadderStep(ladderState({ firedLevelIds: ['warn'], metAt: plus(70 * MINUTE) }), plus(70 * MINUTE));
    expect(step.breachDueNow).toBe(true);
    expect(step.levelsDueNow).toEqual([]);
    expect(ids(step.cancelledLevels)).toEqual(['breach', 'breach_plus_1h']);
  });

  it('met exactly at the deadline is in time', () => {
    const step = nextLadderStep(ladderState({ metAt: plus(HOUR) }), plus(HOUR));
    expect(step.breachDueNow).toBe(false);
  });

  it('a pause stops the ladder; resuming shifts every level by the pause', () => {
    const paused = ladderState({ clock: pauseClock({ startedAt: T0, pauses: [] }, plus(30 * MINUTE)) });
    const whilePaused = nextLadderStep(paused, plus(5 * HOUR));
    expect(whilePaused).toMatchObject({ levelsDueNow: [], dueAt: null, deadline: null, breachDueNow: false });

    const resumed = { ...paused, clock: resumeClock(paused.clock, plus(5 * HOUR)) };
    const step = nextLadderStep(resumed, plus(5 * HOUR));
    expect(step.levelsDueNow).toEqual([]);
    expect(step.dueAt).toEqual(plus(5 * HOUR + 15 * MINUTE)); // 30 min ran before the pause, 15 more to 75 %
  });

  it('a change that makes levels overdue (a shorter target) fires them now, and the breach is recorded now, not back-dated', () => {
    const now = plus(40 * MINUTE);
    const before = nextLadderStep(ladderState(), now);
    expect(before.breachDueNow).toBe(false);
    const shorter = ladderState({
      sla: { targetSeconds: 30 * MINUTE, time: CALENDAR_TIME, levels: DEFAULT_ESCALATION_LADDER },
    });
    const after = nextLadderStep(shorter, now);
    expect(after.deadline).toEqual(plus(30 * MINUTE)); // the deadline lies in the past...
    expect(after.breachDueNow).toBe(true); // ...and the workflow records the breach at `now`, the moment it learns of it
    expect(ids(after.levelsDueNow)).toEqual(['warn', 'breach']);
    expect(after.dueAt).toEqual(plus(90 * MINUTE));
  });

  it('a level kept across a policy change (same id) does not fire again', () => {
    const shorter = ladderState({
      sla: { targetSeconds: 30 * MINUTE, time: CALENDAR_TIME, levels: DEFAULT_ESCALATION_LADDER },
      firedLevelIds: ['warn'],
    });
    expect(ids(nextLadderStep(shorter, plus(40 * MINUTE)).levelsDueNow)).toEqual(['breach']);
  });

  it('business time: breach + 1 h is one business hour after the deadline', () => {
    const state = ladderState({
      sla: {
        targetSeconds: HOUR,
        time: { kind: 'business', calendar: NY_BUSINESS },
        levels: DEFAULT_ESCALATION_LADDER,
      },
      clock: { startedAt: local('2026-01-09T17:30', NEW_YORK), pauses: [] }, // Friday
    });
    const due = orderedLevels(state).map(
      (level) => `${level.id} ${wallClock(levelDueAt(state, level) as Date, NEW_YORK)}`,
    );
    expect(due).toEqual([
      'warn 2026-01-12T09:15 Mon',
      'breach 2026-01-12T09:30 Mon',
      'breach_plus_1h 2026-01-12T10:30 Mon',
    ]);
  });

  it('levels are taken in time order even if configured out of order; equal times keep their configured order', () => {
    const levels: LadderLevel[] = [
      { id: 'late', at: { afterDeadlineSeconds: 60 }, actions: [{ type: 'raise_priority' }] },
      { id: 'b', at: { atDeadline: true }, actions: [{ type: 'raise_priority' }] },
      { id: 'a', at: { percentOfTarget: 100 }, actions: [{ type: 'raise_priority' }] },
      { id: 'early', at: { percentOfTarget: 10 }, actions: [{ type: 'raise_priority' }] },
    ];
    expect(ids(orderedLevels(ladderState({ sla: { targetSeconds: HOUR, time: CALENDAR_TIME, levels } })))).toEqual([
      'early',
      'b',
      'a',
      'late',
    ]);
  });
});

describe('levelThresholdSeconds', () => {
  it.each([
    [{ percentOfTarget: 75 }, 2_700],
    [{ atDeadline: true as const }, 3_600],
    [{ afterDeadlineSeconds: 600 }, 4_200],
  ])('%j of a 1 h target → %s s', (at, seconds) => expect(levelThresholdSeconds(at, HOUR)).toBe(seconds));
});

describe('slaStateAt', () => {
  it('goes ok → warning → breached', () => {
    const state = ladderState();
    expect(slaStateAt(state, plus(10 * MINUTE))).toBe('ok');
    expect(slaStateAt(state, plus(45 * MINUTE))).toBe('warning');
    expect(slaStateAt(state, plus(HOUR))).toBe('breached');
  });

  it('is met once met, even after the deadline', () => {
    expect(slaStateAt(ladderState({ metAt: plus(2 * HOUR) }), plus(3 * HOUR))).toBe('met');
  });

  it('is paused while the clock is stopped, unless it already breached', () => {
    const clock = pauseClock({ startedAt: T0, pauses: [] }, plus(50 * MINUTE));
    expect(slaStateAt(ladderState({ clock }), plus(5 * HOUR))).toBe('paused');
    const lateClock = pauseClock({ startedAt: T0, pauses: [] }, plus(70 * MINUTE));
    expect(slaStateAt(ladderState({ clock: lateClock }), plus(5 * HOUR))).toBe('breached');
  });

  it('without a level before the deadline there is no warning', () => {
    const levels = DEFAULT_ESCALATION_LADDER.filter((l) => l.id !== 'warn');
    expect(
      slaStateAt(ladderState({ sla: { targetSeconds: HOUR, time: CALENDAR_TIME, levels } }), plus(59 * MINUTE)),
    ).toBe('ok');
  });
});

describe('worstSlaState and earliestDueAt (one ticket, several metrics)', () => {
  it('the most severe state wins', () => {
    expect(worstSlaState(['met', 'paused', 'warning', 'ok'])).toBe('warning');
    expect(worstSlaState(['met', 'breached', 'warning'])).toBe('breached');
    expect(worstSlaState(['paused', 'met'])).toBe('paused');
    expect(worstSlaState(['met', 'met'])).toBe('met');
    expect(worstSlaState([])).toBe('ok');
  });

  it('the one timer is the earliest due time', () => {
    expect(earliestDueAt([{ dueAt: null }, { dueAt: plus(20) }, { dueAt: plus(10) }])).toEqual(plus(10));
    expect(earliestDueAt([{ dueAt: null }])).toBeNull();
  });
});

// ---- The workflow loop, simulated --------------------------------------------------------------------------

interface Firing {
  levelId: string;
  at: number;
}

/**
 * Drives the ladder as the workflow will: one timer (the step's `dueAt`), woken late when the worker is down, and
 * state changes (pause/resume, met) at given instants. Returns what fired, when.
 */
function simulate(
  initial: LadderState,
  opts: {
    downtime: [number, number] | null;
    pauseAt: number | null;
    resumeAt: number | null;
    metAt: number | null;
    until: number;
  },
): { firings: Firing[]; breaches: number[]; state: LadderState } {
  let state = initial;
  const firings: Firing[] = [];
  const breaches: number[] = [];
  const changes = [
    opts.pauseAt !== null
      ? {
          at: opts.pauseAt,
          apply: (s: LadderState) => ({ ...s, clock: pauseClock(s.clock, new Date(opts.pauseAt as number)) }),
        }
      : null,
    opts.resumeAt !== null && opts.pauseAt !== null
      ? {
          at: Math.max(opts.resumeAt, opts.pauseAt),
          apply: (s: LadderState) => ({
            ...s,
            clock: resumeClock(s.clock, new Date(Math.max(opts.resumeAt as number, opts.pauseAt as number))),
          }),
        }
      : null,
    opts.metAt !== null
      ? { at: opts.metAt, apply: (s: LadderState) => ({ ...s, metAt: new Date(opts.metAt as number) }) }
      : null,
  ]
    .filter((c): c is { at: number; apply: (s: LadderState) => LadderState } => c !== null)
    .sort((a, b) => a.at - b.at);
  const recovered = (t: number) =>
    opts.downtime && t >= opts.downtime[0] && t < opts.downtime[1] ? opts.downtime[1] : t;

  let now = initial.clock.startedAt.getTime();
  for (let guard = 0; guard < 100; guard++) {
    const step = nextLadderStep(state, new Date(now));
    if (step.breachDueNow) {
      breaches.push(now);
      state = { ...state, breachRecorded: true };
    }
    for (const level of step.levelsDueNow) firings.push({ levelId: level.id, at: now });
    state = { ...state, firedLevelIds: [...state.firedLevelIds, ...ids(step.levelsDueNow)] };
    const timer = step.dueAt?.getTime() ?? Infinity;
    const change = changes[0]?.at ?? Infinity;
    const wake = Math.min(timer, change);
    if (wake === Infinity || wake > opts.until) break;
    now = Math.max(now, recovered(wake));
    while (changes.length && (changes[0] as { at: number }).at <= now)
      state = (changes.shift() as { apply: (s: LadderState) => LadderState }).apply(state);
  }
  return { firings, breaches, state };
}

describe('the ladder driven by one timer (simulated workflow)', () => {
  const offset = (maxHours: number) => fc.integer({ min: 0, max: maxHours * 3_600_000 });
  const scenario = fc.record({
    downtime: fc.option(fc.tuple(offset(4), offset(3))),
    pauseAt: fc.option(offset(3)),
    resumeAt: fc.option(offset(6)),
    metAt: fc.option(offset(4)),
    business: fc.boolean(),
  });

  it('fires each level at most once, in order, never before it is due, and nothing after the metric is met', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const t0 = s.business ? local('2026-01-09T16:30', NEW_YORK) : T0;
        const time: TimeBasis = s.business ? { kind: 'business', calendar: NY_BUSINESS } : CALENDAR_TIME;
        const start = t0.getTime();
        const initial = ladderState({
          sla: { targetSeconds: HOUR, time, levels: DEFAULT_ESCALATION_LADDER },
          clock: { startedAt: t0, pauses: [] },
        });
        const at = (o: number | null) => (o === null ? null : start + o);
        const { firings, breaches, state } = simulate(initial, {
          downtime: s.downtime ? [start + s.downtime[0], start + s.downtime[0] + s.downtime[1]] : null,
          pauseAt: at(s.pauseAt),
          resumeAt: at(s.resumeAt),
          metAt: at(s.metAt),
          until: start + 7 * 24 * 3_600_000,
        });

        const firedIds = firings.map((f) => f.levelId);
        expect(new Set(firedIds).size).toBe(firedIds.length); // once each
        expect(firedIds).toEqual(ids(orderedLevels(state)).filter((id) => firedIds.includes(id))); // in ladder order
        for (const firing of firings) {
          // never early: on the final clock (pauses only ever push levels later), the level was due when it fired
          expect(
            levelDueAt(state, DEFAULT_ESCALATION_LADDER.find((l) => l.id === firing.levelId) as LadderLevel)!.getTime(),
          ).toBeLessThanOrEqual(firing.at);
          if (state.metAt) expect(firing.at).toBeLessThan(state.metAt.getTime());
        }
        expect(breaches.length).toBeLessThanOrEqual(1);
        if (state.metAt === null && !(s.pauseAt !== null && s.resumeAt === null)) {
          expect(firedIds).toEqual(['warn', 'breach', 'breach_plus_1h']); // nothing is lost
          expect(breaches).toHaveLength(1);
        }
      }),
    );
  });

  it('without downtime or pauses each level fires exactly at its due time', () => {
    const { firings } = simulate(ladderState(), {
      downtime: null,
      pauseAt: null,
      resumeAt: null,
      metAt: null,
      until: T0.getTime() + 10 * 3_600_000,
    });
    expect(firings).toEqual([
      { levelId: 'warn', at: plus(45 * MINUTE).getTime() },
      { levelId: 'breach', at: plus(HOUR).getTime() },
      { levelId: 'breach_plus_1h', at: plus(2 * HOUR).getTime() },
    ]);
  });

  it('after downtime the overdue levels fire together at recovery, in order', () => {
    const recovery = plus(3 * HOUR).getTime();
    const { firings, breaches } = simulate(ladderState(), {
      downtime: [plus(30 * MINUTE).getTime(), recovery],
      pauseAt: null,
      resumeAt: null,
      metAt: null,
      until: T0.getTime() + 10 * 3_600_000,
    });
    expect(firings).toEqual(['warn', 'breach', 'breach_plus_1h'].map((levelId) => ({ levelId, at: recovery })));
    expect(breaches).toEqual([recovery]);
  });
});
