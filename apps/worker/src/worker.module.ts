import { Module } from '@nestjs/common';
import { ConfigModule } from '../../../libs/config';
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
  imports: [ConfigModule, PersistenceModule, TemporalModule],
  providers: [ticketActivitiesProvider, WorkerHealthService, TicketWorkerService, ReconciliationService],
})
export class WorkerModule {}
