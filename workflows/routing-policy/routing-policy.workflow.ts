/**
 * Earned autonomy's clock: one long-lived workflow per task queue that recomputes the routing policy from the
 * recorded outcomes on a schedule, and at once when an admin asks (an Update that answers with the new version).
 * The history stays short: it continues as new every few rounds.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineUpdate,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { PolicyRecomputed, RoutingPolicyActivities } from '../../activities';

export const ROUTING_POLICY_WORKFLOW_TYPE = 'routingPolicyWorkflow';

export function routingPolicyWorkflowId(taskQueue: string): string {
  return `routing-policy-${taskQueue}`;
}

export interface RoutingPolicyWorkflowInput {
  /** Seconds between scheduled recomputes. */
  everySeconds: number;
}

export const recomputePolicyUpdate = defineUpdate<PolicyRecomputed, [{ reason: string; actor: string }]>(
  'recomputePolicy',
);

const ROUNDS_PER_RUN = 50;

const { recomputeRoutingPolicy } = proxyActivities<RoutingPolicyActivities>({
  startToCloseTimeout: '2m',
  // The database away is simply a later recompute; the policy in force stays meanwhile.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

export async function routingPolicyWorkflow(input: RoutingPolicyWorkflowInput): Promise<void> {
  setHandler(recomputePolicyUpdate, (request) => recomputeRoutingPolicy(request));
  for (let round = 0; round < ROUNDS_PER_RUN && !workflowInfo().continueAsNewSuggested; round++) {
    await recomputeRoutingPolicy({ reason: round === 0 ? 'start' : 'schedule', actor: 'system' });
    await condition(() => workflowInfo().continueAsNewSuggested, input.everySeconds * 1000);
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof routingPolicyWorkflow>(input);
}
