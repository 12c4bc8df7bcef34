import type { BusinessCalendar, LadderLevel, PriorityTargets, SlaConfig, SlaMetric } from './sla.types';

/**
 * Seamline's default SLA config for an e-commerce support team in New York: business hours Mon–Fri
 * 09:00–18:00, US federal holidays (observed dates) for 2026 and 2027. Three policies, first match wins:
 * VIP customers, the risk queue (fraud, chargebacks, legal), and everyone else. Targets are business seconds.
 */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const WORKDAY = [{ start: '09:00', end: '18:00' }];

export const US_EAST_BUSINESS_CALENDAR: BusinessCalendar = {
  id: 'us-east-business',
  version: 1,
  timeZone: 'America/New_York',
  weeklyHours: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY },
  // US federal holidays; one that falls on a weekend is observed on the Friday before or the Monday after.
  holidays: [
    { date: '2026-01-01', name: "New Year's Day" },
    { date: '2026-01-19', name: 'Martin Luther King Jr. Day' },
    { date: '2026-02-16', name: "Washington's Birthday" },
    { date: '2026-05-25', name: 'Memorial Day' },
    { date: '2026-06-19', name: 'Juneteenth' },
    { date: '2026-07-03', name: 'Independence Day (observed)' },
    { date: '2026-09-07', name: 'Labor Day' },
    { date: '2026-10-12', name: 'Columbus Day' },
    { date: '2026-11-11', name: 'Veterans Day' },
    { date: '2026-11-26', name: 'Thanksgiving Day' },
    { date: '2026-12-25', name: 'Christmas Day' },
    { date: '2027-01-01', name: "New Year's Day" },
    { date: '2027-01-18', name: 'Martin Luther King Jr. Day' },
    { date: '2027-02-15', name: "Washington's Birthday" },
    { date: '2027-05-31', name: 'Memorial Day' },
    { date: '2027-06-18', name: 'Juneteenth (observed)' },
    { date: '2027-07-05', name: 'Independence Day (observed)' },
    { date: '2027-09-06', name: 'Labor Day' },
    { date: '2027-10-11', name: 'Columbus Day' },
    { date: '2027-11-11', name: 'Veterans Day' },
    { date: '2027-11-25', name: 'Thanksgiving Day' },
    { date: '2027-12-24', name: 'Christmas Day (observed)' },
    { date: '2027-12-31', name: "New Year's Day 2028 (observed)" },
  ],
};

/**
 * The default ladder for every metric: warn the leads at 75 % of the target; at the deadline raise the priority,
 * move the ticket to `escalations` and notify; one business hour later, hand it to the supervisor.
 */
export const DEFAULT_ESCALATION_LADDER: LadderLevel[] = [
  { id: 'warn', at: { percentOfTarget: 75 }, actions: [{ type: 'notify', channel: 'webhook', target: 'sla-alerts' }] },
  {
    id: 'breach',
    at: { atDeadline: true },
    actions: [
      { type: 'raise_priority' },
      { type: 'move_to_queue', queue: 'escalations' },
      { type: 'notify', channel: 'webhook', target: 'sla-alerts' },
    ],
  },
  { id: 'breach_plus_1h', at: { afterDeadlineSeconds: HOUR }, actions: [{ type: 'reassign_to_supervisor' }] },
];

const targets = (urgent: number, high: number, normal: number, low: number): PriorityTargets => ({
  urgent,
  high,
  normal,
  low,
});

const everyMetric = (ladder: LadderLevel[]): Record<SlaMetric, LadderLevel[]> => ({
  first_reply: ladder,
  next_reply: ladder,
  human_pickup: ladder,
  pending_approval: ladder,
});

export const DEFAULT_SLA_CONFIG: SlaConfig = {
  version: 'seamline-default-2026.1',
  calendars: [US_EAST_BUSINESS_CALENDAR],
  policies: [
    {
      id: 'vip',
      version: 1,
      description: 'VIP customers: the fastest targets, whatever the queue.',
      when: { tier: ['vip'] },
      time: 'business',
      calendar: US_EAST_BUSINESS_CALENDAR.id,
      targets: {
        first_reply: targets(30 * MINUTE, 1 * HOUR, 2 * HOUR, 4 * HOUR),
        next_reply: targets(1 * HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR),
        human_pickup: targets(15 * MINUTE, 30 * MINUTE, 1 * HOUR, 2 * HOUR),
        pending_approval: targets(15 * MINUTE, 30 * MINUTE, 1 * HOUR, 2 * HOUR),
      },
      ladders: everyMetric(DEFAULT_ESCALATION_LADDER),
    },
    {
      id: 'risk',
      version: 1,
      description: 'The risk queue (fraud claims, chargeback and legal threats): money and reputation at stake.',
      when: { queue: ['risk'] },
      time: 'business',
      calendar: US_EAST_BUSINESS_CALENDAR.id,
      targets: {
        first_reply: targets(1 * HOUR, 2 * HOUR, 4 * HOUR, 4 * HOUR),
        next_reply: targets(1 * HOUR, 2 * HOUR, 4 * HOUR, 4 * HOUR),
        human_pickup: targets(15 * MINUTE, 30 * MINUTE, 1 * HOUR, 1 * HOUR),
        pending_approval: targets(30 * MINUTE, 1 * HOUR, 1 * HOUR, 1 * HOUR),
      },
      ladders: everyMetric(DEFAULT_ESCALATION_LADDER),
    },
    {
      id: 'default',
      version: 1,
      description: 'Every other ticket.',
      when: {},
      time: 'business',
      calendar: US_EAST_BUSINESS_CALENDAR.id,
      targets: {
        first_reply: targets(1 * HOUR, 4 * HOUR, 8 * HOUR, 16 * HOUR),
        next_reply: targets(2 * HOUR, 4 * HOUR, 8 * HOUR, 16 * HOUR),
        human_pickup: targets(30 * MINUTE, 1 * HOUR, 2 * HOUR, 4 * HOUR),
        pending_approval: targets(30 * MINUTE, 1 * HOUR, 2 * HOUR, 4 * HOUR),
      },
      ladders: everyMetric(DEFAULT_ESCALATION_LADDER),
    },
  ],
};
