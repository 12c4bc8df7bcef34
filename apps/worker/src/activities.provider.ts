import { Logger, type Provider } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import {
  createNotifierActivities,
  createTicketActivities,
  type NotifierActivities,
  type TicketActivities,
} from '../../../activities';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../libs/config';
import { DEFAULT_ROUTING_POLICY, type Classifier, type Drafter, type OrderLookup } from '../../../libs/domain';
import {
  createOpenAiClient,
  OfflineClassifier,
  OfflineDrafter,
  OpenAiClassifier,
  OpenAiDrafter,
  ShopifyOrderLookup,
  SlaEscalationRunner,
  SlaNotificationSender,
  SmtpMailer,
} from '../../../libs/integrations';
import {
  OrderRepository,
  SlaNotificationRepository,
  SupervisorRepository,
  TicketRepository,
} from '../../../libs/persistence';

export const TICKET_ACTIVITIES = Symbol('TICKET_ACTIVITIES');

export type WorkerActivities = TicketActivities & NotifierActivities;

/** The one place where Nest's DI meets Temporal: activities are built from injected adapters. */
export const ticketActivitiesProvider: Provider = {
  provide: TICKET_ACTIVITIES,
  inject: [SEAMLINE_CONFIG, TicketRepository, OrderRepository, SupervisorRepository, SlaNotificationRepository],
  useFactory: (
    config: SeamlineConfig,
    tickets: TicketRepository,
    orders: OrderRepository,
    supervisors: SupervisorRepository,
    notifications: SlaNotificationRepository,
  ): WorkerActivities => {
    const mailer = new SmtpMailer(config.smtp);
    const channels = {
      webhooks: config.sla.webhooks,
      mailer,
      messageIdDomain: config.messageIdDomain,
      supervisorOnDuty: (queue: string | null) => supervisors.onDutyFor(queue),
      log: (line: string) => new Logger('Escalations').warn(line),
      timeoutMs: config.sla.notify.timeoutMs,
    };
    const { maxAttempts, maxAgeSeconds, retryBaseMs } = config.sla.notify;
    const notifier = createNotifierActivities({
      outbox: notifications,
      sender: new SlaNotificationSender(channels),
      settings: { maxAttempts, maxAgeMs: maxAgeSeconds * 1000, baseDelayMs: retryBaseMs },
    });
    return {
      ...notifier,
      ...createTicketActivities({
        tickets,
        orders: orderSource(config, orders),
        contacts: tickets,
        ...languageModel(config),
        mailer,
        escalations: new SlaEscalationRunner(channels),
        store: config.store,
        acknowledgementTemplates: config.routing.acknowledgementTemplates,
        routingPolicy: DEFAULT_ROUTING_POLICY,
        autoSendEnabled: config.routing.autoSendEnabled,
        messageIdDomain: config.messageIdDomain,
      }),
    };
  },
};

/** Offline by default; an OpenAI-compatible endpoint when configured, heartbeating the activity while it waits. */
function languageModel(config: SeamlineConfig): { classifier: Classifier; drafter: Drafter } {
  const llm = config.llm;
  if (llm.provider !== 'openai') return { classifier: new OfflineClassifier(), drafter: new OfflineDrafter() };
  const options = { client: createOpenAiClient(llm), heartbeat: () => Context.current().heartbeat() };
  return { classifier: new OpenAiClassifier(llm, options), drafter: new OpenAiDrafter(llm, options) };
}

/** The built-in order tables by default; a Shopify shop's Admin API with ORDER_SOURCE=shopify. */
function orderSource(config: SeamlineConfig, builtin: OrderRepository): OrderLookup {
  const orders = config.orders;
  return orders.source === 'shopify' ? new ShopifyOrderLookup(orders) : builtin;
}
