import { DateTime } from 'luxon';
import { DEFAULT_SLA_CONFIG, US_EAST_BUSINESS_CALENDAR } from './default-config';
import { parseSlaConfig, SlaConfigError, validateBusinessCalendar, validateSlaConfig } from './validate-config';

/** Config as parsed from JSON: the tests reach into it freely to break one thing at a time. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RawConfig = any;

/** The default config as it arrives from a JSON file, with `edit` applied to it. */
function configWith(edit: (config: RawConfig) => void): unknown {
  const config = JSON.parse(JSON.stringify(DEFAULT_SLA_CONFIG));
  edit(config);
  return config;
}

function errorsOf(raw: unknown): string[] {
  const result = validateSlaConfig(raw);
  return result.ok ? [] : result.errors;
}

describe('validateSlaConfig', () => {
  it('accepts the default config, also after a JSON round trip', () => {
    expect(validateSlaConfig(DEFAULT_SLA_CONFIG)).toEqual({ ok: true, value: DEFAULT_SLA_CONFIG });
    expect(errorsOf(configWith(() => undefined))).toEqual([]);
  });

  it.each([
    [
      'an unknown action type, listing the known ones',
      (c: RawConfig) => (c.policies[2].ladders.first_reply[1].actions[0] = { type: 'sms' }),
      'policies[2].ladders.first_reply[1].actions[0].type: unknown escalation action type "sms"; known types: notify, raise_priority, move_to_queue, reassign_to_supervisor',
    ],
    [
      'a level timing with two forms',
      (c: RawConfig) => (c.policies[2].ladders.first_reply[1].at = { atDeadline: true, afterDeadlineSeconds: 60 }),
      'policies[2].ladders.first_reply[1].at: expected exactly one of percentOfTarget, atDeadline, afterDeadlineSeconds',
    ],
    [
      'a percentage past the deadline',
      (c: RawConfig) => (c.policies[0].ladders.next_reply[0].at = { percentOfTarget: 150 }),
      'policies[0].ladders.next_reply[0].at.percentOfTarget: expected a number in (0, 100]',
    ],
    [
      'levels out of time order',
      (c: RawConfig) => (c.policies[1].ladders.human_pickup[2].at = { percentOfTarget: 50 }),
      'policies[1].ladders.human_pickup[2].at: level "breach_plus_1h" is due before level "breach" (policies[1].ladders.human_pickup[1]); list levels in time order',
    ],
    [
      'a duplicate level id',
      (c: RawConfig) => (c.policies[1].ladders.first_reply[2].id = 'warn'),
      'policies[1].ladders.first_reply[2].id: duplicate level id "warn" (already used at policies[1].ladders.first_reply[0])',
    ],
    [
      'an action field with a typo',
      (c: RawConfig) =>
        (c.policies[0].ladders.first_reply[0].actions[0] = {
          type: 'notify',
          channel: 'webhook',
          target: 'x',
          tagret: 'y',
        }),
      'policies[0].ladders.first_reply[0].actions[0].tagret: unknown field for action "notify" (allowed: type, channel, target)',
    ],
    [
      'a notify e-mail target that is not an address',
      (c: RawConfig) =>
        (c.policies[0].ladders.first_reply[0].actions[0] = { type: 'notify', channel: 'email', target: 'leads' }),
      'policies[0].ladders.first_reply[0].actions[0].target: expected an e-mail address for channel "email", got "leads"',
    ],
    [
      'an unknown queue to move to',
      (c: RawConfig) => (c.policies[2].ladders.first_reply[1].actions[1].queue = 'vip'),
      'policies[2].ladders.first_reply[1].actions[1].queue: expected one of risk, priority, accessibility, standard, escalations, got "vip"',
    ],
    [
      'a level with no actions',
      (c: RawConfig) => (c.policies[2].ladders.first_reply[0].actions = []),
      'policies[2].ladders.first_reply[0].actions: expected a non-empty array of actions',
    ],
    [
      'a missing priority target',
      (c: RawConfig) => delete c.policies[1].targets.next_reply.urgent,
      'policies[1].targets.next_reply.urgent: expected a number of seconds > 0, got undefined',
    ],
    [
      'an unknown metric',
      (c: RawConfig) => (c.policies[2].targets.resolution = c.policies[2].targets.first_reply),
      'policies[2].targets.resolution: unknown field (allowed: first_reply, next_reply, human_pickup, pending_approval)',
    ],
    [
      'a ladder for a metric the policy does not measure',
      (c: RawConfig) => delete c.policies[2].targets.pending_approval,
      'policies[2].ladders.pending_approval: the policy has no pending_approval target, so this ladder could never run',
    ],
    [
      'an unknown condition value',
      (c: RawConfig) => (c.policies[0].when.tier = ['gold']),
      'policies[0].when.tier[0]: expected one of vip, standard, got "gold"',
    ],
    [
      'an empty condition list',
      (c: RawConfig) => (c.policies[1].when.queue = []),
      'policies[1].when.queue: expected a non-empty array of risk, priority, accessibility, standard, escalations (leave the field out to match any)',
    ],
    [
      'a last policy with conditions',
      (c: RawConfig) => (c.policies[2].when = { channel: ['email'] }),
      'policies[2].when: the last policy must have no conditions ({}), so that every ticket gets an SLA',
    ],
    [
      'an unknown calendar',
      (c: RawConfig) => (c.policies[1].calendar = 'eu-business'),
      'policies[1].calendar: unknown calendar "eu-business" (known: us-east-business)',
    ],
    [
      'a calendar on a calendar-time policy',
      (c: RawConfig) => (c.policies[1].time = 'calendar'),
      'policies[1].calendar: only a policy with time "business" names a calendar',
    ],
    [
      'a duplicate policy id',
      (c: RawConfig) => (c.policies[1].id = 'vip'),
      'policies[1].id: duplicate policy id "vip" (already used at policies[0])',
    ],
    [
      'a policy version that is not a positive integer',
      (c: RawConfig) => (c.policies[0].version = '2'),
      'policies[0].version: expected an integer ≥ 1, got "2"',
    ],
    [
      'a time zone that is not IANA',
      (c: RawConfig) => (c.calendars[0].timeZone = 'Eastern'),
      'calendars[0].timeZone: expected an IANA time zone such as "America/New_York", got "Eastern"',
    ],
    [
      'overlapping opening hours',
      (c: RawConfig) =>
        (c.calendars[0].weeklyHours.mon = [
          { start: '09:00', end: '13:00' },
          { start: '12:00', end: '18:00' },
        ]),
      'calendars[0].weeklyHours.mon[1]: starts at 12:00, before the previous interval ends; list intervals in order without overlap',
    ],
    [
      'an opening interval that ends before it starts',
      (c: RawConfig) => (c.calendars[0].weeklyHours.fri = [{ start: '22:00', end: '06:00' }]),
      'calendars[0].weeklyHours.fri[0]: end 06:00 must be after start 22:00 (split a night shift at 24:00)',
    ],
    [
      'a malformed wall time',
      (c: RawConfig) => (c.calendars[0].weeklyHours.tue[0].start = '9:00'),
      'calendars[0].weeklyHours.tue[0].start: expected "HH:mm" from 00:00 to 23:59, got "9:00"',
    ],
    [
      'an unknown day',
      (c: RawConfig) => (c.calendars[0].weeklyHours.monday = []),
      'calendars[0].weeklyHours.monday: unknown field (allowed: mon, tue, wed, thu, fri, sat, sun)',
    ],
    [
      'a week with no open hours',
      (c: RawConfig) => (c.calendars[0].weeklyHours = {}),
      'calendars[0].weeklyHours: the calendar has no open hours in the week',
    ],
    [
      'an impossible holiday date',
      (c: RawConfig) => (c.calendars[0].holidays[3].date = '2026-02-30'),
      'calendars[0].holidays[3].date: expected a date "YYYY-MM-DD", got "2026-02-30"',
    ],
    [
      'a duplicate holiday',
      (c: RawConfig) => (c.calendars[0].holidays[4].date = '2026-01-01'),
      'calendars[0].holidays[4].date: duplicate holiday date "2026-01-01" (already used at calendars[0].holidays[0])',
    ],
    [
      'an unknown top-level field',
      (c: RawConfig) => (c.polices = []),
      'polices: unknown field (allowed: version, calendars, policies)',
    ],
  ])('rejects %s, naming the path', (_name, edit, expected) => {
    const errors = errorsOf(configWith(edit));
    expect(errors).toEqual([expect.stringContaining(expected)]);
  });

  it('collects every error, not just the first', () => {
    const errors = errorsOf(
      configWith((c) => {
        c.version = '';
        c.calendars[0].timeZone = 'Mars/Olympus';
        c.policies[0].ladders.first_reply[1].actions[0] = { type: 'page' };
      }),
    );
    expect(errors.map((e) => e.split(':')[0])).toEqual([
      'version',
      'calendars[0].timeZone',
      'policies[0].ladders.first_reply[1].actions[0].type',
    ]);
  });

  it('rejects things that are not config at all', () => {
    expect(errorsOf(null)).toEqual(['(root): expected an object with version, calendars and policies']);
    expect(errorsOf({ version: 'x', calendars: [], policies: [] })).toEqual([
      'policies: expected a non-empty array (the last policy matches every ticket)',
    ]);
  });
});

describe('parseSlaConfig', () => {
  it('returns the config when it is valid', () => {
    expect(parseSlaConfig(DEFAULT_SLA_CONFIG)).toBe(DEFAULT_SLA_CONFIG);
  });

  it('throws a SlaConfigError that lists every error with its path', () => {
    const raw = configWith((c) => (c.policies[2].ladders.first_reply[1].at = {}));
    expect(() => parseSlaConfig(raw)).toThrow(SlaConfigError);
    expect(() => parseSlaConfig(raw)).toThrow(
      /invalid SLA config:\n {2}- policies\[2\]\.ladders\.first_reply\[1\]\.at: expected exactly one of/,
    );
  });
});

describe('the default calendar', () => {
  it('is valid on its own', () => {
    expect(validateBusinessCalendar(US_EAST_BUSINESS_CALENDAR).ok).toBe(true);
  });

  it('has the US federal holidays of 2026 and 2027, each on a weekday (observed dates)', () => {
    const dates = US_EAST_BUSINESS_CALENDAR.holidays.map((h) => DateTime.fromISO(h.date, { zone: 'America/New_York' }));
    for (const date of dates) expect(date.weekday).toBeLessThanOrEqual(5);
    expect(dates.filter((d) => d.year === 2026)).toHaveLength(11);
    expect(dates.filter((d) => d.year === 2027)).toHaveLength(12); // with New Year's Day 2028 observed on 31 December
    // Spot checks of the floating holidays.
    expect(
      US_EAST_BUSINESS_CALENDAR.holidays.find((h) => h.name === 'Thanksgiving Day' && h.date.startsWith('2027'))?.date,
    ).toBe('2027-11-25');
    expect(
      US_EAST_BUSINESS_CALENDAR.holidays.find((h) => h.name === 'Memorial Day' && h.date.startsWith('2026'))?.date,
    ).toBe('2026-05-25');
  });
});
