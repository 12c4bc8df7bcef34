import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { DomainError, isUuid, ticketWorkflowId, type SenderTrust } from '../../../../libs/domain';
import { SeamlineMetrics } from '../../../../libs/observability';
import {
  IntakeRepository,
  isDatabaseUnavailable,
  TicketRepository,
  type IngestResult,
} from '../../../../libs/persistence';
import { TicketWorkflowClient } from '../../../../libs/temporal';
import type { CreateTicketDto } from './tickets.dto';

const AUTHENTICATED_INTEGRATION: SenderTrust = { verified: true, reason: 'submitted by an authenticated integration' };

/** Where the message came through: the JSON API keeps a conflicting message itself; mail intake keeps the raw mail. */
export type IngestChannel = 'api' | 'mail';

/**
 * Taking a customer message in, whichever door it came through (the JSON API or the inbound-mail pipeline):
 * store it durably, then hand it to its ticket's workflow.
 *
 * Two rules keep every customer's conversation their own. A message joins a ticket only when its sender is the
 * ticket's customer: a message that names another customer's ticket (reply headers, ticket id, subject token) opens
 * a new ticket linked to it, with the reason `thread_sender_mismatch`. And a message id is one message: a retry of
 * the same message gets the same answer, while the same id with another sender or content is refused with
 * `MESSAGE_ID_CONFLICT`, no ticket id in the answer, and kept in quarantine for people to look at.
 */
@Injectable()
export class IngestMessage {
  private readonly logger = new Logger('IngestMessage');

  constructor(
    private readonly tickets: TicketRepository,
    private readonly intake: IntakeRepository,
    private readonly workflows: TicketWorkflowClient,
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
    private readonly metrics: SeamlineMetrics,
  ) {}

  async execute(
    dto: CreateTicketDto,
    sender: SenderTrust = AUTHENTICATED_INTEGRATION,
    channel: IngestChannel = 'api',
  ): Promise<IngestResult> {
    try {
      const result = await this.take(dto, sender, channel);
      this.metrics.ingested(channel, !result.created ? 'duplicate' : result.threaded ? 'follow_up' : 'created');
      return result;
    } catch (error) {
      this.metrics.ingested(channel, 'refused');
      throw error;
    }
  }

  private async take(dto: CreateTicketDto, sender: SenderTrust, channel: IngestChannel): Promise<IngestResult> {
    const fromEmail = dto.from.email.toLowerCase();
    const seen = await this.storage(() => this.tickets.findByMessageId(dto.messageId));
    if (seen) return this.repeat(seen, dto, channel);

    const threadIds = [dto.inReplyTo, ...(dto.references ?? [])].filter((id): id is string => Boolean(id));
    const thread =
      dto.ticketId || threadIds.length
        ? await this.storage(() =>
            this.tickets.findThreadTicket({
              ticketId: dto.ticketId && isUuid(dto.ticketId) ? dto.ticketId : null,
              messageIds: threadIds,
            }),
          )
        : null;
    const sameCustomer = thread !== null && thread.customerEmail.toLowerCase() === fromEmail;
    const reopen = this.config.routing.closedTicketReplies === 'reopen';
    const joins = thread !== null && sameCustomer && (thread.status !== 'closed' || reopen);
    const result = await this.storage(() =>
      this.tickets.ingest(
        {
          messageId: dto.messageId,
          fromEmail,
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
          threadTicketId: joins ? thread.ticketId : null,
          parentTicketId: thread && !joins ? thread.ticketId : null,
          linkReason: thread && !sameCustomer ? 'thread_sender_mismatch' : 'closed_ticket_reply',
        },
      ),
    );
    if (!result.created) return this.repeat(result, dto, channel);
    return this.handOver(result, dto.messageId, reopen);
  }

  /** The message id was taken in before: the same message finishes what its first attempt left undone. */
  private async repeat(seen: IngestResult, dto: CreateTicketDto, channel: IngestChannel): Promise<IngestResult> {
    const stored = seen.stored;
    const same =
      stored !== undefined &&
      stored.fromEmail.toLowerCase() === dto.from.email.toLowerCase() &&
      stored.subject === dto.subject &&
      stored.text === dto.text;
    if (!same) {
      if (channel === 'api') await this.keepConflicting(dto);
      throw new DomainError(
        'MESSAGE_ID_CONFLICT',
        'this messageId was used before for another message; the message is kept for review, not added to any ticket',
      );
    }
    const { stored: _stored, ...answer } = seen;
    // Both calls are no-ops when the first attempt handed the message over.
    if (seen.status === 'received') await this.startWorkflow(seen.ticketId, dto.messageId);
    else if (seen.threaded && seen.status !== 'closed') await this.signalWorkflow(seen.ticketId, dto.messageId);
    return answer;
  }

  /** Starts the new ticket's workflow, or hands a follow-up to its ticket's (reopening or linking a closed one). */
  private async handOver(result: IngestResult, messageId: string, reopen: boolean): Promise<IngestResult> {
    const { stored: _stored, ...answer } = result;
    if (!result.threaded) {
      await this.startWorkflow(result.ticketId, messageId);
      return answer;
    }
    if (await this.signalWorkflow(result.ticketId, messageId)) return answer;
    if (reopen) {
      // The ticket's workflow finished: a new run of the same ticket triages the reply (closed tickets reopen).
      await this.workflows.restart(result.ticketId).catch(unavailable);
      await this.storage(() => this.tickets.markHandedOver(messageId));
      return answer;
    }
    // The ticket's workflow finished while this reply arrived: the reply opens a new ticket linked to it.
    const linkedId = randomUUID();
    await this.storage(() => this.tickets.moveToNewTicket(messageId, linkedId, result.ticketId));
    await this.startWorkflow(linkedId, messageId);
    return {
      ticketId: linkedId,
      workflowId: ticketWorkflowId(linkedId),
      created: true,
      threaded: false,
      status: 'received',
    };
  }

  /** A JSON message that conflicts with a stored one is kept as it came, in the intake quarantine. */
  private async keepConflicting(dto: CreateTicketDto): Promise<void> {
    const raw = Buffer.from(JSON.stringify(dto), 'utf8');
    await this.storage(async () => {
      const stored = await this.intake.storeRaw({
        sha256: createHash('sha256').update(raw).digest('hex'),
        channel: 'api',
        raw,
        envelopeFrom: null,
        envelopeTo: [],
        remoteAddress: null,
      });
      await this.intake.quarantine(stored.rawId, {
        reason: 'message_id_conflict',
        detail: 'a message with this messageId but another sender or content was taken in before; not merged',
        messageKey: dto.messageId.slice(0, 998),
        fromEmail: dto.from.email.toLowerCase(),
        subject: dto.subject,
      });
    });
  }

  private async startWorkflow(ticketId: string, messageId: string): Promise<void> {
    await this.workflows.start(ticketId).catch(unavailable);
    await this.storage(() => this.tickets.markHandedOver(messageId));
  }

  private async signalWorkflow(ticketId: string, messageId: string): Promise<boolean> {
    const signalled = await this.workflows.appendMessage(ticketId, messageId).catch(unavailable);
    if (signalled) await this.storage(() => this.tickets.markHandedOver(messageId));
    return signalled;
  }

  /** A PostgreSQL failure is temporary for the caller: 503, retry; nothing was acknowledged. */
  private async storage<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError || !isDatabaseUnavailable(error)) throw error;
      this.logger.warn(`storing a customer message failed: the database is unreachable`);
      throw new DomainError('STORAGE_UNAVAILABLE', 'the message could not be stored; retry the request');
    }
  }
}

function unavailable(error: unknown): never {
  throw new DomainError(
    'WORKFLOW_UNAVAILABLE',
    'the message is stored; handing it to its workflow failed, retry the request',
    { cause: error instanceof Error ? error.name : 'unknown' },
  );
}
