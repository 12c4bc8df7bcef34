import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { DomainError } from '../../domain';
import {
  approveUpdate,
  DECISION_REJECTIONS,
  TICKET_WORKFLOW_TYPE,
  ticketWorkflowId,
  type ApproveInput,
  type DecisionRejection,
  type DecisionResult,
  type TicketWorkflowInput,
} from '../../../workflows/ticket/ticket.messages';
import { TicketSearchAttributes } from '../../../workflows/ticket/ticket.search-attributes';

export interface TicketWorkflowSettings {
  taskQueue: string;
  autoSendUndoSeconds: number;
  reviewSlaSeconds: number;
}

/** The one place the API talks to ticket workflows. Maps Temporal's answers to domain errors. */
export class TicketWorkflowClient {
  constructor(
    private readonly client: Client,
    private readonly settings: TicketWorkflowSettings,
  ) {}

  /** Starts the ticket's workflow; a no-op when it already runs or ran (ids are never reused for new tickets). */
  async start(ticketId: string): Promise<{ workflowId: string }> {
    const workflowId = ticketWorkflowId(ticketId);
    const input: TicketWorkflowInput = {
      ticketId,
      autoSendUndoSeconds: this.settings.autoSendUndoSeconds,
      reviewSlaSeconds: this.settings.reviewSlaSeconds,
    };
    try {
      await this.client.workflow.start(TICKET_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: this.settings.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [{ key: TicketSearchAttributes.status, value: 'received' }],
        staticSummary: `Ticket ${ticketId}`,
        staticDetails: 'Customer support ticket: triage, then auto-send, agent review or escalation.',
      });
      return { workflowId };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId };
      throw error;
    }
  }

  async approve(ticketId: string, request: ApproveInput, idempotencyKey?: string): Promise<DecisionResult> {
    const handle = this.client.workflow.getHandle(ticketWorkflowId(ticketId));
    try {
      return await handle.executeUpdate(approveUpdate, {
        args: [request],
        ...(idempotencyKey ? { updateId: idempotencyKey } : {}),
      });
    } catch (error) {
      throw toDomainError(ticketId, error);
    }
  }
}

function toDomainError(ticketId: string, error: unknown): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const type = error.cause.type as DecisionRejection;
    if (DECISION_REJECTIONS.includes(type)) return new DomainError(type, error.cause.message);
  }
  if (error instanceof WorkflowNotFoundError) {
    return new DomainError('TICKET_CLOSED', `ticket ${ticketId} has no running workflow`);
  }
  return error;
}
