import fc from 'fast-check';
import { DateTime, Settings } from 'luxon';
import {
  addBusinessTime,
  businessSecondsBetween,
  businessSpansBetween,
  isBusinessTime,
  parseWallTime,
} from './business-calendar';
import type { BusinessCalendar } from './sla.types';
import {
  BERLIN,
  BERLIN_BUSINESS,
  CALENDARS,
  FROM_2026_MS,
  HOUR,
  local,
  NEW_YORK,
  NY_ALWAYS_OPEN,
  NY_BUSINESS,
  SYDNEY_NIGHTS,
  TO_2028_MS,
  wallClock,
} from './test-fixtures';

const instant = fc.integer({ min: FROM_2026_MS, max: TO_2028_MS }).map((ms) => new Date(ms));
const durationSeconds = fc.integer({ min: 0, max: 120 * HOUR * 1_000 }).map((ms) => ms / 1_000);
const calendar = fc.constantFrom(...CALENDARS);

describe('addBusinessTime: named cases', () => {
  it('Friday 17:59 + 2 business hours (09:00–18:00) lands Monday 10:59', () => {
    const deadline = addBusinessTime(local('2026-01-09T17:59', NEW_YORK), 2 * HOUR, NY_BUSINESS);
    expect(wallClock(deadline, NEW_YORK)).toBe('2026-01-12T10:59 Mon');
  });

  it('across the US spring-forward weekend (8 March 2026) it still lands Monday 10:59 local, one real hour sooner', () => {
    const start = local('2026-03-06T17:59', NEW_YORK); // 22:59Z, EST
    const deadline = addBusinessTime(start, 2 * HOUR, NY_BUSINESS);
    expect(wallClock(deadline, NEW_YORK)).toBe('2026-03-09T10:59 Mon');
    expect(deadline.toISOString()).toBe('2026-03-09T14:59:00.000Z'); // EDT: a fixed-offset calculation would say 15:59Z
  });

  it('across the US fall-back weekend (1 November 2026) it lands Monday 10:59 local, one real hour later', () => {
    const deadline = addBusinessTime(local('2026-10-30T17:59', NEW_YORK), 2 * HOUR, NY_BUSINESS);
    expect(wallClock(deadline, NEW_YORK)).toBe('2026-11-02T10:59 Mon');
    expect(deadline.toISOString()).toBe('2026-11-02T15:59:00.000Z');
  });

  it('skips a holiday: Thursday 17:00 before the observed Independence Day (Friday 3 July 2026) lands Monday', () => {
    const deadline = addBusinessTime(local('2026-07-02T17:00', NEW_YORK), 2 * HOUR, NY_BUSINESS);
    expect(wallClock(deadline, NEW_YORK)).toBe('2026-07-06T10:00 Mon');
  });

  it('skips Thanksgiving but not the Friday after it', () => {
    const deadline = addBusinessTime(local('2026-11-25T17:30', NEW_YORK), 1 * HOUR, NY_BUSINESS);
    expect(wallClock(deadline, NEW_YORK)).toBe('2026-11-27T09:30 Fri');
  });

  it('Europe/Berlin: across the spring change (29 March 2026) with a lunch break', () => {
    // Friday 16:30 CET: 30 min left that day; Monday (CEST) 08:00–12:00 gives 3.5 h more → 11:30.
    const deadline = addBusinessTime(local('2026-03-27T16:30', BERLIN), 4 * HOUR, BERLIN_BUSINESS);
    expect(wallClock(deadline, BERLIN)).toBe('2026-03-30T11:30 Mon');
    expect(deadline.toISOString()).toBe('2026-03-30T09:30:00.000Z');
  });

  it('Europe/Berlin: the lunch break and Good Friday are closed', () => {
    const deadline = addBusinessTime(local('2026-04-02T11:00', BERLIN), 6 * HOUR, BERLIN_BUSINESS);
    // Thursday 11–12 (1 h) and 13–17 (4 h), Good Friday closed, Monday 08:00 + 1 h.
    expect(wallClock(deadline, BERLIN)).toBe('2026-04-06T09:00 Mon');
  });

  it('Europe/Berlin: across the autumn change (25 October 2026)', () => {
    const deadline = addBusinessTime(local('2026-10-23T16:00', BERLIN), 2 * HOUR, BERLIN_BUSINESS);
    expect(wallClock(deadline, BERLIN)).toBe('2026-10-26T09:00 Mon');
    expect(deadline.toISOString()).toBe('2026-10-26T08:00:00.000Z');
  });

  it('a night shift split at midnight runs on without a gap', () => {
    // Monday 23:00 Sydney, 3 h: 23:00–24:00 then 00:00–02:00 Tuesday.
    const deadline = addBusinessTime(local('2026-06-08T23:00', 'Australia/Sydney'), 3 * HOUR, SYDNEY_NIGHTS);
    expect(wallClock(deadline, 'Australia/Sydney')).toBe('2026-06-09T02:00 Tue');
  });

  it('starting outside business hours counts from the next opening', () => {
    const deadline = addBusinessTime(local('2026-01-10T12:00', NEW_YORK), 30 * 60, NY_BUSINESS); // Saturday
    expect(wallClock(deadline, NEW_YORK)).toBe('2026-01-12T09:30 Mon');
  });

  it('a target that ends exactly at closing time lands at closing time, not the next morning', () => {
    const deadline = addBusinessTime(local('2026-01-09T16:00', NEW_YORK), 2 * HOUR, NY_BUSINESS);
    expect(wallClock(deadline, NEW_YORK)).toBe('2026-01-09T18:00 Fri');
  });

  it('zero seconds is the start itself; negative or NaN durations are rejected', () => {
    const start = local('2026-01-10T12:00', NEW_YORK);
    expect(addBusinessTime(start, 0, NY_BUSINESS)).toEqual(start);
    expect(() => addBusinessTime(start, -1, NY_BUSINESS)).toThrow(RangeError);
    expect(() => addBusinessTime(start, Number.NaN, NY_BUSINESS)).toThrow(/finite number/);
  });

  it('a calendar with no open hours fails loudly instead of looping forever', () => {
    const closed: BusinessCalendar = { id: 'closed', version: 1, timeZone: NEW_YORK, weeklyHours: {}, holidays: [] };
    expect(() => addBusinessTime(local('2026-01-10T12:00', NEW_YORK), 60, closed)).toThrow(/no open hours/);
  });
});

describe('businessSecondsBetween: named cases', () => {
  it('counts 9 h per open weekday over the two weeks around the spring-forward Sunday', () => {
    const seconds = businessSecondsBetween(
      local('2026-03-02T00:00', NEW_YORK),
      local('2026-03-16T00:00', NEW_YORK),
      NY_BUSINESS,
    );
    expect(seconds).toBe(10 * 9 * HOUR);
  });

  it('counts 9 h per open weekday over the two weeks around the fall-back Sunday', () => {
    const seconds = businessSecondsBetween(
      local('2026-10-26T00:00', NEW_YORK),
      local('2026-11-09T00:00', NEW_YORK),
      NY_BUSINESS,
    );
    expect(seconds).toBe(10 * 9 * HOUR);
  });

  it('a round-the-clock calendar counts the real length of the DST days: 23 h and 25 h', () => {
    expect(
      businessSecondsBetween(local('2026-03-08T00:00', NEW_YORK), local('2026-03-09T00:00', NEW_YORK), NY_ALWAYS_OPEN),
    ).toBe(23 * HOUR);
    expect(
      businessSecondsBetween(local('2026-11-01T00:00', NEW_YORK), local('2026-11-02T00:00', NEW_YORK), NY_ALWAYS_OPEN),
    ).toBe(25 * HOUR);
  });

  it('a holiday week has one day less', () => {
    const seconds = businessSecondsBetween(
      local('2026-11-23T00:00', NEW_YORK),
      local('2026-11-30T00:00', NEW_YORK),
      NY_BUSINESS,
    );
    expect(seconds).toBe(4 * 9 * HOUR);
  });

  it('is 0 when the end is not after the start', () => {
    const a = local('2026-01-08T10:00', NEW_YORK);
    expect(businessSecondsBetween(a, a, NY_BUSINESS)).toBe(0);
    expect(businessSecondsBetween(a, local('2026-01-07T10:00', NEW_YORK), NY_BUSINESS)).toBe(0);
  });

  it('lists the open spans it counted', () => {
    const spans = businessSpansBetween(
      local('2026-04-02T11:30', BERLIN),
      local('2026-04-06T09:00', BERLIN),
      BERLIN_BUSINESS,
    );
    expect(spans.map((s) => `${wallClock(s.start, BERLIN)} → ${wallClock(s.end, BERLIN)}`)).toEqual([
      '2026-04-02T11:30 Thu → 2026-04-02T12:00 Thu',
      '2026-04-02T13:00 Thu → 2026-04-02T17:00 Thu',
      '2026-04-06T08:00 Mon → 2026-04-06T09:00 Mon',
    ]);
  });
});

describe('isBusinessTime', () => {
  it.each([
    ['2026-01-08T09:00', true],
    ['2026-01-08T17:59', true],
    ['2026-01-08T18:00', false],
    ['2026-01-08T08:59', false],
    ['2026-01-10T12:00', false], // Saturday
    ['2026-12-25T12:00', false], // Christmas
  ])('%s New York → %s', (wall, open) => {
    expect(isBusinessTime(local(wall, NEW_YORK), NY_BUSINESS)).toBe(open);
  });
});

describe('parseWallTime', () => {
  it.each([
    ['00:00', 0],
    ['09:30', 570],
    ['24:00', 1440],
    ['24:01', null],
    ['9:30', null],
    ['12:60', null],
  ])('%s → %s', (text, minutes) => expect(parseWallTime(text)).toBe(minutes));
});

describe('business time: properties', () => {
  it('addBusinessTime and businessSecondsBetween are inverse: the time added is the time counted', () => {
    fc.assert(
      fc.property(calendar, instant, durationSeconds, (cal, start, seconds) => {
        const end = addBusinessTime(start, seconds, cal);
        expect(businessSecondsBetween(start, end, cal)).toBe(seconds);
      }),
    );
  });

  it('adding the counted time from a to b reaches b or the last closing before it, with nothing open in between', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 30 * 24 * HOUR * 1_000 }), (cal, a, gapMs) => {
        const b = new Date(a.getTime() + gapMs);
        const reached = addBusinessTime(a, businessSecondsBetween(a, b, cal), cal);
        expect(reached.getTime()).toBeLessThanOrEqual(b.getTime());
        expect(businessSecondsBetween(reached, b, cal)).toBe(0);
      }),
    );
  });

  it('is monotone: more time or a later start never gives an earlier deadline', () => {
    fc.assert(
      fc.property(calendar, instant, instant, durationSeconds, durationSeconds, (cal, s1, s2, d1, d2) => {
        const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const [short, long] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(addBusinessTime(early, short, cal).getTime()).toBeLessThanOrEqual(
          addBusinessTime(early, long, cal).getTime(),
        );
        expect(addBusinessTime(early, short, cal).getTime()).toBeLessThanOrEqual(
          addBusinessTime(late, short, cal).getTime(),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('a positive target lands inside business hours: the moment before the deadline is open time', () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        durationSeconds.filter((s) => s > 0),
        (cal, start, seconds) => {
          const deadline = addBusinessTime(start, seconds, cal);
          expect(isBusinessTime(new Date(deadline.getTime() - 1), cal)).toBe(true);
        },
      ),
    );
  });

  it('in New York 09:00–18:00 a positive target lands on an open weekday between 09:00 and 18:00 local (independent check)', () => {
    const holidays = new Set(NY_BUSINESS.holidays.map((h) => h.date));
    fc.assert(
      fc.property(
        instant,
        durationSeconds.filter((s) => s > 0),
        (start, seconds) => {
          const deadline = DateTime.fromJSDate(addBusinessTime(start, seconds, NY_BUSINESS), { zone: NEW_YORK });
          const minuteOfDay =
            deadline.hour * 60 + deadline.minute + deadline.second / 60 + deadline.millisecond / 60_000;
          expect(deadline.weekday).toBeLessThanOrEqual(5);
          expect(holidays.has(deadline.toISODate() as string)).toBe(false);
          expect(minuteOfDay).toBeGreaterThan(9 * 60);
          expect(minuteOfDay).toBeLessThanOrEqual(18 * 60);
        },
      ),
    );
  });

  /**
   * The DST property. The oracle counts business minutes on the wall clock only (dates and HH:mm, no instants,
   * no offsets); the model counts real seconds between instants. They agree for any two wall times around a DST
   * change (away from the 01:00–04:00 switch-over hours, which have no unique instant), so a DST weekend neither
   * loses nor adds an hour of business time.
   */
  describe.each([
    ['US spring forward', NEW_YORK, NY_BUSINESS, '2026-03-08'],
    ['US fall back', NEW_YORK, NY_BUSINESS, '2026-11-01'],
    ['EU spring forward', BERLIN, BERLIN_BUSINESS, '2026-03-29'],
    ['EU fall back', BERLIN, BERLIN_BUSINESS, '2026-10-25'],
    ['EU spring forward 2027', BERLIN, BERLIN_BUSINESS, '2027-03-28'],
  ])('around the %s (%s)', (_name, zone, cal, changeDate) => {
    const change = DateTime.fromISO(changeDate, { zone: 'utc' });
    const wallTime = fc.record({
      dayOffset: fc.integer({ min: -9, max: 9 }),
      minuteOfDay: fc.integer({ min: 4 * 60, max: 24 * 60 - 1 }),
    });

    it('business seconds between two wall times equal the business hours counted on the wall clock', () => {
      fc.assert(
        fc.property(wallTime, wallTime, (x, y) => {
          const [a, b] = compareWall(x, y) <= 0 ? [x, y] : [y, x];
          const oracle = wallClockBusinessMinutes(cal, change, a, b) * 60;
          expect(businessSecondsBetween(toInstant(change, a, zone), toInstant(change, b, zone), cal)).toBe(oracle);
        }),
      );
    });
  });

  it('does not depend on the machine time zone (luxon is never asked for it)', () => {
    const saved = Settings.defaultZone;
    try {
      Settings.defaultZone = 'Not/A_Zone'; // any luxon call without an explicit zone would now give an invalid date
      // Fresh calendar objects, so nothing comes from the per-calendar memo of earlier tests.
      const deadline = addBusinessTime(local('2026-03-06T17:59', NEW_YORK), 2 * HOUR, { ...NY_BUSINESS });
      expect(deadline.toISOString()).toBe('2026-03-09T14:59:00.000Z');
      expect(
        businessSecondsBetween(local('2026-03-27T16:30', BERLIN), local('2026-03-30T11:30', BERLIN), {
          ...BERLIN_BUSINESS,
        }),
      ).toBe(4 * HOUR);
    } finally {
      Settings.defaultZone = saved;
    }
  });
});

// ---- Wall-clock oracle ------------------------------------------------------------------------------------

interface WallTime {
  dayOffset: number;
  minuteOfDay: number;
}

function compareWall(a: WallTime, b: WallTime): number {
  return a.dayOffset - b.dayOffset || a.minuteOfDay - b.minuteOfDay;
}

function toInstant(change: DateTime, w: WallTime, zone: string): Date {
  const day = change.plus({ days: w.dayOffset });
  return DateTime.fromObject(
    {
      year: day.year,
      month: day.month,
      day: day.day,
      hour: Math.floor(w.minuteOfDay / 60),
      minute: w.minuteOfDay % 60,
    },
    { zone },
  ).toJSDate();
}

/** Business minutes between two wall times, counted per date on the wall clock (knows nothing about offsets). */
function wallClockBusinessMinutes(cal: BusinessCalendar, change: DateTime, a: WallTime, b: WallTime): number {
  const holidays = new Set(cal.holidays.map((h) => h.date));
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
  let total = 0;
  for (let offset = a.dayOffset; offset <= b.dayOffset; offset++) {
    const date = change.plus({ days: offset });
    if (holidays.has(date.toISODate() as string)) continue;
    const from = offset === a.dayOffset ? a.minuteOfDay : 0;
    const to = offset === b.dayOffset ? b.minuteOfDay : 24 * 60;
    for (const interval of cal.weeklyHours[weekdays[date.weekday - 1]] ?? []) {
      const start = parseWallTime(interval.start) as number;
      const end = parseWallTime(interval.end) as number;
      total += Math.max(0, Math.min(end, to) - Math.max(start, from));
    }
  }
  return total;
}
