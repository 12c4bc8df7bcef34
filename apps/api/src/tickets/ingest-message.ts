import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { DomainError, isUuid, type SenderTrust } from '../../../../libs/domain';
import { TicketRepository, type IngestResult } from '../../../../libs/persistence';
import { TicketWorkflowClient } from '../../../../libs/temporal';
import { ticketWorkflowId } from '../../../../workflows/ticket/ticket.messages';
import type { CreateTicketDto } from './tickets.dto';

const AUTHENTICATED_INTEGRATION: SenderTrust = { verified: true, reason: 'submitted by an authenticated integration' };

/**
 * Taking a customer message in, whichever door it came through (the JSON API or the inbound-mail pipeline):
 * store it durably, then hand it to its ticket's workflow.
 */
@Injectable()
export class IngestMessage {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly workflows: TicketWorkflowClient,
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
  ) {}

  /**
   * Stores the message durably, then hands it to its ticket's workflow: a new ticket starts one, a reply in an
   * open thread signals it (signal-with-start). A repeated `messageId` returns the first answer; if the first
   * attempt stored the message but could not reach Temporal, the repeat finishes the job. `sender` says whether
   * the sender address is trusted (an authenticated integration's JSON is; e-mail depends on its authentication).
   */
  async execute(dto: CreateTicketDto, sender: SenderTrust = AUTHENTICATED_INTEGRATION): Promise<IngestResult> {
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
            ticketId: dto.ticketId && isUuid(dto.ticketId) ? dto.ticketId : null,
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
    return {
      ticketId: linkedId,
      workflowId: ticketWorkflowId(linkedId),
      created: true,
      threaded: false,
      status: 'received',
    };
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
