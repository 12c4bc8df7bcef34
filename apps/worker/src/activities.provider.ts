import { Logger, type Provider } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import {
  createNotifierActivities,
  createRoutingPolicyActivities,
  createTicketActivities,
  type NotifierActivities,
  type RoutingPolicyActivities,
  type TicketActivities,
} from '../../../activities';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../libs/config';
import {
  computeAutonomy,
  DEFAULT_AUTONOMY_SETTINGS,
  DEFAULT_ROUTING_POLICY,
  type AutonomySettings,
  type Classifier,
  type Drafter,
  type OrderLookup,
} from '../../../libs/domain';
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
  OutcomeRepository,
  PostgresAutonomyStore,
  RoutingPolicyRepository,
  StoredRoutingPolicySource,
  SlaNotificationRepository,
  SupervisorRepository,
  TicketRepository,
} from '../../../libs/persistence';

export const TICKET_ACTIVITIES = Symbol('TICKET_ACTIVITIES');

export type WorkerActivities = TicketActivities & NotifierActivities & RoutingPolicyActivities;

/** The one place where Nest's DI meets Temporal: activities are built from injected adapters. */
export const ticketActivitiesProvider: Provider = {
  provide: TICKET_ACTIVITIES,
  inject: [
    SEAMLINE_CONFIG,
    TicketRepository,
    OrderRepository,
    SupervisorRepository,
    SlaNotificationRepository,
    OutcomeRepository,
    RoutingPolicyRepository,
  ],
  useFactory: (
    config: SeamlineConfig,
    tickets: TicketRepository,
    orders: OrderRepository,
    supervisors: SupervisorRepository,
    notifications: SlaNotificationRepository,
    outcomes: OutcomeRepository,
    policies: RoutingPolicyRepository,
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
    const autonomy = config.routing.autonomy;
    const settings: AutonomySettings = {
      ...DEFAULT_AUTONOMY_SETTINGS,
      targetRisk: autonomy.targetRisk,
      minOutcomes: autonomy.minOutcomes,
    };
    // before the first recompute stored a policy, every allow-listed intent is in shadow: nothing is proven yet
    const initial = computeAutonomy(DEFAULT_ROUTING_POLICY, [], [], settings).policy;
    return {
      ...notifier,
      ...createRoutingPolicyActivities({
        store: new PostgresAutonomyStore(outcomes, policies),
        base: DEFAULT_ROUTING_POLICY,
        settings,
        maxEditDistance: autonomy.maxEditDistance,
      }),
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
        ...(autonomy.mode === 'earned' ? { policies: new StoredRoutingPolicySource(policies, initial) } : {}),
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
