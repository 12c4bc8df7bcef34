import { Module } from '@nestjs/common';
import { ConfigModule } from '../../../libs/config';
import { ObservabilityModule } from '../../../libs/observability';
import { PersistenceModule } from '../../../libs/persistence';
import { TemporalModule } from '../../../libs/temporal';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { CodecModule } from './codec/codec.module';
import { ApiMetricsServer } from './health/api-metrics.server';
import { HealthController } from './health/health.controller';
import { InboundModule } from './inbound/inbound.module';
import { InboxModule } from './inbox/inbox.module';
import { TicketsModule } from './tickets/tickets.module';

@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forApp('api'),
    PersistenceModule,
    TemporalModule,
    AuthModule,
    TicketsModule,
    InboxModule,
    AdminModule,
    InboundModule,
    CodecModule,
  ],
  controllers: [HealthController],
  providers: [ApiMetricsServer],
})
export class AppModule {}
