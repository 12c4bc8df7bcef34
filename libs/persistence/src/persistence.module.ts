import { Global, Inject, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../config';
import { createDataSource } from './data-source';
import { DatabaseProbe } from './database-probe';
import { OperationsStats } from './operations-stats';
import { IdentityRepository } from './identity/identity.repository';
import { InboxRepository } from './inbox/inbox.repository';
import { IntakeRepository } from './intake/intake.repository';
import { OrderRepository } from './repositories/order.repository';
import { OutcomeRecorder, OutcomeRepository } from './repositories/outcome.repository';
import { RoutingPolicyRepository } from './repositories/routing-policy.repository';
import { SlaNotificationRepository } from './repositories/sla-notification.repository';
import { SupervisorRepository } from './repositories/supervisor.repository';
import { TicketRepository } from './repositories/ticket.repository';

export const DATA_SOURCE = Symbol('DATA_SOURCE');

/** Every repository, each built once over the one DataSource. */
const REPOSITORIES = [
  SupervisorRepository,
  IdentityRepository,
  InboxRepository,
  IntakeRepository,
  SlaNotificationRepository,
  DatabaseProbe,
  OperationsStats,
  OutcomeRepository,
  RoutingPolicyRepository,
] as const;

const repositoryProviders: Provider[] = [
  ...REPOSITORIES.map((Repository) => ({
    provide: Repository,
    inject: [DATA_SOURCE],
    useFactory: (db: DataSource) => new Repository(db),
  })),
  {
    provide: TicketRepository,
    inject: [DATA_SOURCE, SEAMLINE_CONFIG],
    // an unhappy message counts against the reply before it within the reopen window
    useFactory: (db: DataSource, config: SeamlineConfig) =>
      new TicketRepository(db, new OutcomeRecorder(config.routing.reopenWindowSeconds)),
  },
  {
    provide: OrderRepository,
    inject: [DATA_SOURCE, SEAMLINE_CONFIG],
    useFactory: (db: DataSource, config: SeamlineConfig) => new OrderRepository(db, config.orders.homeCountry),
  },
];

/** The only door to PostgreSQL. Repositories are plain classes over one DataSource; apps inject them from here. */
@Global()
@Module({
  providers: [
    {
      provide: DATA_SOURCE,
      inject: [SEAMLINE_CONFIG],
      useFactory: (config: SeamlineConfig): Promise<DataSource> =>
        createDataSource({ url: config.database.url, poolSize: config.database.poolSize }).initialize(),
    },
    ...repositoryProviders,
  ],
  exports: [DATA_SOURCE, OrderRepository, TicketRepository, ...REPOSITORIES],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.db.isInitialized) await this.db.destroy();
  }
}
