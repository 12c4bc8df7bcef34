import type { Intent, Priority, Queue } from '../triage/triage.types';
import type { EscalationAction } from './escalation-actions';

/**
 * SLA configuration vocabulary. Everything here is JSON-able data: policies, calendars and ladders are loaded
 * from config, validated by `validateSlaConfig`, and never need code to add a tier or a calendar.
 */

export const SLA_METRICS = ['first_reply', 'next_reply', 'human_pickup', 'pending_approval'] as const;
/**
 * - `first_reply`: from the first customer message to the first reply sent to the customer.
 * - `next_reply`: from the oldest unanswered customer message to the next reply.
 * - `human_pickup`: from escalation or review-routing to the first agent action on the ticket.
 * - `pending_approval`: from an AI draft waiting for review to the agent's decision on it.
 */
export type SlaMetric = (typeof SLA_METRICS)[number];

export const SLA_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const satisfies readonly Priority[];
export const CUSTOMER_TIERS = ['vip', 'standard'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];
export const CHANNELS = ['email', 'api', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local wall-clock hours `[start, end)`, `HH:mm`; `end` may be `24:00`. A night shift is two intervals. */
export interface OpeningInterval {
  start: string;
  end: string;
}

export interface Holiday {
  /** `YYYY-MM-DD`, a date in the calendar's own time zone; the whole local day is closed. */
  date: string;
  name: string;
}

/** When a support team works: a time zone, weekly hours (a missing day is closed) and holidays. */
export interface BusinessCalendar {
  id: string;
  version: number;
  /** IANA name, e.g. `America/New_York`. Never the machine's zone. */
  timeZone: string;
  weeklyHours: Partial<Record<Weekday, OpeningInterval[]>>;
  holidays: Holiday[];
}

/** Which tickets a policy applies to: every listed field must match (any of its values); absent = any. */
export interface PolicyConditions {
  queue?: Queue[];
  priority?: Priority[];
  tier?: CustomerTier[];
  intent?: Intent[];
  channel?: Channel[];
}

/** Target per priority, in seconds of the policy's time (calendar seconds, or business seconds). */
export type PriorityTargets = Record<Priority, number>;

/**
 * When a ladder level is due, on the metric's own clock (the policy's time, stopped by pauses):
 * - `percentOfTarget`: when the running time reaches that share of the target (0 < p ≤ 100);
 * - `atDeadline`: when it reaches the target;
 * - `afterDeadlineSeconds`: when it reaches target + that many seconds.
 */
export type LevelTiming = { percentOfTarget: number } | { atDeadline: true } | { afterDeadlineSeconds: number };

export interface LadderLevel {
  /** Unique within its ladder, stable across policy versions: the workflow remembers fired levels by id. */
  id: string;
  at: LevelTiming;
  actions: EscalationAction[];
}

export interface SlaPolicy {
  id: string;
  version: number;
  description?: string;
  when: PolicyConditions;
  /** `calendar`: every second counts. `business`: only the open hours of `calendar` count. */
  time: 'calendar' | 'business';
  /** A calendar id from `SlaConfig.calendars`; required when `time` is `business`. */
  calendar?: string;
  /** The metrics this policy measures; a metric left out is not measured for its tickets. */
  targets: Partial<Record<SlaMetric, PriorityTargets>>;
  /** Escalation levels per metric, in time order; a metric without a ladder still records its breach. */
  ladders: Partial<Record<SlaMetric, LadderLevel[]>>;
}

export interface SlaConfig {
  /** A label for the whole config (e.g. `2026-03-01`), for logs and audit. */
  version: string;
  calendars: BusinessCalendar[];
  /** Matched in order; the first match wins; the last one must match every ticket (no conditions). */
  policies: SlaPolicy[];
}

/** What a ticket is, for policy matching. A `null` queue, priority or intent matches only policies that don't ask. */
export interface SlaTicketFacts {
  queue: Queue | null;
  priority: Priority | null;
  tier: CustomerTier;
  intent: Intent | null;
  channel: Channel;
}
