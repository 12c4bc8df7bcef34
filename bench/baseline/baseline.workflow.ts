/** The benchmark's baseline: a workflow with as many activities as the ticket pipeline, each doing nothing. */
import { proxyActivities } from '@temporalio/workflow';
import type { createBaselineActivities } from './baseline.activities';

const step = proxyActivities<ReturnType<typeof createBaselineActivities>>({ startToCloseTimeout: '15s' });

export async function baselineWorkflow(steps: number): Promise<number> {
  for (let i = 0; i < steps; i++) await step.noop(i);
  return steps;
}
