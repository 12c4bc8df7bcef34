/**
 * The SLA notifier: one long-lived workflow per task queue that keeps the notification outbox worked. Each round
 * is one long, heart-beating activity on any worker of the queue; a worker that dies loses its heartbeat and the
 * round moves to another. The history stays short: the workflow continues as new every few rounds.
 */
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { NotifierActivities } from '../../activities';

export const SLA_NOTIFIER_WORKFLOW_TYPE = 'slaNotifierWorkflow';

export function slaNotifierWorkflowId(taskQueue: string): string {
  return `sla-notifier-${taskQueue}`;
}

const ROUND_MS = 5 * 60_000;
const ROUNDS_PER_RUN = 12;

const { deliverSlaNotifications } = proxyActivities<NotifierActivities>({
  startToCloseTimeout: ROUND_MS + 60_000,
  // The round heartbeats every poll (well under a second): a worker that died is noticed within seconds.
  heartbeatTimeout: '10s',
  // A round that fails (the database is away) is simply the next round, after a short back-off; never give up.
  // Short, because one round absorbs every outage of its five minutes: a long back-off would hold notifications
  // back well after the database or the worker is back.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5s' },
});

export async function slaNotifierWorkflow(): Promise<void> {
  for (let round = 0; round < ROUNDS_PER_RUN && !workflowInfo().continueAsNewSuggested; round++) {
    await deliverSlaNotifications({ forMs: ROUND_MS });
  }
  await continueAsNew<typeof slaNotifierWorkflow>();
}
