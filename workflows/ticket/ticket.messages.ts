/**
 * The contract of the ticket workflow: its name, task queue, id, messages and payloads.
 * The API, the worker and the tests import this file, so names cannot drift.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ClassifyResult } from '../../activities';
import { DECISION_LIMITS, DECISION_REJECTIONS, ticketWorkflowId } from '../../libs/domain/workflow-rules';
import type {
  Actor,
  DecisionRejection,
  Queue,
  Route,
  SlaConfig,
  TicketSnapshot,
  TicketStatus,
  TriageOutcome,
} from '../../libs/domain';
import type { MetricRecord } from './sla-clocks';

export const TICKET_WORKFLOW_TYPE = 'ticketWorkflow';
export const DEFAULT_TICKET_TASK_QUEUE = 'tickets';

export { ticketWorkflowId };

export interface TicketWorkflowInput {
  ticketId: string;
  /** Seconds an auto-send waits so an agent can cancel it. */
  autoSendUndoSeconds: number;
  /** Seconds a resolved ticket stays open for a customer reply before it closes. */
  reopenWindowSeconds: number;
  /**
   * SLA policies, calendars and escalation ladders (validated at boot). They travel in the input, so a config
   * deployment never changes what a running ticket replays.
   */
  slaConfig: SlaConfig;
  /**
   * Seconds after a ticket goes to a person before the customer is told so (with when to expect an answer), when
   * no reply went out by then. Absent: no acknowledgements (tickets started before they existed stay without).
   */
  acknowledgeAfterSeconds?: number;
  /** How long a reply may keep failing to go out before it goes back to an agent (default 30 minutes). */
  sendTimeoutSeconds?: number;
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

/** Who acts, and the codes a decision can be refused with: the vocabulary of libs/domain's decision rules. */
export type { Actor, DecisionRejection };
export { DECISION_REJECTIONS };
/** Limits shared by the API's DTOs and the workflow's validators. */
export const LIMITS = DECISION_LIMITS;

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

/** A delivery report says a reply of this ticket did not reach the customer. */
export interface ReplyBouncedSignal {
  /** The reply's Message-ID. */
  messageId: string;
  /** What the report said, for the agent (status code and diagnostic, no customer text). */
  reason: string;
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
  /** The most recent message ids signalled, so a repeated signal is not a new message (bounded). */
  seenMessageIds: string[];
  sentDraftVersion: number | null;
  /** Replies this ticket started sending, over every run so far: the next reply's number is one more. */
  repliesStarted?: number;
  /** The handoff to people that no reply has ended yet, and how many handoffs there were. */
  handoff?: Handoff | null;
  handoffs?: number;
  /** An agent decision accepted but not yet carried out. */
  decision: AgentDecision | null;
  /** The SLA metric clocks. */
  slaClocks: MetricRecord[];
  /**
   * The inbox read model already shows `state` (the previous run published it before continuing as new), so the new
   * run writes it again only once it changes. Absent (runs carried by earlier versions): the new run publishes first.
   */
  published?: boolean;
}

/** The ticket went to people at `startedAt`; it ends with the next reply or a close. */
export interface Handoff {
  number: number;
  startedAt: string;
  /** The customer was told (or it was decided they would not be); never twice per handoff. */
  acknowledged: boolean;
}

/** What an accepted agent decision asks the workflow to do. */
export type AgentDecision =
  { kind: 'send'; actor: Actor; body: string; draftVersion: number; edited: boolean } | { kind: 'close'; actor: Actor };

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
export const replyBouncedSignal = defineSignal<[ReplyBouncedSignal]>('replyBounced');
export const stateQuery = defineQuery<TicketState>('state');
