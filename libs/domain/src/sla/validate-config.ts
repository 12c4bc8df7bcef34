import { DateTime, IANAZone } from 'luxon';
import { INTENTS, QUEUES } from '../triage/triage.types';
import { parseWallTime } from './business-calendar';
import { validateEscalationAction } from './escalation-actions';
import type { BusinessCalendar, SlaConfig } from './sla.types';
import { CHANNELS, CUSTOMER_TIERS, SLA_METRICS, SLA_PRIORITIES, WEEKDAYS } from './sla.types';

/**
 * Validation of SLA config loaded from JSON. Every error names the path of the offending value, e.g.
 * `policies[2].ladders.first_reply[1].at: expected exactly one of percentOfTarget, atDeadline, afterDeadlineSeconds`.
 * All errors are collected, not just the first.
 */

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Thrown by `parseSlaConfig`; `errors` lists every problem with its path. */
export class SlaConfigError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`invalid SLA config:\n  - ${errors.join('\n  - ')}`);
    this.name = 'SlaConfigError';
  }
}

export function validateSlaConfig(raw: unknown): Validation<SlaConfig> {
  const errors = configErrors(raw);
  return errors.length ? { ok: false, errors } : { ok: true, value: raw as SlaConfig };
}

/** The validated config, or a `SlaConfigError` listing every problem: for loading config at boot. */
export function parseSlaConfig(raw: unknown): SlaConfig {
  const result = validateSlaConfig(raw);
  if (!result.ok) throw new SlaConfigError(result.errors);
  return result.value;
}

export function validateBusinessCalendar(raw: unknown, path = 'calendar'): Validation<BusinessCalendar> {
  const errors = calendarErrors(raw, path);
  return errors.length ? { ok: false, errors } : { ok: true, value: raw as BusinessCalendar };
}

// ---- Config and policies --------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const CONDITION_VALUES: Record<string, readonly string[]> = {
  queue: QUEUES,
  priority: SLA_PRIORITIES,
  tier: CUSTOMER_TIERS,
  intent: INTENTS,
  channel: CHANNELS,
};
const MAX_PERCENT = 100;

function configErrors(raw: unknown): string[] {
  if (!isRecord(raw)) return ['(root): expected an object with version, calendars and policies'];
  const errors = unknownKeys(raw, ['version', 'calendars', 'policies'], '');
  errors.push(...nonEmptyString(raw.version, 'version'));

  const calendarIds = new Map<string, number>();
  if (!Array.isArray(raw.calendars)) {
    errors.push('calendars: expected an array (it may be empty when every policy uses calendar time)');
  } else {
    raw.calendars.forEach((calendar, i) => {
      const path = `calendars[${i}]`;
      errors.push(...calendarErrors(calendar, path));
      if (isRecord(calendar) && typeof calendar.id === 'string') {
        errors.push(...duplicate(calendarIds, calendar.id, i, `${path}.id`, 'calendar id', 'calendars'));
      }
    });
  }

  if (!Array.isArray(raw.policies) || raw.policies.length === 0) {
    errors.push('policies: expected a non-empty array (the last policy matches every ticket)');
    return errors;
  }
  const policyIds = new Map<string, number>();
  raw.policies.forEach((policy, i) => {
    const path = `policies[${i}]`;
    errors.push(...policyErrors(policy, path, [...calendarIds.keys()]));
    if (isRecord(policy) && typeof policy.id === 'string') {
      errors.push(...duplicate(policyIds, policy.id, i, `${path}.id`, 'policy id', 'policies'));
    }
  });
  const lastIndex = raw.policies.length - 1;
  const last: unknown = raw.policies[lastIndex];
  if (isRecord(last) && isRecord(last.when) && Object.keys(last.when).length > 0) {
    errors.push(
      `policies[${lastIndex}].when: the last policy must have no conditions ({}), so that every ticket gets an SLA`,
    );
  }
  return errors;
}

function policyErrors(raw: unknown, path: string, calendarIds: readonly string[]): string[] {
  if (!isRecord(raw)) return [`${path}: expected an object`];
  const errors = unknownKeys(
    raw,
    ['id', 'version', 'description', 'when', 'time', 'calendar', 'targets', 'ladders'],
    path,
  );
  errors.push(...nonEmptyString(raw.id, `${path}.id`), ...positiveInteger(raw.version, `${path}.version`));
  if (raw.description !== undefined && typeof raw.description !== 'string')
    errors.push(`${path}.description: expected a string`);
  errors.push(...conditionErrors(raw.when, `${path}.when`));

  if (raw.time === 'business') {
    if (typeof raw.calendar !== 'string') {
      errors.push(
        `${path}.calendar: a business-time policy needs a calendar id (known: ${calendarIds.join(', ') || 'none'})`,
      );
    } else if (!calendarIds.includes(raw.calendar)) {
      errors.push(`${path}.calendar: unknown calendar "${raw.calendar}" (known: ${calendarIds.join(', ') || 'none'})`);
    }
  } else if (raw.time === 'calendar') {
    if (raw.calendar !== undefined)
      errors.push(`${path}.calendar: only a policy with time "business" names a calendar`);
  } else {
    errors.push(`${path}.time: expected "calendar" or "business", got ${JSON.stringify(raw.time)}`);
  }

  const targets = raw.targets;
  const measured: string[] = [];
  if (!isRecord(targets) || Object.keys(targets).length === 0) {
    errors.push(
      `${path}.targets: expected an object with a target per priority for at least one of ${SLA_METRICS.join(', ')}`,
    );
  } else {
    errors.push(...unknownKeys(targets, SLA_METRICS, `${path}.targets`));
    for (const metric of SLA_METRICS) {
      if (targets[metric] === undefined) continue;
      measured.push(metric);
      errors.push(...priorityTargetErrors(targets[metric], `${path}.targets.${metric}`));
    }
  }

  if (!isRecord(raw.ladders)) {
    errors.push(`${path}.ladders: expected an object of ladders per metric ({} for none)`);
  } else {
    errors.push(...unknownKeys(raw.ladders, SLA_METRICS, `${path}.ladders`));
    for (const metric of SLA_METRICS) {
      const ladder = raw.ladders[metric];
      if (ladder === undefined) continue;
      if (isRecord(targets) && !measured.includes(metric)) {
        errors.push(`${path}.ladders.${metric}: the policy has no ${metric} target, so this ladder could never run`);
      }
      errors.push(...ladderErrors(ladder, `${path}.ladders.${metric}`));
    }
  }
  return errors;
}

function conditionErrors(raw: unknown, path: string): string[] {
  if (!isRecord(raw)) return [`${path}: expected an object of conditions ({} matches every ticket)`];
  const errors = unknownKeys(raw, Object.keys(CONDITION_VALUES), path);
  for (const [field, allowed] of Object.entries(CONDITION_VALUES)) {
    const values = raw[field];
    if (values === undefined) continue;
    if (!Array.isArray(values) || values.length === 0) {
      errors.push(
        `${path}.${field}: expected a non-empty array of ${allowed.join(', ')} (leave the field out to match any)`,
      );
      continue;
    }
    values.forEach((value, i) => {
      if (typeof value !== 'string' || !allowed.includes(value)) {
        errors.push(`${path}.${field}[${i}]: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
      }
    });
  }
  return errors;
}

function priorityTargetErrors(raw: unknown, path: string): string[] {
  if (!isRecord(raw)) return [`${path}: expected { low, normal, high, urgent } in seconds`];
  const errors = unknownKeys(raw, SLA_PRIORITIES, path);
  for (const priority of SLA_PRIORITIES) {
    const seconds = raw[priority];
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
      errors.push(`${path}.${priority}: expected a number of seconds > 0, got ${JSON.stringify(seconds)}`);
    }
  }
  return errors;
}

/** Position of a level on the time line, comparable without knowing the target: [share of target, extra seconds]. */
type LevelPosition = [number, number];

function ladderErrors(raw: unknown, path: string): string[] {
  if (!Array.isArray(raw)) return [`${path}: expected an array of levels in time order`];
  const errors: string[] = [];
  const ids = new Map<string, number>();
  let previous: { position: LevelPosition; id: string; index: number } | null = null;
  raw.forEach((level, i) => {
    const levelPath = `${path}[${i}]`;
    if (!isRecord(level)) {
      errors.push(`${levelPath}: expected an object with id, at and actions`);
      return;
    }
    errors.push(
      ...unknownKeys(level, ['id', 'at', 'actions'], levelPath),
      ...nonEmptyString(level.id, `${levelPath}.id`),
    );
    if (typeof level.id === 'string') {
      errors.push(...duplicate(ids, level.id, i, `${levelPath}.id`, 'level id', path));
    }
    const position = levelPosition(level.at, `${levelPath}.at`, errors);
    if (position && previous && comparePositions(position, previous.position) < 0) {
      errors.push(
        `${levelPath}.at: level "${String(level.id)}" is due before level "${previous.id}" (${path}[${previous.index}]); list levels in time order`,
      );
    }
    if (position) previous = { position, id: String(level.id), index: i };
    if (!Array.isArray(level.actions) || level.actions.length === 0) {
      errors.push(`${levelPath}.actions: expected a non-empty array of actions`);
    } else {
      level.actions.forEach((action, j) =>
        errors.push(...validateEscalationAction(action, `${levelPath}.actions[${j}]`)),
      );
    }
  });
  return errors;
}

function levelPosition(raw: unknown, path: string, errors: string[]): LevelPosition | null {
  const forms = ['percentOfTarget', 'atDeadline', 'afterDeadlineSeconds'];
  const present = isRecord(raw) ? Object.keys(raw) : [];
  if (!isRecord(raw) || present.length !== 1 || !forms.includes(present[0] as string)) {
    errors.push(
      `${path}: expected exactly one of ${forms.join(', ')}, e.g. { "percentOfTarget": 75 }, got ${JSON.stringify(raw)}`,
    );
    return null;
  }
  if ('percentOfTarget' in raw) {
    const p = raw.percentOfTarget;
    if (typeof p === 'number' && p > 0 && p <= MAX_PERCENT) return [p / 100, 0];
    errors.push(
      `${path}.percentOfTarget: expected a number in (0, ${MAX_PERCENT}] (use afterDeadlineSeconds after the deadline), got ${JSON.stringify(p)}`,
    );
    return null;
  }
  if ('atDeadline' in raw) {
    if (raw.atDeadline === true) return [1, 0];
    errors.push(`${path}.atDeadline: expected true, got ${JSON.stringify(raw.atDeadline)}`);
    return null;
  }
  const s = raw.afterDeadlineSeconds;
  if (typeof s === 'number' && Number.isFinite(s) && s > 0) return [1, s];
  errors.push(`${path}.afterDeadlineSeconds: expected a number of seconds > 0, got ${JSON.stringify(s)}`);
  return null;
}

function comparePositions(a: LevelPosition, b: LevelPosition): number {
  return a[0] - b[0] || a[1] - b[1];
}

// ---- Calendars ------------------------------------------------------------------------------------------

function calendarErrors(raw: unknown, path: string): string[] {
  if (!isRecord(raw)) return [`${path}: expected an object with id, version, timeZone, weeklyHours and holidays`];
  const errors = unknownKeys(raw, ['id', 'version', 'timeZone', 'weeklyHours', 'holidays'], path);
  errors.push(...nonEmptyString(raw.id, `${path}.id`), ...positiveInteger(raw.version, `${path}.version`));
  if (typeof raw.timeZone !== 'string' || !IANAZone.isValidZone(raw.timeZone)) {
    errors.push(
      `${path}.timeZone: expected an IANA time zone such as "America/New_York", got ${JSON.stringify(raw.timeZone)}`,
    );
  }

  if (!isRecord(raw.weeklyHours)) {
    errors.push(`${path}.weeklyHours: expected an object like { "mon": [{ "start": "09:00", "end": "18:00" }] }`);
  } else {
    errors.push(...unknownKeys(raw.weeklyHours, WEEKDAYS, `${path}.weeklyHours`));
    let openIntervals = 0;
    for (const day of WEEKDAYS) {
      const intervals = raw.weeklyHours[day];
      if (intervals === undefined) continue;
      const dayPath = `${path}.weeklyHours.${day}`;
      if (!Array.isArray(intervals)) {
        errors.push(`${dayPath}: expected an array of { start, end } (an empty array or no entry: closed)`);
        continue;
      }
      openIntervals += intervals.length;
      errors.push(...dayIntervalErrors(intervals, dayPath));
    }
    if (openIntervals === 0) errors.push(`${path}.weeklyHours: the calendar has no open hours in the week`);
  }

  if (!Array.isArray(raw.holidays)) {
    errors.push(`${path}.holidays: expected an array of { date: "YYYY-MM-DD", name } ([] for none)`);
  } else {
    const dates = new Map<string, number>();
    raw.holidays.forEach((holiday, i) => {
      const holidayPath = `${path}.holidays[${i}]`;
      if (!isRecord(holiday)) {
        errors.push(`${holidayPath}: expected { date: "YYYY-MM-DD", name }`);
        return;
      }
      errors.push(
        ...unknownKeys(holiday, ['date', 'name'], holidayPath),
        ...nonEmptyString(holiday.name, `${holidayPath}.name`),
      );
      if (!isCalendarDate(holiday.date)) {
        errors.push(`${holidayPath}.date: expected a date "YYYY-MM-DD", got ${JSON.stringify(holiday.date)}`);
      } else {
        errors.push(...duplicate(dates, holiday.date, i, `${holidayPath}.date`, 'holiday date', `${path}.holidays`));
      }
    });
  }
  return errors;
}

function dayIntervalErrors(intervals: unknown[], dayPath: string): string[] {
  const errors: string[] = [];
  let previousEnd = -1;
  intervals.forEach((interval, i) => {
    const path = `${dayPath}[${i}]`;
    if (!isRecord(interval)) {
      errors.push(`${path}: expected { "start": "HH:mm", "end": "HH:mm" }`);
      return;
    }
    errors.push(...unknownKeys(interval, ['start', 'end'], path));
    const start = typeof interval.start === 'string' ? parseWallTime(interval.start) : null;
    const end = typeof interval.end === 'string' ? parseWallTime(interval.end) : null;
    if (start === null || start === 24 * 60)
      errors.push(`${path}.start: expected "HH:mm" from 00:00 to 23:59, got ${JSON.stringify(interval.start)}`);
    if (end === null)
      errors.push(`${path}.end: expected "HH:mm" from 00:01 to 24:00, got ${JSON.stringify(interval.end)}`);
    if (start === null || end === null) return;
    if (end <= start) {
      errors.push(
        `${path}: end ${String(interval.end)} must be after start ${String(interval.start)} (split a night shift at 24:00)`,
      );
    } else if (start < previousEnd) {
      errors.push(
        `${path}: starts at ${String(interval.start)}, before the previous interval ends; list intervals in order without overlap`,
      );
    }
    previousEnd = Math.max(previousEnd, end);
  });
  return errors;
}

// ---- Small checks ---------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(raw: Json, allowed: readonly string[], path: string): string[] {
  return Object.keys(raw)
    .filter((key) => !allowed.includes(key))
    .map((key) => `${path ? `${path}.` : ''}${key}: unknown field (allowed: ${allowed.join(', ')})`);
}

function nonEmptyString(value: unknown, path: string): string[] {
  return typeof value === 'string' && value.trim() !== ''
    ? []
    : [`${path}: expected a non-empty string, got ${JSON.stringify(value)}`];
}

function positiveInteger(value: unknown, path: string): string[] {
  return Number.isInteger(value) && (value as number) > 0
    ? []
    : [`${path}: expected an integer ≥ 1, got ${JSON.stringify(value)}`];
}

/** An error when `value` was seen before in the list at `listPath`; otherwise remembers it at `index`. */
function duplicate(
  seen: Map<string, number>,
  value: string,
  index: number,
  path: string,
  what: string,
  listPath: string,
): string[] {
  const first = seen.get(value);
  if (first === undefined) {
    seen.set(value, index);
    return [];
  }
  return [`${path}: duplicate ${what} "${value}" (already used at ${listPath}[${first}])`];
}

function isCalendarDate(value: unknown): value is string {
  return (
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid
  );
}
