import { Inject, Injectable } from '@nestjs/common';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { randomUUID } from 'node:crypto';
import { DomainError, type SenderTrust } from '../../../../libs/domain';
import { IdentityRepository, TicketRepository, type IngestResult, type TicketView } from '../../../../libs/persistence';
import { TicketWorkflowClient, type DecisionInput, type TicketDecision } from '../../../../libs/temporal';
import type { DecisionResult } from '../../../../workflows/ticket/ticket.messages';
import { canSeeQueue, type UserPrincipal } from '../auth/principal';
import { presentTicket, type PresentedTicket } from './ticket.presenter';
import type { CreateTicketDto } from './tickets.dto';

const AUTHENTICATED_INTEGRATION: SenderTrust = { verified: true, reason: 'submitted by an authenticated integration' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class TicketsService {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly workflows: TicketWorkflowClient,
    private readonly identities: IdentityRepository,
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
  ) {}

  /**
   * Stores the message durably, then hands it to its ticket's workflow: a new ticket starts one, a reply in an
   * open thread signals it (signal-with-start). A repeated `messageId` returns the first answer; if the first
   * attempt stored the message but could not reach Temporal, the repeat finishes the job. `sender` says whether
   * the sender address is trusted (an authenticated integration's JSON is; e-mail depends on its authentication).
   */
  async ingest(dto: CreateTicketDto, sender: SenderTrust = AUTHENTICATED_INTEGRATION): Promise<IngestResult> {
    const seen = await this.tickets.findByMessageId(dto.messageId);
    if (seen) {
      // Finish what a first attempt may have left undone; both calls are no-ops when it was done.
      if (seen.status === 'received') await this.startWorkflow(seen.ticketId);
      else if (seen.threaded && seen.status !== 'closed') await this.signalWorkflow(seen.ticketId, dto.messageId);
      return seen;
    }
    const threadIds = [dto.inReplyTo, ...(dto.references ?? [])].filter((id): id is string => Boolean(id));
    const thread =
      dto.ticketId || threadIds.length
        ? await this.tickets.findThreadTicket({
            ticketId: dto.ticketId && UUID.test(dto.ticketId) ? dto.ticketId : null,
            messageIds: threadIds,
          })
        : null;
    const reopen = this.config.routing.closedTicketReplies === 'reopen';
    const open = thread && (thread.status !== 'closed' || reopen) ? thread : null;
    const result = await this.tickets.ingest(
      {
        messageId: dto.messageId,
        fromEmail: dto.from.email.toLowerCase(),
        fromName: dto.from.name ?? null,
        subject: dto.subject,
        text: dto.text,
        html: dto.html ?? null,
        orderNumber: dto.orderNumber ?? null,
        inReplyTo: dto.inReplyTo ?? null,
        references: dto.references ?? [],
        receivedAt: dto.receivedAt ? new Date(dto.receivedAt) : new Date(),
        senderVerified: sender.verified,
        senderTrustReason: sender.reason,
      },
      {
        newTicketId: randomUUID(),
        threadTicketId: open?.ticketId ?? null,
        parentTicketId: thread && !open ? thread.ticketId : null,
      },
    );
    if (!result.created) return result;
    if (!result.threaded) {
      await this.startWorkflow(result.ticketId);
      return result;
    }
    if (await this.signalWorkflow(result.ticketId, dto.messageId)) return result;
    if (reopen) {
      // The ticket's workflow finished: a new run of the same ticket triages the reply (closed tickets reopen).
      await this.workflows.restart(result.ticketId).catch(unavailable);
      return result;
    }
    // The ticket's workflow finished while this reply arrived: the reply opens a new ticket linked to it.
    const linkedId = randomUUID();
    await this.tickets.moveToNewTicket(dto.messageId, linkedId, result.ticketId);
    await this.startWorkflow(linkedId);
    return { ticketId: linkedId, workflowId: `ticket-${linkedId}`, created: true, threaded: false, status: 'received' };
  }

  /**
   * The ticket, if `user` may see it: supervisors and admins see every ticket, agents those in their queues.
   * Anything else answers exactly like a ticket that does not exist (404), so existence does not leak.
   */
  async get(ticketId: string, user: UserPrincipal): Promise<TicketView> {
    const view = UUID.test(ticketId) ? await this.tickets.findView(ticketId) : null;
    if (!view || !canSeeQueue(user, view.ticket.queue))
      throw new DomainError('TICKET_NOT_FOUND', `no ticket ${ticketId}`);
    return view;
  }

  /** The briefing: the ticket with names for the people in its claim and audit trail. */
  async briefing(ticketId: string, user: UserPrincipal): Promise<PresentedTicket> {
    const view = await this.get(ticketId, user);
    const ids = [view.ticket.claimedBy, ...view.audit.map((a) => a.actor)].filter((id): id is string => id !== null);
    return presentTicket(view, await this.identities.displayNames(ids));
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
    await this.get(ticketId, user);
    if (idempotencyKey !== undefined && !/^[\w.:-]{1,128}$/.test(idempotencyKey)) {
      throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key must be 1 to 128 letters, digits, or . _ : -');
    }
    return this.workflows.decide(
      ticketId,
      decision,
      input,
      idempotencyKey && `${decision}:${user.id}:${idempotencyKey}`,
    );
  }

  private async startWorkflow(ticketId: string): Promise<void> {
    await this.workflows.start(ticketId).catch(unavailable);
  }

  private async signalWorkflow(ticketId: string, messageId: string): Promise<boolean> {
    return this.workflows.appendMessage(ticketId, messageId).catch(unavailable);
  }
}

function unavailable(error: unknown): never {
  throw new DomainError(
    'WORKFLOW_UNAVAILABLE',
    'the message is stored; handing it to its workflow failed, retry the request',
    {
      cause: error instanceof Error ? error.name : 'unknown',
    },
  );
}
