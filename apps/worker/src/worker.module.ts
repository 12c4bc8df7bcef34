import { Module } from '@nestjs/common';
import { ConfigModule } from '../../../libs/config';
import { ObservabilityModule } from '../../../libs/observability';
import { PersistenceModule } from '../../../libs/persistence';
import { TemporalModule } from '../../../libs/temporal';
import { ticketActivitiesProvider } from './activities.provider';
import { ReconciliationService } from './reconciliation.service';
import { TicketWorkerService } from './ticket-worker.service';
import { WorkerHealthService } from './worker-health.service';

/**
 * The worker is an application context: no application HTTP listener, only the Temporal Worker and its adapters
 * (and, when WORKER_HEALTH_PORT is set, the probes' listener).
 */
@Module({
  imports: [ConfigModule, ObservabilityModule.forApp('worker'), PersistenceModule, TemporalModule],
  providers: [ticketActivitiesProvider, WorkerHealthService, TicketWorkerService, ReconciliationService],
})
export class WorkerModule {}
