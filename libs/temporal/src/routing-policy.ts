import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { PolicyRecomputed } from '../../../activities';
import {
  recomputePolicyUpdate,
  ROUTING_POLICY_WORKFLOW_TYPE,
  routingPolicyWorkflowId,
} from '../../../workflows/routing-policy/routing-policy.workflow';

/**
 * The routing policy workflow of a task queue: started by every worker at boot and with each reconciliation (all
 * but the first call are no-ops), and asked to recompute at once when an admin changes a control.
 */
export class RoutingPolicyWorkflow {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly everySeconds: number,
  ) {}

  async ensureRunning(): Promise<void> {
    try {
      await this.client.workflow.start(ROUTING_POLICY_WORKFLOW_TYPE, {
        workflowId: routingPolicyWorkflowId(this.taskQueue),
        taskQueue: this.taskQueue,
        args: [{ everySeconds: this.everySeconds }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        staticSummary: 'Routing policy',
        staticDetails: 'Recomputes how much each intent may send on its own from the recorded outcomes.',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /** Recomputes now and answers with the version in force afterwards. */
  async recompute(actor: string, reason: string): Promise<PolicyRecomputed> {
    await this.ensureRunning();
    return this.client.workflow
      .getHandle(routingPolicyWorkflowId(this.taskQueue))
      .executeUpdate(recomputePolicyUpdate, { args: [{ actor, reason }] });
  }
}
