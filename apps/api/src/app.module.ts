import { Module } from '@nestjs/common';
import { ConfigModule } from '../../../libs/config';
import { PersistenceModule } from '../../../libs/persistence';
import { TemporalModule } from '../../../libs/temporal';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { HealthController } from './health/health.controller';
import { InboundModule } from './inbound/inbound.module';
import { InboxModule } from './inbox/inbox.module';
import { TicketsModule } from './tickets/tickets.module';

@Module({
  imports: [
    ConfigModule,
    PersistenceModule,
    TemporalModule,
    AuthModule,
    TicketsModule,
    InboxModule,
    AdminModule,
    InboundModule,
  ],
  controllers: [HealthController],
})
export class AppModule {}
