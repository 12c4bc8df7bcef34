import { Inject, Injectable } from '@nestjs/common';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { DomainError, isUuid, type Intent } from '../../../../libs/domain';
import { SeamlineMetrics } from '../../../../libs/observability';
import { IdentityRepository, OutcomeRepository, TicketRepository, type TicketView } from '../../../../libs/persistence';
import { TicketWorkflowClient, type DecisionInput, type TicketDecision } from '../../../../libs/temporal';
import type { DecisionResult } from '../../../../workflows/ticket/ticket.messages';
import { canSeeQueue, type UserPrincipal } from '../auth/principal';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency-key';
import { presentTicket, type AcknowledgementSettings, type PresentedTicket } from './ticket.presenter';

/** Types served as themselves: images a browser renders without running anything, PDF and plain text. */
const SAFE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain']);

@Injectable()
export class TicketsService {
  private readonly acknowledgements: AcknowledgementSettings;

  constructor(
    private readonly tickets: TicketRepository,
    private readonly workflows: TicketWorkflowClient,
    private readonly identities: IdentityRepository,
    private readonly outcomes: OutcomeRepository,
    @Inject(SEAMLINE_CONFIG) config: SeamlineConfig,
    private readonly metrics: SeamlineMetrics,
  ) {
    this.acknowledgements = {
      delaySeconds: config.routing.acknowledgeAfterSeconds,
      templates: config.routing.acknowledgementTemplates,
      storeName: config.store.storeName,
      signature: config.store.supportSignature,
      timeZone: config.sla.config.calendars[0]?.timeZone ?? 'UTC',
    };
  }

  /**
   * The ticket, if `user` may see it: supervisors and admins see every ticket, agents those in their queues.
   * Anything else answers exactly like a ticket that does not exist (404), so existence does not leak.
   */
  async get(ticketId: string, user: UserPrincipal): Promise<TicketView> {
    const view = isUuid(ticketId) ? await this.tickets.findView(ticketId) : null;
    if (!view || !canSeeQueue(user, view.ticket.queue))
      throw new DomainError('TICKET_NOT_FOUND', `no ticket ${ticketId}`);
    return view;
  }

  /** An agent's "wrong intent": evidence for earned autonomy, audited on the ticket; the ticket keeps its course. */
  async correctIntent(
    ticketId: string,
    intent: Intent,
    user: UserPrincipal,
  ): Promise<{ intent: Intent; correctedIntent: Intent; draftVersion: number }> {
    await this.get(ticketId, user);
    const row = await this.outcomes.correctIntent(ticketId, intent, user.id);
    if (!row) throw new DomainError('NO_ROUTED_DRAFT', `ticket ${ticketId} has not been routed yet`);
    return { intent: row.intent, correctedIntent: intent, draftVersion: row.draftVersion };
  }

  /** The briefing: the ticket with names for the people in its claim and audit trail. */
  async briefing(ticketId: string, user: UserPrincipal): Promise<PresentedTicket> {
    const view = await this.get(ticketId, user);
    const ids = [view.ticket.claimedBy, ...view.audit.map((a) => a.actor)].filter((id): id is string => id !== null);
    return presentTicket(view, await this.identities.displayNames(ids), this.acknowledgements);
  }

  /**
   * An attachment of a ticket the user may see, or 404 exactly like a ticket they may not see. Its type is kept
   * only when it is one browsers show safely; anything else is served as an opaque download.
   */
  async attachment(
    ticketId: string,
    attachmentId: string,
    user: UserPrincipal,
  ): Promise<{ filename: string; contentType: string; content: Buffer }> {
    await this.get(ticketId, user);
    const found = isUuid(attachmentId) ? await this.tickets.findAttachment(ticketId, attachmentId) : null;
    if (!found) throw new DomainError('ATTACHMENT_NOT_FOUND', `no attachment ${attachmentId} on ticket ${ticketId}`);
    const type = found.contentType.toLowerCase().split(';')[0]?.trim() ?? '';
    return {
      filename: found.filename ?? 'attachment',
      contentType: SAFE_TYPES.has(type) ? type : 'application/octet-stream',
      content: found.content,
    };
  }

  /**
   * An agent decision, through the ticket workflow's Update. The visibility check comes first: a ticket the user
   * may not see gets no Update, no audit row and no email. The Update id is the decision, the user and the
   * client's Idempotency-Key, so a retry repeats the first answer and two people's keys never collide.
   */
  async decide<D extends TicketDecision>(
    user: UserPrincipal,
    ticketId: string,
    decision: D,
    input: DecisionInput<D>,
    idempotencyKey?: string,
  ): Promise<DecisionResult> {
    const view = await this.get(ticketId, user);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key must be 1 to 128 letters, digits, or . _ : -');
    }
    const started = performance.now();
    try {
      const result = await this.workflows.decide(
        ticketId,
        decision,
        input,
        idempotencyKey && `${decision}:${user.id}:${idempotencyKey}`,
      );
      this.metrics.decision(decision, 'accepted', (performance.now() - started) / 1000);
      const waitingSince = lastCustomerMessageAt(view);
      if (waitingSince) this.metrics.decisionWait(decision, (Date.now() - waitingSince.getTime()) / 1000);
      return result;
    } catch (error) {
      const outcome = error instanceof DomainError ? 'rejected' : 'failed';
      this.metrics.decision(decision, outcome, (performance.now() - started) / 1000);
      throw error;
    }
  }
}

/** When the customer last wrote: how long the ticket has waited for people when a decision lands. */
function lastCustomerMessageAt(view: TicketView): Date | null {
  let latest: Date | null = null;
  for (const m of view.messages) {
    if (m.direction === 'inbound' && m.kind === 'message' && (!latest || m.receivedAt > latest)) latest = m.receivedAt;
  }
  return latest;
}
