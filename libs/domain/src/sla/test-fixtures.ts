/** Shared fixtures for the SLA specs. Test-only; not exported from the package. */
import { DateTime } from 'luxon';
import { US_EAST_BUSINESS_CALENDAR } from './default-config';
import type { BusinessCalendar } from './sla.types';

export const NEW_YORK = 'America/New_York';
export const BERLIN = 'Europe/Berlin';

/** The default calendar: Mon–Fri 09:00–18:00 America/New_York with US holidays 2026–2027. */
export const NY_BUSINESS = US_EAST_BUSINESS_CALENDAR;

const BERLIN_DAY = [
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '17:00' },
];
/** Mon–Fri 08:00–12:00 and 13:00–17:00 in Berlin (a lunch break), Good Friday 2026 closed. */
export const BERLIN_BUSINESS: BusinessCalendar = {
  id: 'berlin',
  version: 1,
  timeZone: BERLIN,
  weeklyHours: { mon: BERLIN_DAY, tue: BERLIN_DAY, wed: BERLIN_DAY, thu: BERLIN_DAY, fri: BERLIN_DAY },
  holidays: [{ date: '2026-04-03', name: 'Karfreitag' }],
};

const ALL_DAY = [{ start: '00:00', end: '24:00' }];
/** Open around the clock in New York: business time equals real time. */
export const NY_ALWAYS_OPEN: BusinessCalendar = {
  id: 'ny-24x7',
  version: 1,
  timeZone: NEW_YORK,
  weeklyHours: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
  holidays: [],
};

/** A night shift in Sydney (22:00–06:00 Sun–Thu nights, split at midnight) plus a Saturday morning. */
export const SYDNEY_NIGHTS: BusinessCalendar = {
  id: 'sydney-nights',
  version: 1,
  timeZone: 'Australia/Sydney',
  weeklyHours: {
    sun: [{ start: '22:00', end: '24:00' }],
    mon: [
      { start: '00:00', end: '06:00' },
      { start: '22:00', end: '24:00' },
    ],
    tue: [
      { start: '00:00', end: '06:00' },
      { start: '22:00', end: '24:00' },
    ],
    wed: [
      { start: '00:00', end: '06:00' },
      { start: '22:00', end: '24:00' },
    ],
    thu: [
      { start: '00:00', end: '06:00' },
      { start: '22:00', end: '24:00' },
    ],
    fri: [{ start: '00:00', end: '06:00' }],
    sat: [{ start: '09:00', end: '12:30' }],
  },
  holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
};

export const CALENDARS = [NY_BUSINESS, BERLIN_BUSINESS, NY_ALWAYS_OPEN, SYDNEY_NIGHTS];

/** A wall-clock time in a zone, as an instant: `local('2026-03-06T17:59', NEW_YORK)`. */
export function local(wallTime: string, zone: string): Date {
  const dt = DateTime.fromISO(wallTime, { zone });
  if (!dt.isValid) throw new Error(`bad test time ${wallTime} in ${zone}`);
  return dt.toJSDate();
}

/** The wall-clock reading of an instant in a zone, `yyyy-MM-dd'T'HH:mm ccc` (e.g. `2026-03-09T10:59 Mon`). */
export function wallClock(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm ccc");
}

export const HOUR = 3_600;
/** 2026-01-01T00:00Z and 2027-12-31T00:00Z: the range the property tests draw instants from. */
export const FROM_2026_MS = Date.UTC(2026, 0, 1);
export const TO_2028_MS = Date.UTC(2027, 11, 31);
