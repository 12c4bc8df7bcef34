import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../libs/config';
import { TicketRepository } from '../../../libs/persistence';
import { RoutingPolicyWorkflow, TicketReconciler, TicketWorkflowClient } from '../../../libs/temporal';

/** Periodically restarts open tickets that have no running workflow (see TicketReconciler). */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciliation');
  private readonly reconciler: TicketReconciler;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
    tickets: TicketRepository,
    private readonly workflows: TicketWorkflowClient,
    private readonly routingPolicy: RoutingPolicyWorkflow,
  ) {
    this.reconciler = new TicketReconciler(tickets, workflows, {
      closedTicketReplies: config.routing.closedTicketReplies,
      newTicketId: () => randomUUID(),
    });
  }

  onApplicationBootstrap(): void {
    const { intervalSeconds } = this.config.reconcile;
    if (intervalSeconds <= 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.runOnce().finally(() => (this.running = undefined));
    }, intervalSeconds * 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async runOnce(): Promise<void> {
    try {
      await this.workflows.ensureSlaNotifier();
      if (this.config.routing.autonomy.mode === 'earned') await this.routingPolicy.ensureRunning();
      const report = await this.reconciler.reconcile({ quietSeconds: this.config.reconcile.quietSeconds });
      if (report.handedOver) {
        this.logger.warn(`handed ${report.handedOver} stored customer messages over to their workflows again`);
      }
      if (report.restarted.length) {
        this.logger.warn(
          `restarted ${report.restarted.length} of ${report.checked} open tickets without a running workflow: ${report.restarted.join(', ')}`,
        );
      }
    } catch (error) {
      this.logger.error(`reconciliation failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
