import { Module } from '@nestjs/common';
import { ConfigModule } from '../../../libs/config';
import { PersistenceModule } from '../../../libs/persistence';
import { ticketActivitiesProvider } from './activities.provider';
import { TicketWorkerService } from './ticket-worker.service';

/** The worker is an application context: no HTTP listener, only the Temporal Worker and its adapters. */
@Module({
  imports: [ConfigModule, PersistenceModule],
  providers: [ticketActivitiesProvider, TicketWorkerService],
})
export class WorkerModule {}
