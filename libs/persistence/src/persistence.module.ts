import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../config';
import { createDataSource } from './data-source';
import { OrderRepository } from './repositories/order.repository';
import { SlaNotificationRepository } from './repositories/sla-notification.repository';
import { SupervisorRepository } from './repositories/supervisor.repository';
import { TicketRepository } from './repositories/ticket.repository';

export const DATA_SOURCE = Symbol('DATA_SOURCE');

/** The only door to PostgreSQL. Repositories are plain classes over one DataSource. */
@Global()
@Module({
  providers: [
    {
      provide: DATA_SOURCE,
      inject: [SEAMLINE_CONFIG],
      useFactory: (config: SeamlineConfig): Promise<DataSource> =>
        createDataSource({ url: config.database.url, poolSize: config.database.poolSize }).initialize(),
    },
    { provide: TicketRepository, inject: [DATA_SOURCE], useFactory: (db: DataSource) => new TicketRepository(db) },
    { provide: OrderRepository, inject: [DATA_SOURCE], useFactory: (db: DataSource) => new OrderRepository(db) },
    {
      provide: SupervisorRepository,
      inject: [DATA_SOURCE],
      useFactory: (db: DataSource) => new SupervisorRepository(db),
    },
    {
      provide: SlaNotificationRepository,
      inject: [DATA_SOURCE],
      useFactory: (db: DataSource) => new SlaNotificationRepository(db),
    },
  ],
  exports: [DATA_SOURCE, TicketRepository, OrderRepository, SupervisorRepository, SlaNotificationRepository],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.db.isInitialized) await this.db.destroy();
  }
}
