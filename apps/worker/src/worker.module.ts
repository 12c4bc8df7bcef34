import { Module } from '@nestjs/common';
import { ConfigModule } from '../../../libs/config';
import { PersistenceModule } from '../../../libs/persistence';
import { TemporalModule } from '../../../libs/temporal';
import { ticketActivitiesProvider } from './activities.provider';
import { ReconciliationService } from './reconciliation.service';
import { TicketWorkerService } from './ticket-worker.service';

/** The worker is an application context: no HTTP listener, only the Temporal Worker and its adapters. */
@Module({
  imports: [ConfigModule, PersistenceModule, TemporalModule],
  providers: [ticketActivitiesProvider, TicketWorkerService, ReconciliationService],
})
export class WorkerModule {}
