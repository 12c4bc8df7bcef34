import type { TicketWorkflowClient } from './ticket-workflow.client';

export interface OpenTicketSource {
  /** Tickets whose workflow has work to do per the read model, last changed before `before`, after `afterId` in id order. */
  findOpenTicketIds(query: { before: Date; afterId: string | null; limit: number }): Promise<string[]>;
}

export interface ReconcileReport {
  checked: number;
  restarted: string[];
}

/**
 * Finds tickets that are open in PostgreSQL but have no running workflow (the Temporal database was lost, a
 * workflow was terminated by hand) and starts them again from the read model. Safe to run any time, on any
 * number of workers at once: starting a ticket whose workflow runs is a no-op.
 */
export class TicketReconciler {
  constructor(
    private readonly tickets: OpenTicketSource,
    private readonly workflows: TicketWorkflowClient,
  ) {}

  async reconcile(options: { quietSeconds: number; batchSize?: number; now?: Date }): Promise<ReconcileReport> {
    const before = new Date((options.now ?? new Date()).getTime() - options.quietSeconds * 1000);
    const batchSize = options.batchSize ?? 200;
    const report: ReconcileReport = { checked: 0, restarted: [] };
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
}
