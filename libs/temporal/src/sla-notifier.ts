import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  SLA_NOTIFIER_WORKFLOW_TYPE,
  slaNotifierWorkflowId,
} from '../../../workflows/sla-notifier/sla-notifier.workflow';

/**
 * Makes sure the task queue's SLA notifier workflow runs. Every worker calls this at boot and with each
 * reconciliation; all but the first call are no-ops, and a notifier that was terminated by hand comes back.
 */
export async function ensureSlaNotifier(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.workflow.start(SLA_NOTIFIER_WORKFLOW_TYPE, {
      workflowId: slaNotifierWorkflowId(taskQueue),
      taskQueue,
      args: [],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      staticSummary: 'SLA notifier',
      staticDetails: 'Delivers the notifications SLA ladder levels queue in the outbox, with bounded retries.',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
