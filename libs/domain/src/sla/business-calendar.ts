import { DateTime } from 'luxon';
import type { BusinessCalendar, OpeningInterval, Weekday } from './sla.types';
import { WEEKDAYS } from './sla.types';

/**
 * Business-hours maths. Opening hours are local wall-clock times in the calendar's IANA zone; each day's
 * intervals are turned into real instants for that date, so a DST change moves the instants with the clock on
 * the wall and business time is the real time spent inside open hours: a 09:00–18:00 day is 9 hours before
 * and after a DST weekend. (An interval that itself contains a DST jump, e.g. 00:00–06:00 on the night of the
 * change, lasts its real length: 5 or 7 hours.) A wall time that does not exist on a spring-forward day is
 * moved forward by the gap, as the clock on the wall is; one that happens twice on a fall-back night is placed
 * by luxon, deterministically (avoid opening or closing inside the switch-over hour).
 *
 * Every luxon call names the zone explicitly (the machine's zone is never used), so results are the same on
 * every host and inside the Temporal workflow sandbox. Each calendar object's days are memoised (a WeakMap keyed
 * by the object, bounded): treat calendars as immutable values once used.
 */

/** A span of open business time, `[start, end)`. */
export interface BusinessSpan {
  start: Date;
  end: Date;
}

/** A calendar with no open hour in this many consecutive days is treated as broken rather than searched forever. */
const MAX_CLOSED_DAYS = 3_660;
const MS_PER_SECOND = 1_000;

/** The instant at which `seconds` of business time have passed since `start`. `0` returns `start` itself. */
export function addBusinessTime(start: Date, seconds: number, calendar: BusinessCalendar): Date {
  return new Date(addBusinessMilliseconds(start.getTime(), toMilliseconds(seconds, 'business seconds'), calendar));
}

/** Business seconds inside `[a, b)`; 0 when `b` is not after `a`. */
export function businessSecondsBetween(a: Date, b: Date, calendar: BusinessCalendar): number {
  return businessMillisecondsBetween(a.getTime(), b.getTime(), calendar) / MS_PER_SECOND;
}

/** The open spans that overlap `[a, b)`, clipped to it, in time order. */
export function businessSpansBetween(a: Date, b: Date, calendar: BusinessCalendar): BusinessSpan[] {
  const [from, to] = [a.getTime(), b.getTime()];
  const spans: BusinessSpan[] = [];
  if (!(to > from)) return spans;
  for (const span of openSpansFrom(from, calendar)) {
    if (span.start >= to) break;
    const start = Math.max(span.start, from);
    const end = Math.min(span.end, to);
    if (end > start) spans.push({ start: new Date(start), end: new Date(end) });
  }
  return spans;
}

/** True when `at` lies inside open hours: in `[start, end)` of an interval, not on a holiday. */
export function isBusinessTime(at: Date, calendar: BusinessCalendar): boolean {
  const ms = at.getTime();
  for (const span of openSpansFrom(ms, calendar)) {
    if (span.end <= ms) continue;
    return span.start <= ms;
  }
  return false; // unreachable: openSpansFrom ends only by throwing
}

/** `addBusinessTime` in epoch milliseconds (used by the metric clock). */
export function addBusinessMilliseconds(startMs: number, ms: number, calendar: BusinessCalendar): number {
  if (ms <= 0) return startMs;
  let remaining = ms;
  for (const span of openSpansFrom(startMs, calendar)) {
    const from = Math.max(span.start, startMs);
    if (span.end <= from) continue;
    const length = span.end - from;
    if (remaining <= length) return from + remaining;
    remaining -= length;
  }
  throw new Error('unreachable: openSpansFrom ends only by throwing');
}

/** `businessSecondsBetween` in epoch milliseconds (used by the metric clock). */
export function businessMillisecondsBetween(fromMs: number, toMs: number, calendar: BusinessCalendar): number {
  if (!(toMs > fromMs)) return 0;
  let total = 0;
  for (const span of openSpansFrom(fromMs, calendar)) {
    if (span.start >= toMs) break;
    total += Math.max(0, Math.min(span.end, toMs) - Math.max(span.start, fromMs));
  }
  return total;
}

/** Parses `HH:mm` (00:00–24:00) into minutes after local midnight; `null` when malformed. */
export function parseWallTime(text: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  return hours * 60 + minutes;
}

/** Seconds → whole milliseconds; rejects negative, NaN and infinite durations (a programming error). */
export function toMilliseconds(seconds: number, what: string): number {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`${what} must be a finite number ≥ 0, got ${seconds}`);
  }
  return Math.round(seconds * MS_PER_SECOND);
}

// ---- Internals ------------------------------------------------------------------------------------------

interface MsSpan {
  start: number;
  end: number;
}

const MS_PER_DAY = 86_400_000;

/** A calendar prepared for the maths: wall times parsed, holidays as day numbers, each date's spans memoised. */
interface CompiledCalendar {
  id: string;
  zone: string;
  /** Opening intervals in minutes after local midnight, by weekday (0 = Monday). */
  weekly: [number, number][][];
  /** Holidays as day numbers (days since 1970-01-01 of the calendar date). */
  holidays: Set<number>;
  /** Open spans per day number. Memoisation only: a result never depends on what is cached. */
  spansByDay: Map<number, MsSpan[]>;
}

/** Calendars are values: treat them as immutable once used (the cache is keyed by the object). */
const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();
/** Enough days for years of deadlines; past it the memo starts over (bounded memory in a long-lived worker). */
const MAX_CACHED_DAYS = 5_000;

function compile(calendar: BusinessCalendar): CompiledCalendar {
  let entry = compiled.get(calendar);
  if (!entry) {
    if (!DateTime.fromMillis(0, { zone: calendar.timeZone }).isValid) {
      throw new RangeError(`calendar ${calendar.id}: unknown time zone "${calendar.timeZone}"`);
    }
    entry = {
      id: calendar.id,
      zone: calendar.timeZone,
      weekly: WEEKDAYS.map((day) =>
        intervalsOn(calendar, day).map((interval): [number, number] => [
          wallMinutes(interval.start),
          wallMinutes(interval.end),
        ]),
      ),
      holidays: new Set(calendar.holidays.map((h) => dayNumberOf(h.date))),
      spansByDay: new Map(),
    };
    compiled.set(calendar, entry);
  }
  return entry;
}

/**
 * Open spans in time order, starting early enough to cover the local day that contains `fromMs` (spans that
 * end before `fromMs` are possible: callers clip). Dates are walked as day numbers, where a day is always 24 h;
 * each date's wall times are then placed in the calendar's zone. No zone's local date is more than one day away
 * from the UTC date, so starting the day before the UTC date is enough.
 */
function* openSpansFrom(fromMs: number, calendar: BusinessCalendar): Generator<MsSpan> {
  const cal = compile(calendar);
  let day = Math.floor(fromMs / MS_PER_DAY) - 1;
  let closedDays = 0;
  for (;;) {
    const spans = spansOn(cal, day);
    yield* spans;
    closedDays = spans.length ? 0 : closedDays + 1;
    if (closedDays > MAX_CLOSED_DAYS) {
      throw new RangeError(
        `calendar ${cal.id} has no open hours in ${MAX_CLOSED_DAYS} days after ${new Date(fromMs).toISOString()}`,
      );
    }
    day += 1;
  }
}

/** The open spans of one calendar date, as instants. */
function spansOn(cal: CompiledCalendar, day: number): MsSpan[] {
  const cached = cal.spansByDay.get(day);
  if (cached) return cached;
  const spans: MsSpan[] = [];
  if (!cal.holidays.has(day)) {
    for (const [startMinute, endMinute] of cal.weekly[weekdayIndex(day)] ?? []) {
      const start = wallTimeToMs(day, startMinute, cal.zone);
      const end = wallTimeToMs(day, endMinute, cal.zone);
      if (end > start) spans.push({ start, end }); // both ends inside a spring-forward gap: no real time
    }
  }
  if (cal.spansByDay.size >= MAX_CACHED_DAYS) cal.spansByDay.clear();
  cal.spansByDay.set(day, spans);
  return spans;
}

function intervalsOn(calendar: BusinessCalendar, weekday: Weekday): OpeningInterval[] {
  return calendar.weeklyHours[weekday] ?? [];
}

function wallMinutes(text: string): number {
  const minutes = parseWallTime(text);
  if (minutes === null) throw new RangeError(`invalid wall time "${text}" (expected HH:mm)`);
  return minutes;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
function dayNumberOf(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / MS_PER_DAY);
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** The instant of wall time `minutes` after local midnight of calendar date `day` in `zone`; 1440 is the next midnight. */
function wallTimeToMs(day: number, minutes: number, zone: string): number {
  const date = new Date((day + Math.floor(minutes / 1_440)) * MS_PER_DAY);
  const minuteOfDay = minutes % 1_440;
  return DateTime.fromObject(
    {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: Math.floor(minuteOfDay / 60),
      minute: minuteOfDay % 60,
    },
    { zone },
  ).toMillis();
}
