import { Module } from '@nestjs/common';
import { ConfigModule } from '../../../libs/config';
import { PersistenceModule } from '../../../libs/persistence';
import { TemporalModule } from '../../../libs/temporal';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { HealthController } from './health/health.controller';
import { InboundModule } from './inbound/inbound.module';
import { InboxModule } from './inbox/inbox.module';
import { TicketsController } from './tickets/tickets.controller';
import { TicketsService } from './tickets/tickets.service';

@Module({
  imports: [ConfigModule, PersistenceModule, TemporalModule, AuthModule, InboxModule, AdminModule, InboundModule],
  controllers: [TicketsController, HealthController],
  providers: [TicketsService],
})
export class AppModule {}
