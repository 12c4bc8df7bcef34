import type { TicketStatus } from '../../domain';
import type { TicketWorkflowClient } from './ticket-workflow.client';

/** What reconciliation reads from and writes to the read model. */
export interface ReconcileSource {
  /** Tickets whose workflow has work to do per the read model, last changed before `before`, after `afterId` in id order. */
  findOpenTicketIds(query: { before: Date; afterId: string | null; limit: number }): Promise<string[]>;
  /** Customer messages stored before `before` that never reached their workflow. */
  findMessagesNotHandedOver(query: {
    before: Date;
    limit: number;
  }): Promise<{ messageId: string; ticketId: string; ticketStatus: TicketStatus }[]>;
  markHandedOver(messageId: string): Promise<void>;
  /** A reply to a closed ticket opens a new ticket linked to it. */
  moveToNewTicket(messageId: string, newTicketId: string, parentTicketId: string): Promise<void>;
}

export interface ReconcileReport {
  checked: number;
  restarted: string[];
  /** Messages handed over again (their first start or signal had failed, and nobody retried). */
  handedOver: number;
}

/**
 * Makes the workflows agree with the read model again, safe to run any time on any number of workers at once:
 *
 * - a customer message stored but never handed to its workflow (the start or the signal failed and the sender did
 *   not retry) is handed over now — signalled to the running workflow, which drops a repeat by its id, or started;
 * - a ticket that is open in PostgreSQL but has no running workflow (the Temporal database was lost, a workflow
 *   was terminated by hand) starts again from the read model.
 */
export class TicketReconciler {
  constructor(
    private readonly tickets: ReconcileSource,
    private readonly workflows: TicketWorkflowClient,
    private readonly options: { closedTicketReplies: 'link' | 'reopen'; newTicketId: () => string },
  ) {}

  async reconcile(options: { quietSeconds: number; batchSize?: number; now?: Date }): Promise<ReconcileReport> {
    const before = new Date((options.now ?? new Date()).getTime() - options.quietSeconds * 1000);
    const batchSize = options.batchSize ?? 200;
    const report: ReconcileReport = { checked: 0, restarted: [], handedOver: 0 };
    for (const message of await this.tickets.findMessagesNotHandedOver({ before, limit: batchSize })) {
      await this.handOver(message);
      report.handedOver += 1;
    }
    let afterId: string | null = null;
    for (;;) {
      const ids = await this.tickets.findOpenTicketIds({ before, afterId, limit: batchSize });
      for (const ticketId of ids) {
        report.checked += 1;
        if (await this.workflows.isRunning(ticketId)) continue;
        await this.workflows.restart(ticketId);
        report.restarted.push(ticketId);
      }
      if (ids.length < batchSize) return report;
      afterId = ids[ids.length - 1] ?? null;
    }
  }

  private async handOver(message: { messageId: string; ticketId: string; ticketStatus: TicketStatus }): Promise<void> {
    const { messageId, ticketId, ticketStatus } = message;
    if (ticketStatus === 'received') {
      await this.workflows.start(ticketId);
    } else if (!(await this.workflows.appendMessage(ticketId, messageId))) {
      // The workflow finished: as a reply arriving now would, reopen the ticket or open a linked one.
      if (ticketStatus === 'closed' && this.options.closedTicketReplies === 'link') {
        const linkedId = this.options.newTicketId();
        await this.tickets.moveToNewTicket(messageId, linkedId, ticketId);
        await this.workflows.start(linkedId);
      } else {
        await this.workflows.restart(ticketId);
      }
    }
    await this.tickets.markHandedOver(messageId);
  }
}
