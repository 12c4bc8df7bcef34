import { Module } from '@nestjs/common';
import { ConfigModule } from '../../../libs/config';
import { PersistenceModule } from '../../../libs/persistence';
import { TemporalModule } from '../../../libs/temporal';
import { HealthController } from './health/health.controller';
import { TicketsController } from './tickets/tickets.controller';
import { TicketsService } from './tickets/tickets.service';

@Module({
  imports: [ConfigModule, PersistenceModule, TemporalModule],
  controllers: [TicketsController, HealthController],
  providers: [TicketsService],
})
export class AppModule {}
