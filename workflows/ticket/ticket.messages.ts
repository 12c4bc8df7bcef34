/**
 * The contract of the ticket workflow: its name, task queue, id, messages and payloads.
 * The API, the worker and the tests import this file, so names cannot drift.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ClassifyResult } from '../../activities';
import type { Queue, Route, SlaTarget, TicketSnapshot, TicketStatus, TriageOutcome } from '../../libs/domain';
import type { SlaConfig } from '../../libs/domain/src/sla';
import type { MetricRecord } from './sla-clocks';

export const TICKET_WORKFLOW_TYPE = 'ticketWorkflow';
export const DEFAULT_TICKET_TASK_QUEUE = 'tickets';

export function ticketWorkflowId(ticketId: string): string {
  return `ticket-${ticketId}`;
}

export interface TicketWorkflowInput {
  ticketId: string;
  /** Seconds an auto-send waits so an agent can cancel it. */
  autoSendUndoSeconds: number;
  /** Seconds a resolved ticket stays open for a customer reply before it closes. */
  reopenWindowSeconds: number;
  /**
   * SLA policies, calendars and escalation ladders (validated at boot). Tickets started before SLA ladders
   * existed have only `sla`, the first-version response targets, and keep using them.
   */
  slaConfig?: SlaConfig;
  /** First-version response targets by queue and priority (tickets started before `slaConfig`). */
  sla?: SlaTarget[];
  /** History length after which the workflow continues as new (default 2,000 events). */
  continueAsNewAfterEvents?: number;
  /** Set when the workflow continues as new: everything it knew so far. */
  carried?: CarriedState;
}

export interface TicketWorkflowResult {
  status: TicketStatus;
  route: Route | null;
  sentDraftVersion: number | null;
}

/** Who acts. Roles come from the authenticated caller, never from the request body. */
export interface Actor {
  id: string;
  role: 'agent' | 'supervisor' | 'admin' | 'system';
}

export interface ClaimInput {
  actor: Actor;
  /** A supervisor may take over a ticket another agent holds. */
  takeOver?: boolean;
}
export interface ApproveInput {
  actor: Actor;
  draftVersion: number;
}
export interface EditInput {
  actor: Actor;
  draftVersion: number;
  text: string;
}
export interface RejectInput {
  actor: Actor;
  reason: string;
  /** The agent's own reply; absent closes the ticket without a reply. */
  reply?: string;
}
export interface ReassignInput {
  actor: Actor;
  queue: Queue;
  reason: string;
}
export interface NoteInput {
  actor: Actor;
  text: string;
}
export interface CancelAutoSendInput {
  actor: Actor;
}
export interface AwaitCustomerInput {
  actor: Actor;
  /** What the ticket waits for, e.g. "photos of the damage". */
  reason: string;
}

export interface CustomerMessageSignal {
  messageId: string;
}

export interface DecisionResult {
  status: TicketStatus;
  draftVersion: number;
  claimedBy: string | null;
  queue: Queue | null;
}

/** The workflow's state as a Query returns it: the inbox snapshot plus what is still to be triaged. */
export interface TicketState extends TicketSnapshot {
  /** Customer messages received by signal and not yet triaged. */
  pendingMessages: number;
}

export interface CarriedState {
  state: TicketState;
  outcome: TriageOutcome | null;
  context: ClassifyResult | null;
  /** Message ids already signalled, so a repeated signal is not a new message. */
  seenMessageIds: string[];
  /** When the current response clock started (ISO): the oldest unanswered customer message. */
  clockStartedAt: string;
  /** Which target the clock measures: the first reply, or the next one after a follow-up. */
  clockMetric: 'first_response' | 'next_response';
  breachRecorded: boolean;
  sentDraftVersion: number | null;
  /** An agent decision accepted but not yet carried out. */
  decision: AgentDecision | null;
  /** The SLA metric clocks (tickets on SLA ladders). */
  slaClocks?: MetricRecord[];
}

/** What an accepted agent decision asks the workflow to do. */
export type AgentDecision =
  { kind: 'send'; actor: Actor; body: string; draftVersion: number; edited: boolean } | { kind: 'close'; actor: Actor };

/** Rejection codes a validator can answer with; each is a stable API error code. */
export const DECISION_REJECTIONS = [
  'TICKET_NOT_AWAITING_REVIEW',
  'STALE_DRAFT_VERSION',
  'TICKET_CLOSED',
  'TICKET_CLAIMED_BY_OTHER',
  'NO_AUTO_SEND_PENDING',
  'INVALID_DECISION',
] as const;
export type DecisionRejection = (typeof DECISION_REJECTIONS)[number];

export const claimUpdate = defineUpdate<DecisionResult, [ClaimInput]>('claim');
export const approveUpdate = defineUpdate<DecisionResult, [ApproveInput]>('approve');
export const editUpdate = defineUpdate<DecisionResult, [EditInput]>('edit');
export const rejectUpdate = defineUpdate<DecisionResult, [RejectInput]>('reject');
export const reassignUpdate = defineUpdate<DecisionResult, [ReassignInput]>('reassign');
export const noteUpdate = defineUpdate<DecisionResult, [NoteInput]>('note');
export const cancelAutoSendUpdate = defineUpdate<DecisionResult, [CancelAutoSendInput]>('cancelAutoSend');
/** The ticket waits on the customer: SLA clocks pause until they write back. */
export const awaitCustomerUpdate = defineUpdate<DecisionResult, [AwaitCustomerInput]>('awaitCustomer');
export const customerMessageSignal = defineSignal<[CustomerMessageSignal]>('customerMessage');
export const stateQuery = defineQuery<TicketState>('state');

/** Limits shared by the API's DTOs and the workflow's validators. */
export const LIMITS = { replyChars: 20_000, noteChars: 5_000, reasonChars: 1_000 } as const;
