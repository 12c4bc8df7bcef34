import type { CustomerMessage, TicketSnapshot, TriageOutcome } from '../tickets/ticket.types';
import type { EscalationAction } from '../sla/escalation-actions';
import type { SlaMetric } from '../sla/sla.types';
import type { Classification, Draft, OrderSnapshot, Priority, Queue, StorePolicy } from '../triage/triage.types';

/** The shop's order system. The built-in adapter reads PostgreSQL; others call a shop's API. */
export interface OrderLookup {
  /** The order only when it belongs to `customerEmail`: a ticket never sees another customer's order. */
  findOrder(query: {
    orderNumber: string | null;
    customerEmail: string;
    /** Earlier tickets about the order since this instant count as previous contacts. */
    contactsSince: string;
    excludeTicketId?: string;
  }): Promise<OrderSnapshot | null>;
}

export interface ThreadMessage extends CustomerMessage {
  direction: 'inbound' | 'outbound';
  sender?: SenderTrust;
}

/** Whether a message's sender address can be trusted for VIP treatment and order lookup, and why. */
export interface SenderTrust {
  verified: boolean;
  reason: string | null;
}

/** What the ticket workflow's activities read from and write to the ticket read model. */
export interface TicketStore {
  loadThread(ticketId: string): Promise<ThreadMessage[]>;
  saveTriage(ticketId: string, outcome: TriageOutcome, snapshot: TicketSnapshot): Promise<void>;
  /** Writes the snapshot unless a newer one (higher `seq`) is already stored. */
  saveState(ticketId: string, snapshot: TicketSnapshot): Promise<void>;
  /** Records an outbound reply once per key; answers whether it was already delivered. */
  recordReply(reply: OutboundReply): Promise<{ delivered: boolean }>;
  markReplyDelivered(idempotencyKey: string): Promise<void>;
  recordAudit(entry: AuditEntry): Promise<void>;
}

export interface OutboundReply {
  ticketId: string;
  /** Deterministic business key, e.g. `ticket:<id>:reply:<draftVersion>`. */
  idempotencyKey: string;
  messageId: string;
  inReplyTo: string | null;
  to: string;
  subject: string;
  body: string;
  draftVersion: number;
  sentBy: 'auto' | 'agent';
}

export interface AuditEntry {
  ticketId: string;
  actor: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** Unique per decision (the Update id), so a retried write records it once. */
  key: string;
}

export interface Classifier {
  classify(input: { subject?: string; text: string }): Promise<Classification>;
}

export interface Drafter {
  draft(input: {
    classification: Classification;
    order: OrderSnapshot | null;
    policy: StorePolicy;
    customerName?: string;
    /** The customer's unanswered words, as untrusted data. */
    customerText?: string;
    requestedOrderNumber?: string | null;
    version: number;
  }): Promise<Draft>;
}

/** Outgoing email. Sending with the same `messageId` twice must be harmless for the receiving side to detect. */
export interface Mailer {
  send(mail: { messageId: string; inReplyTo: string | null; to: string; subject: string; text: string }): Promise<void>;
}

/** Carries out the SLA ladder actions that reach outside the workflow (notifications and the like). */
export interface EscalationActionRunner {
  /**
   * `handled: false` when no handler is registered for the action's type. `assignTo` hands the ticket to that
   * person (e.g. the supervisor on duty). Idempotent by `input.key`.
   */
  run(input: EscalationActionInput): Promise<EscalationActionOutcome>;
}

export interface EscalationActionOutcome {
  handled: boolean;
  assignTo?: string | null;
}

export interface EscalationActionInput {
  /** Deterministic per ticket, metric clock, level and action: receivers can drop repeats. */
  key: string;
  ticketId: string;
  metric: SlaMetric;
  levelId: string;
  action: EscalationAction;
  queue: Queue | null;
  priority: Priority | null;
  firedAt: string;
}
