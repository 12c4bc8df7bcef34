import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainError } from '../../domain';
import {
  approveUpdate,
  awaitCustomerUpdate,
  cancelAutoSendUpdate,
  claimUpdate,
  customerMessageSignal,
  DECISION_REJECTIONS,
  editUpdate,
  noteUpdate,
  reassignUpdate,
  rejectUpdate,
  replyBouncedSignal,
  stateQuery,
  TICKET_WORKFLOW_TYPE,
  ticketWorkflowId,
  type DecisionRejection,
  type DecisionResult,
  type TicketState,
  type TicketWorkflowInput,
} from '../../../workflows/ticket/ticket.messages';
import { TicketSearchAttributes } from '../../../workflows/ticket/ticket.search-attributes';
import { ensureSlaNotifier } from './sla-notifier';

export type TicketWorkflowSettings = Omit<TicketWorkflowInput, 'ticketId' | 'carried'> & { taskQueue: string };

/** Agent decisions, by the name the API uses for them. */
export const TICKET_DECISIONS = {
  claim: claimUpdate,
  approve: approveUpdate,
  edit: editUpdate,
  reject: rejectUpdate,
  reassign: reassignUpdate,
  note: noteUpdate,
  'cancel-auto-send': cancelAutoSendUpdate,
  'await-customer': awaitCustomerUpdate,
} as const;
export type TicketDecision = keyof typeof TICKET_DECISIONS;
export type DecisionInput<D extends TicketDecision> =
  (typeof TICKET_DECISIONS)[D] extends UpdateDefinition<DecisionResult, [infer I]> ? I : never;

/** The one place the API talks to ticket workflows. Maps Temporal's answers to domain errors. */
export class TicketWorkflowClient {
  constructor(
    private readonly client: Client,
    private readonly settings: TicketWorkflowSettings,
  ) {}

  /** Starts the ticket's workflow; a no-op when it already runs or ran (ids are never reused for new tickets). */
  async start(ticketId: string): Promise<{ workflowId: string }> {
    const workflowId = ticketWorkflowId(ticketId);
    try {
      await this.client.workflow.start(TICKET_WORKFLOW_TYPE, {
        ...this.startOptions(ticketId),
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return { workflowId };
  }

  /**
   * Starts the ticket again after its workflow was lost or ended while the read model says it is open: a new
   * run under the same id, triaging the stored thread. A no-op while a run is still going.
   */
  async restart(ticketId: string): Promise<void> {
    await this.client.workflow.start(TICKET_WORKFLOW_TYPE, {
      ...this.startOptions(ticketId),
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }

  /**
   * Hands a follow-up message to the ticket's workflow (signal-with-start, so a workflow that was never
   * started starts now). Answers false when the workflow already finished: the caller opens a new ticket.
   */
  async appendMessage(ticketId: string, messageId: string): Promise<boolean> {
    try {
      await this.client.workflow.signalWithStart(TICKET_WORKFLOW_TYPE, {
        ...this.startOptions(ticketId),
        signal: customerMessageSignal,
        signalArgs: [{ messageId }],
      });
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw error;
    }
  }

  /** Runs an agent decision as a workflow Update; `idempotencyKey` becomes the Update id, so a retry is the same Update. */
  async decide<D extends TicketDecision>(
    ticketId: string,
    decision: D,
    input: DecisionInput<D>,
    idempotencyKey?: string,
  ): Promise<DecisionResult> {
    const handle = this.client.workflow.getHandle(ticketWorkflowId(ticketId));
    const update = TICKET_DECISIONS[decision] as UpdateDefinition<DecisionResult, [DecisionInput<D>]>;
    try {
      return await handle.executeUpdate(update, {
        args: [input],
        ...(idempotencyKey ? { updateId: idempotencyKey } : {}),
      });
    } catch (error) {
      throw toDomainError(ticketId, error);
    }
  }

  /**
   * Tells the ticket's workflow that a reply bounced. False when no run is going (the ticket closed): the bounce is
   * then only on the audit trail.
   */
  async reportBounce(ticketId: string, messageId: string, reason: string): Promise<boolean> {
    try {
      await this.client.workflow
        .getHandle(ticketWorkflowId(ticketId))
        .signal(replyBouncedSignal, { messageId, reason });
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || isCompletedError(error)) return false;
      throw error;
    }
  }

  /** Whether the ticket's workflow has a run going (a finished or lost one: false). */
  async isRunning(ticketId: string): Promise<boolean> {
    try {
      const description = await this.client.workflow.getHandle(ticketWorkflowId(ticketId)).describe();
      return description.status.name === 'RUNNING';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  /** Makes sure the task queue's SLA notifier runs (see ensureSlaNotifier). */
  ensureSlaNotifier(): Promise<void> {
    return ensureSlaNotifier(this.client, this.settings.taskQueue);
  }

  /** A round trip to the Temporal frontend, for health checks. */
  async ping(): Promise<void> {
    await this.client.workflowService.getSystemInfo({});
  }

  async state(ticketId: string): Promise<TicketState> {
    try {
      return await this.client.workflow.getHandle(ticketWorkflowId(ticketId)).query(stateQuery);
    } catch (error) {
      throw toDomainError(ticketId, error);
    }
  }

  private startOptions(ticketId: string) {
    const { taskQueue, ...settings } = this.settings;
    const input: TicketWorkflowInput = { ticketId, ...settings };
    return {
      workflowId: ticketWorkflowId(ticketId),
      taskQueue,
      args: [input] as [TicketWorkflowInput],
      workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
      typedSearchAttributes: [{ key: TicketSearchAttributes.status, value: 'received' }],
      staticSummary: `Support ticket ${ticketId}`,
      staticDetails:
        'Triage (classify, fetch order, draft, score, route), then auto-send with undo, agent review or escalation. ' +
        'Agent decisions arrive as Updates; customer follow-ups as the customerMessage signal.',
    };
  }
}

function toDomainError(ticketId: string, error: unknown): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const type = error.cause.type as DecisionRejection;
    if (DECISION_REJECTIONS.includes(type)) return new DomainError(type, error.cause.message);
  }
  if (error instanceof WorkflowNotFoundError || isCompletedError(error)) {
    return new DomainError('TICKET_CLOSED', `ticket ${ticketId} is closed`);
  }
  return error;
}

function isCompletedError(error: unknown): boolean {
  return error instanceof Error && /workflow execution already completed/i.test(error.message);
}
