/** The SLA capacity benchmark's baseline: sleep until a deadline, then one local activity writes one row. */
import { proxyLocalActivities, sleep } from '@temporalio/workflow';
import type { TimerActivities } from './timer.activities';

const { recordFired } = proxyLocalActivities<TimerActivities>({ startToCloseTimeout: '10s' });

export async function bareTimerWorkflow(id: string, deadlineMs: number): Promise<void> {
  await sleep(Math.max(deadlineMs - Date.now(), 1));
  await recordFired(id, deadlineMs);
}
