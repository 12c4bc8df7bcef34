import type {
  Classification,
  Confidence,
  Draft,
  OrderSnapshot,
  Priority,
  Queue,
  Route,
  RoutingDecision,
} from '../triage/triage.types';

export const TICKET_STATUSES = [
  'received',
  'triaging',
  'awaiting_review',
  'escalated',
  'waiting_on_customer',
  'auto_send_pending',
  'sending',
  'resolved',
  'closed',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface CustomerMessage {
  messageId: string;
  from: { email: string; name?: string };
  subject: string;
  text: string;
  html?: string;
  orderNumber?: string;
  receivedAt: string;
}

/** Everything the workflow learned about a ticket, as the read model stores it. */
export interface TriageOutcome {
  classification: Classification;
  order: OrderSnapshot | null;
  draft: Draft | null;
  confidence: Confidence;
  decision: RoutingDecision;
}

export type SlaState = 'ok' | 'warning' | 'breached' | 'paused' | 'met';

/** What the inbox shows of a ticket's workflow state; `seq` orders the writes so a late one never wins. */
export interface TicketSnapshot {
  seq: number;
  status: TicketStatus;
  route: Route | null;
  queue: Queue | null;
  priority: Priority | null;
  claimedBy: string | null;
  escalated: boolean;
  slaState: SlaState;
  slaDeadline: string | null;
  draftVersion: number;
}
