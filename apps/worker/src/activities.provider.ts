import type { Provider } from '@nestjs/common';
import { createTicketActivities, type TicketActivities } from '../../../activities';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../libs/config';
import { DEFAULT_ROUTING_POLICY } from '../../../libs/domain';
import { OfflineClassifier, OfflineDrafter, SmtpMailer } from '../../../libs/integrations';
import { OrderRepository, TicketRepository } from '../../../libs/persistence';

export const TICKET_ACTIVITIES = Symbol('TICKET_ACTIVITIES');

/** The one place where Nest's DI meets Temporal: activities are built from injected adapters. */
export const ticketActivitiesProvider: Provider = {
  provide: TICKET_ACTIVITIES,
  inject: [SEAMLINE_CONFIG, TicketRepository, OrderRepository],
  useFactory: (config: SeamlineConfig, tickets: TicketRepository, orders: OrderRepository): TicketActivities =>
    createTicketActivities({
      tickets,
      orders,
      classifier: new OfflineClassifier(),
      drafter: new OfflineDrafter(),
      mailer: new SmtpMailer(config.smtp),
      store: config.store,
      routingPolicy: DEFAULT_ROUTING_POLICY,
      autoSendEnabled: config.routing.autoSendEnabled,
      messageIdDomain: config.messageIdDomain,
    }),
};
