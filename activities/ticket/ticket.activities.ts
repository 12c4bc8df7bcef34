import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  OutboxConflictError,
  PermanentDeliveryError,
  PermanentLlmError,
  PermanentOrderLookupError,
  RetryableLlmError,
  RetryableOrderLookupError,
  DEFAULT_ACKNOWLEDGEMENT_TEMPLATES,
  referencesChain,
  renderAcknowledgement,
  replySubject,
  routeTicket as decideRoute,
  unavailableClassification,
  scoreConfidence as computeConfidence,
  type AcknowledgementTemplates,
  type AuditEntry,
  type Classification,
  type Classifier,
  type Confidence,
  type ContactHistory,
  type Draft,
  type Drafter,
  type EscalationActionInput,
  type EscalationActionRunner,
  type Mailer,
  type OrderLookup,
  type OrderSnapshot,
  type Queue,
  type RoutingDecision,
  type RoutingPolicy,
  type RoutingPolicySource,
  type SenderTrust,
  type SlaPassRecord,
  type StorePolicy,
  type TicketSnapshot,
  type TicketStore,
  type TriageOutcome,
} from '../../libs/domain';

export interface TicketActivityDeps {
  tickets: TicketStore;
  orders: OrderLookup;
  contacts: ContactHistory;
  classifier: Classifier;
  drafter: Drafter;
  mailer: Mailer;
  escalations: EscalationActionRunner;
  store: StorePolicy;
  /** The store's words for the acknowledgement at handoff, by queue. */
  acknowledgementTemplates?: AcknowledgementTemplates;
  routingPolicy: RoutingPolicy;
  /** The policy in force when autonomy is earned (it changes with the evidence); without it, `routingPolicy`. */
  policies?: RoutingPolicySource;
  autoSendEnabled: boolean;
  /** Domain of generated Message-IDs, e.g. `support.example.com`. */
  messageIdDomain: string;
  now?: () => Date;
}

export interface ClassifyResult {
  classification: Classification;
  /** The customer's unanswered words, the drafter's input (untrusted data, never instructions). */
  customerText: string;
  customerEmail: string;
  customerName: string | null;
  /** The order the customer named (field or text), if any. */
  requestedOrderNumber: string | null;
  subject: string;
  /** Message-ID of the newest customer message: replies thread to it. */
  latestMessageId: string;
  /** Absent on results recorded before sender trust existed (read as trusted). */
  senderTrust?: SenderTrust;
  /** Replies the ticket recorded in every run so far: the next reply's number starts above it. */
  repliesRecorded?: number;
}

export interface AcknowledgementInput {
  ticketId: string;
  /** The handoff it acknowledges: the n-th time the ticket went to people without a reply since. */
  episode: number;
  to: string;
  customerName: string | null;
  /** The customer's subject; the acknowledgement threads like a reply. */
  subject: string;
  inReplyTo: string | null;
  queue: Queue | null;
  /** When the reply is due (ISO), and the SLA calendar's zone to say it in. */
  expectedBy: string | null;
  timeZone: string;
}

export interface SendReplyInput {
  ticketId: string;
  /** The ticket's n-th reply, counted across every run of its workflow: the outbox key and the Message-ID. */
  replyNumber?: number;
  draftVersion: number;
  to: string;
  subject: string;
  body: string;
  inReplyTo: string | null;
  sentBy: 'auto' | 'agent';
}

/**
 * The ticket workflow's side effects, built over ports so they know nothing of Nest, TypeORM or SMTP libraries.
 * Every write is idempotent by a deterministic key, so Temporal's retries are always safe.
 */
export function createTicketActivities(deps: TicketActivityDeps) {
  const now = deps.now ?? (() => new Date());

  return {
    /**
     * Classifies the customer messages not yet answered. With `fallback` (the workflow's answer to a classifier
     * that failed for good) it skips the classifier and reports it unavailable, so routing hands the ticket to a human.
     */
    async classify(input: { ticketId: string; fallback?: boolean }): Promise<ClassifyResult> {
      const [ticket, thread] = await Promise.all([
        deps.tickets.loadTicket(input.ticketId),
        deps.tickets.loadThread(input.ticketId),
      ]);
      if (!ticket) throw ApplicationFailure.nonRetryable(`ticket ${input.ticketId} does not exist`, 'UnknownTicket');
      const inbound = thread.filter((m) => m.direction === 'inbound');
      const latest = inbound.at(-1);
      if (!latest)
        throw ApplicationFailure.nonRetryable(`ticket ${input.ticketId} has no customer message`, 'EmptyThread');
      // An acknowledgement answers nothing: what the customer wrote before it is still unanswered.
      const replies = thread.filter((m) => m.direction === 'outbound' && m.kind !== 'acknowledgement');
      const lastReplyAt = replies.at(-1)?.receivedAt ?? '';
      const unanswered = inbound.filter((m) => m.receivedAt > lastReplyAt);
      const text = unanswered.map((m) => m.text).join('\n\n');
      const classification = input.fallback
        ? unavailableClassification()
        : await deps.classifier.classify({ subject: latest.subject, text }).catch(toActivityFailure);
      const named = [...inbound].reverse().find((m) => m.orderNumber)?.orderNumber;
      return {
        classification,
        customerText: text.slice(0, 20_000),
        // Replies go to the ticket's customer, never to whoever wrote last.
        customerEmail: ticket.customerEmail,
        customerName: latest.from.name ?? null,
        requestedOrderNumber: named ?? classification.entities.orderNumbers[0] ?? null,
        subject: latest.subject,
        latestMessageId: latest.messageId,
        senderTrust: latest.sender ?? { verified: true, reason: null },
        repliesRecorded: ticket.repliesRecorded,
      };
    },

    /** The customer's order; none for a sender whose address is not trusted (a spoofed address must see nothing). */
    async fetchOrder(input: {
      ticketId: string;
      orderNumber: string | null;
      customerEmail: string;
      senderVerified?: boolean;
    }): Promise<OrderSnapshot | null> {
      if (input.senderVerified === false) return null;
      const order = await deps.orders
        .findOrder({ orderNumber: input.orderNumber, customerEmail: input.customerEmail })
        .catch(toOrderLookupFailure);
      if (!order) return null;
      const windowMs = deps.routingPolicy.repeatedContact.withinDays * 86_400_000;
      const recentContacts = await deps.contacts.earlierContacts({
        customerEmail: input.customerEmail,
        orderNumber: order.orderNumber,
        since: new Date(now().getTime() - windowMs).toISOString(),
        excludeTicketId: input.ticketId,
      });
      return { ...order, customer: { ...order.customer, recentContacts } };
    },

    async draftReply(input: {
      classification: Classification;
      order: OrderSnapshot | null;
      customerName: string | null;
      customerText: string;
      requestedOrderNumber: string | null;
      version: number;
    }): Promise<Draft> {
      return deps.drafter
        .draft({
          classification: input.classification,
          order: input.order,
          policy: deps.store,
          ...(input.customerName ? { customerName: input.customerName } : {}),
          customerText: input.customerText,
          requestedOrderNumber: input.requestedOrderNumber,
          version: input.version,
        })
        .catch(toActivityFailure);
    },

    async scoreConfidence(input: {
      classification: Classification;
      order: OrderSnapshot | null;
      draft: Draft | null;
      requestedOrderNumber: string | null;
    }): Promise<Confidence> {
      return computeConfidence(input);
    },

    async routeTicket(input: {
      classification: Classification;
      order: OrderSnapshot | null;
      confidence: Confidence;
      draft: Draft | null;
      senderTrust?: SenderTrust;
      /** The order system could not be asked (it failed for good, or for longer than the lookup may take). */
      orderLookupFailed?: boolean;
    }): Promise<RoutingDecision> {
      const { senderTrust, orderLookupFailed, ...facts } = input;
      const policy = deps.policies ? await deps.policies.current() : deps.routingPolicy;
      let decision = decideRoute({ ...facts, policy, autoSendEnabled: deps.autoSendEnabled });
      if (senderTrust?.verified === false) decision = withUntrustedSender(decision, senderTrust.reason);
      if (orderLookupFailed) decision = toHuman(decision, ORDER_LOOKUP_FAILED);
      return decision;
    },

    async publishBriefing(input: {
      ticketId: string;
      outcome: TriageOutcome;
      snapshot: TicketSnapshot;
    }): Promise<void> {
      await deps.tickets.saveTriage(input.ticketId, input.outcome, input.snapshot);
    },

    /** Mirrors the workflow's state into the inbox read model; a stale write (lower seq) changes nothing. */
    async publishState(input: { ticketId: string; snapshot: TicketSnapshot }): Promise<void> {
      await deps.tickets.saveState(input.ticketId, input.snapshot);
    },

    /** One SLA ladder action that reaches outside the workflow; the registry in libs/integrations runs it. */
    async runEscalationAction(input: EscalationActionInput): Promise<{ assignTo: string | null }> {
      const outcome = await deps.escalations.run(input);
      if (!outcome.handled) {
        throw ApplicationFailure.nonRetryable(
          `no handler is registered for escalation action "${input.action.type}"`,
          'UnknownEscalationAction',
        );
      }
      return { assignTo: outcome.assignTo ?? null };
    },

    async recordDecision(entry: AuditEntry): Promise<void> {
      await deps.tickets.recordAudit(entry);
    },

    /** Everything one SLA pass writes, in one transaction; notifications go to the outbox, not to the network. */
    async recordSlaPass(pass: SlaPassRecord): Promise<{ assignTo: string | null }> {
      return deps.tickets.recordSlaPass(pass);
    },

    /**
     * Tells the customer a person has their request and when to expect an answer, once per handoff: the same
     * outbox-first path as a reply, under its own key, marked as an acknowledgement (it answers nothing).
     */
    async sendAcknowledgement(input: AcknowledgementInput): Promise<{ messageId: string }> {
      const text = renderAcknowledgement(
        deps.acknowledgementTemplates ?? DEFAULT_ACKNOWLEDGEMENT_TEMPLATES,
        input.queue,
        {
          ticketId: input.ticketId,
          customerName: input.customerName,
          storeName: deps.store.storeName,
          signature: deps.store.supportSignature,
          expectedBy: input.expectedBy ? new Date(input.expectedBy) : null,
          timeZone: input.timeZone,
        },
      );
      const idempotencyKey = `ticket:${input.ticketId}:acknowledgement:${input.episode}`;
      const messageId = `<ack-${input.episode}.${input.ticketId}@${deps.messageIdDomain}>`;
      const { delivered } = await deps.tickets.recordReply({
        ticketId: input.ticketId,
        idempotencyKey,
        messageId,
        inReplyTo: input.inReplyTo,
        to: input.to,
        subject: replySubject(input.subject, input.ticketId),
        body: text,
        draftVersion: 0,
        sentBy: 'acknowledgement',
      });
      if (!delivered) {
        const thread = await deps.tickets.loadThread(input.ticketId);
        const references = referencesChain(thread.map((m) => m.messageId).filter((id) => id !== messageId));
        const mail = {
          messageId,
          inReplyTo: input.inReplyTo,
          references,
          to: input.to,
          subject: replySubject(input.subject, input.ticketId),
          text,
        };
        await withHeartbeats((signal) => deps.mailer.send(mail, signal));
        await deps.tickets.markReplyDelivered(idempotencyKey);
      }
      await deps.tickets.recordAudit({
        ticketId: input.ticketId,
        key: `${idempotencyKey}:audit`,
        actor: 'system',
        action: 'acknowledgement_sent',
        before: null,
        after: { episode: input.episode, expectedBy: input.expectedBy, messageId },
      });
      return { messageId };
    },

    /**
     * Sends the ticket's n-th reply once: the outbox row is written first with a deterministic Message-ID, the
     * mail goes out, then the row is marked delivered and later attempts skip the send. The SMTP conversation is
     * bounded and heartbeats while it runs, so Temporal never retries while it is still going; only a crash
     * between the SMTP server's acceptance and the mark re-sends, with the same Message-ID.
     */
    async sendReply(input: SendReplyInput): Promise<{ messageId: string }> {
      const n = input.replyNumber ?? input.draftVersion;
      const idempotencyKey = `ticket:${input.ticketId}:reply:${n}`;
      const messageId = `<reply-${n}.${input.ticketId}@${deps.messageIdDomain}>`;
      const { delivered } = await deps.tickets
        .recordReply({
          ticketId: input.ticketId,
          idempotencyKey,
          messageId,
          inReplyTo: input.inReplyTo,
          to: input.to,
          subject: input.subject,
          body: input.body,
          draftVersion: input.draftVersion,
          sentBy: input.sentBy,
        })
        .catch((error: unknown) => {
          if (error instanceof OutboxConflictError) throw ApplicationFailure.nonRetryable(error.message, error.name);
          throw error;
        });
      if (delivered) return { messageId };
      const thread = await deps.tickets.loadThread(input.ticketId);
      const references = referencesChain([...thread.map((m) => m.messageId).filter((id) => id !== messageId)]);
      const mail = { messageId, inReplyTo: input.inReplyTo, references, to: input.to, subject: input.subject };
      await withHeartbeats((signal) => deps.mailer.send({ ...mail, text: input.body }, signal));
      await deps.tickets.markReplyDelivered(idempotencyKey);
      return { messageId };
    },
  };
}

/** Well inside the delivery heartbeat timeout, so a long SMTP conversation never looks like a dead worker. */
const HEARTBEAT_EVERY_MS = 3_000;

/**
 * Runs an SMTP send while the activity heartbeats, aborted when the activity is cancelled; a permanent refusal
 * (5xx) becomes a non-retryable failure, anything else is left to Temporal's retries.
 */
async function withHeartbeats(send: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const context = Context.current();
  context.heartbeat();
  const beat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    await send(context.cancellationSignal);
  } catch (error) {
    if (error instanceof PermanentDeliveryError) {
      throw ApplicationFailure.nonRetryable(error.message, 'PermanentDeliveryError');
    }
    throw error;
  } finally {
    clearInterval(beat);
  }
}

export type TicketActivities = ReturnType<typeof createTicketActivities>;

/** An untrusted sender never gets an automatic reply; the briefing says why VIP status and order data are missing. */
function withUntrustedSender(decision: RoutingDecision, reason: string | null): RoutingDecision {
  return toHuman(decision, {
    code: 'sender_unverified',
    detail: `the sender's address is not verified (${reason ?? 'no reason given'}), so no VIP treatment and no order lookup by sender`,
    evidence: reason ? [reason] : [],
  });
}

const ORDER_LOOKUP_FAILED = {
  code: 'order_lookup_failed',
  detail: 'the order system could not be reached, so the briefing has no order data',
  evidence: [],
};

/** A reason a person must look: an automatic reply becomes a draft for review, any other route keeps its course. */
function toHuman(decision: RoutingDecision, reason: RoutingDecision['reasons'][number]): RoutingDecision {
  // more than the threshold stands in the way now: the agent's verdict is no evidence for automatic sending
  const autonomy = decision.autonomy ? { autonomy: { ...decision.autonomy, candidate: false } } : {};
  if (decision.route !== 'auto') return { ...decision, ...autonomy, reasons: [...decision.reasons, reason] };
  return {
    ...decision,
    ...autonomy,
    route: 'review',
    reasons: [reason, ...decision.reasons.filter((r) => r.code !== 'auto_send_eligible')],
    explanation: `Draft for agent review: ${reason.detail}.`,
  };
}

/** Model failures as Temporal sees them: permanent ones are not retried; a Retry-After sets the next delay. */
function toActivityFailure(error: unknown): never {
  if (error instanceof PermanentLlmError) {
    throw ApplicationFailure.nonRetryable(error.message, 'PermanentLlmError');
  }
  if (error instanceof RetryableLlmError && error.retryAfterMs !== undefined) {
    throw ApplicationFailure.create({
      message: error.message,
      type: 'RetryableLlmError',
      nextRetryDelay: error.retryAfterMs,
    });
  }
  throw error;
}

/** Order-system failures as Temporal sees them: permanent ones are not retried; a wait the shop asked for is kept. */
function toOrderLookupFailure(error: unknown): never {
  if (error instanceof PermanentOrderLookupError) {
    throw ApplicationFailure.nonRetryable(error.message, 'PermanentOrderLookupError');
  }
  if (error instanceof RetryableOrderLookupError && error.retryAfterMs !== undefined) {
    throw ApplicationFailure.create({
      message: error.message,
      type: 'RetryableOrderLookupError',
      nextRetryDelay: error.retryAfterMs,
    });
  }
  throw error;
}
