/**
 * The contract of the ticket workflow: its name, task queue, id, messages and payloads.
 * The API, the worker and the tests import this file, so names cannot drift.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Route, TicketStatus } from '../../libs/domain';

export const TICKET_WORKFLOW_TYPE = 'ticketWorkflow';
export const DEFAULT_TICKET_TASK_QUEUE = 'tickets';

export function ticketWorkflowId(ticketId: string): string {
  return `ticket-${ticketId}`;
}

export interface TicketWorkflowInput {
  ticketId: string;
  /** Seconds an auto-send waits so an agent can cancel it. */
  autoSendUndoSeconds: number;
  /** Seconds a ticket may wait for an agent before it escalates. */
  reviewSlaSeconds: number;
}

export interface TicketWorkflowResult {
  status: TicketStatus;
  route: Route | null;
  sentDraftVersion: number | null;
}

export interface ApproveInput {
  draftVersion: number;
  actor: string;
}

export interface DecisionResult {
  status: TicketStatus;
  draftVersion: number;
}

export interface TicketState {
  status: TicketStatus;
  route: Route | null;
  draftVersion: number;
  escalated: boolean;
}

/** Rejection codes a validator can answer with; each is a stable API error code. */
export const DECISION_REJECTIONS = ['TICKET_NOT_AWAITING_REVIEW', 'STALE_DRAFT_VERSION', 'TICKET_CLOSED'] as const;
export type DecisionRejection = (typeof DECISION_REJECTIONS)[number];

export const approveUpdate = defineUpdate<DecisionResult, [ApproveInput]>('approve');
export const stateQuery = defineQuery<TicketState>('state');
