import type { CustomerMessage, TicketSnapshot, TriageOutcome } from '../tickets/ticket.types';
import type { EscalationAction } from '../sla/escalation-actions';
import type { SlaMetric } from '../sla/sla.types';
import type { Classification, Draft, OrderSnapshot, Priority, Queue, StorePolicy } from '../triage/triage.types';

/** The shop's order system. The built-in adapter reads PostgreSQL; others call a shop's API. */
export interface OrderLookup {
  /**
   * The order only when it belongs to `customerEmail`: a ticket never sees another customer's order. Without an
   * order number, the customer's latest order. `customer.recentContacts` is not the shop's to know: leave it 0.
   */
  findOrder(query: { orderNumber: string | null; customerEmail: string }): Promise<OrderSnapshot | null>;
}

/** Seamline's own memory of a customer's earlier tickets, whatever channel they came by. */
export interface ContactHistory {
  /**
   * Earlier tickets of the customer since `since` (excluding `excludeTicketId`): about the same order when one is
   * known (tickets with no order recorded count too: an e-mail often names none), else all of them.
   */
  earlierContacts(query: {
    customerEmail: string;
    orderNumber: string | null;
    since: string;
    excludeTicketId: string;
  }): Promise<number>;
}

export interface ThreadMessage extends CustomerMessage {
  direction: 'inbound' | 'outbound';
  /** An acknowledgement tells the customer a person has their request; it answers nothing. */
  kind?: 'message' | 'acknowledgement';
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
  /** Who the ticket belongs to (replies go there, whoever wrote last) and how many replies it has recorded. */
  loadTicket(ticketId: string): Promise<{ customerEmail: string; repliesRecorded: number } | null>;
  /** The briefing and state; the ticket records the order it is about (matched, else the one the customer named). */
  saveTriage(
    ticketId: string,
    outcome: TriageOutcome,
    snapshot: TicketSnapshot,
    requestedOrderNumber?: string | null,
  ): Promise<void>;
  /** Writes the snapshot unless a newer one (higher `seq`) is already stored. */
  saveState(ticketId: string, snapshot: TicketSnapshot): Promise<void>;
  /**
   * Records an outbound reply once per key; answers whether it was already delivered. A key recorded before with
   * another recipient or body throws `OutboxConflictError`: a key is never reused for a different reply.
   */
  recordReply(reply: OutboundReply): Promise<{ delivered: boolean }>;
  markReplyDelivered(idempotencyKey: string): Promise<void>;
  recordAudit(entry: AuditEntry): Promise<void>;
  /** One SLA pass (see SlaPassRecord); answers whom a supervisor hand-over assigned the ticket to. */
  recordSlaPass(pass: SlaPassRecord): Promise<{ assignTo: string | null }>;
}

export interface OutboundReply {
  ticketId: string;
  /** Deterministic business key: `ticket:<id>:reply:<n>`, n counting the ticket's replies across every run. */
  idempotencyKey: string;
  messageId: string;
  inReplyTo: string | null;
  to: string;
  subject: string;
  body: string;
  draftVersion: number;
  /** `acknowledgement`: the note that a person has the request (it answers nothing, and is not numbered as a reply). */
  sentBy: 'auto' | 'agent' | 'acknowledgement';
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
  /** `signal` aborts the SMTP conversation (the caller's time bound or cancellation). */
  send(
    mail: {
      messageId: string;
      inReplyTo: string | null;
      /** The thread, oldest first (see referencesChain); defaults to `inReplyTo`. */
      references?: string[];
      to: string;
      subject: string;
      text: string;
    },
    signal?: AbortSignal,
  ): Promise<void>;
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

/**
 * Everything one pass of a ticket's SLA ladder writes, in ONE transaction: the audit rows of the breaches it
 * recorded and the levels it fired, the notifications those levels ask for (queued in the notification outbox,
 * delivered later by the notifier), and the read-model state after the pass. Idempotent: every row has a key.
 */
export interface SlaPassRecord {
  ticketId: string;
  audits: AuditEntry[];
  notifications: EscalationActionInput[];
  /**
   * A level handed the ticket to the supervisor on duty for `queue`: the store picks one (the same one on every
   * retry of the pass), alerts them through the notification `notificationKey`, sets them as the claim in the
   * snapshot and in the level's audit row `levelAuditKey`.
   */
  supervisor: { queue: Queue | null; notificationKey: string; levelAuditKey: string } | null;
  /** The read-model state after the pass; null when the pass changed nothing the inbox shows. */
  snapshot: TicketSnapshot | null;
}

/** A notification waiting in the outbox. */
export interface QueuedNotification {
  key: string;
  ticketId: string;
  input: EscalationActionInput;
  /** Where a supervisor alert goes (the e-mail of the supervisor the pass picked). */
  recipient: string | null;
  /** Delivery attempts made before this one. */
  attempts: number;
  createdAt: string;
}

/** The notification outbox, as the notifier works it. Leases keep two notifiers off the same row. */
export interface NotificationOutbox {
  /** Up to `limit` notifications due now, leased to the caller for `leaseMs`. */
  claimDue(limit: number, leaseMs: number): Promise<QueuedNotification[]>;
  /** The receivers accepted these (one write for a whole batch). */
  markSent(keys: readonly string[]): Promise<void>;
  /** Another attempt at `nextAttemptAt`. */
  markRetry(key: string, error: string, nextAttemptAt: Date): Promise<void>;
  /** No more attempts: the failure is recorded on the ticket's audit trail for people to see. */
  markFailed(key: string, error: string): Promise<void>;
}

/** Delivers one notification (webhook POST, e-mail). Throws `PermanentNotificationError` when retrying cannot help. */
export interface NotificationSender {
  deliver(notification: QueuedNotification): Promise<void>;
}
