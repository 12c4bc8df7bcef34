/**
 * The ticket workflow's view of its activities: one place for timeouts and retry policies. Retries live here,
 * in Temporal, and nowhere else: activities never loop on their own.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { TicketActivities } from '../../activities';

const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' } as const;

/** Reads and writes of our own database. */
export const QUICK = { startToCloseTimeout: '15s', retry } as const;
/** The shop's order system: retried for a few minutes (a throttled or briefly down shop), then a human takes over. */
export const ORDER_LOOKUP = { startToCloseTimeout: '15s', scheduleToCloseTimeout: '5m', retry } as const;
/** A language model call: heartbeats while it waits, a bounded number of attempts, then a human takes over. */
export const MODEL_CALL = {
  startToCloseTimeout: '90s',
  heartbeatTimeout: '30s',
  retry: { ...retry, maximumAttempts: 5 },
} as const;
/** Sending mail: retried with a longer back-off while the SMTP server is away. */
export const DELIVERY = {
  startToCloseTimeout: '60s',
  heartbeatTimeout: '30s',
  retry: { ...retry, maximumInterval: '5m' },
} as const;
/** Short, pure or single-row steps, run by the worker inside the workflow task: no round trip to the server. */
export const LOCAL = { startToCloseTimeout: '10s', retry } as const;
/** The acknowledgement at handoff: worth a few attempts, never worth holding the ticket up for long. */
export const ACKNOWLEDGEMENT = {
  startToCloseTimeout: '60s',
  heartbeatTimeout: '30s',
  scheduleToCloseTimeout: '5m',
  retry: { ...retry, maximumAttempts: 5 },
} as const;

export const activities = proxyActivities<TicketActivities>(QUICK);
export const localActivities =
  proxyLocalActivities<
    Pick<TicketActivities, 'scoreConfidence' | 'routeTicket' | 'recordDecision' | 'publishState' | 'recordSlaPass'>
  >(LOCAL);

/** Where a read-model write goes: handlers use regular activities, the SLA pass local ones. */
export type StateWriter = Pick<TicketActivities, 'publishState'>;
export type AuditWriter = Pick<TicketActivities, 'recordDecision'>;
