import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../../../libs/domain';
import { TicketRepository, type TicketView } from '../../../../libs/persistence';
import { TicketWorkflowClient } from '../../../../libs/temporal';
import { ticketWorkflowId } from '../../../../workflows/ticket/ticket.messages';
import type { CreateTicketDto } from './tickets.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class TicketsService {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly workflows: TicketWorkflowClient,
  ) {}

  /**
   * Stores the message durably, then starts the ticket's workflow. A repeated `messageId` returns the first
   * answer; if the first attempt stored the message but could not start the workflow, the repeat starts it.
   */
  async ingest(dto: CreateTicketDto): Promise<{ ticketId: string; workflowId: string; created: boolean }> {
    const ticketId = randomUUID();
    const result = await this.tickets.ingestNew({
      ticketId,
      workflowId: ticketWorkflowId(ticketId),
      messageId: dto.messageId,
      fromEmail: dto.from.email.toLowerCase(),
      fromName: dto.from.name ?? null,
      subject: dto.subject,
      text: dto.text,
      orderNumber: dto.orderNumber ?? null,
      receivedAt: new Date(),
    });
    if (result.created || result.status === 'received') {
      await this.workflows.start(result.ticketId).catch((error: unknown) => {
        throw new DomainError('WORKFLOW_UNAVAILABLE', 'the message is stored; starting its workflow failed, retry the request', {
          cause: error instanceof Error ? error.name : 'unknown',
        });
      });
    }
    return { ticketId: result.ticketId, workflowId: result.workflowId, created: result.created };
  }

  async get(ticketId: string): Promise<TicketView> {
    const view = UUID.test(ticketId) ? await this.tickets.findView(ticketId) : null;
    if (!view) throw new DomainError('TICKET_NOT_FOUND', `no ticket ${ticketId}`);
    return view;
  }

  async approve(ticketId: string, draftVersion: number, actor: string, idempotencyKey?: string) {
    await this.get(ticketId);
    return this.workflows.approve(ticketId, { draftVersion, actor }, idempotencyKey);
  }
}
