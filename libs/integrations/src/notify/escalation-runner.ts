import { createHash } from 'node:crypto';
import {
  PermanentNotificationError,
  type EscalationAction,
  type EscalationActionInput,
  type EscalationActionOutcome,
  type EscalationActionRunner,
  type Mailer,
  type NotificationSender,
  type QueuedNotification,
} from '../../../domain';

type ActionOf<T extends EscalationAction['type']> = Extract<EscalationAction, { type: T }>;
type Handler<T extends EscalationAction['type']> = (
  action: ActionOf<T>,
  input: EscalationActionInput,
) => Promise<EscalationActionOutcome>;

export interface SlaChannelDeps {
  /** Webhook names (as SLA config uses them) to URLs. */
  webhooks: Record<string, string>;
  mailer: Mailer;
  messageIdDomain: string;
  /** The supervisor who takes over tickets of a queue (members of the queue first, then any supervisor). */
  supervisorOnDuty: (queue: string | null) => Promise<{ id: string; email: string } | null>;
  /** Where a notice goes when its webhook name is not configured: it is logged, never lost silently. */
  log: (line: string) => void;
  /** Per request; below the notifier's lease, so a hanging receiver costs one timeout, not the batch. */
  timeoutMs?: number;
}

/**
 * Delivers the notifications SLA ladder levels queued in the outbox. Adding an action type that reaches outside
 * the workflow is one entry in the domain's ESCALATION_ACTIONS registry (with `runsActivity: true`) and one case
 * here (see docs/sla.md). Webhook and e-mail targets are names or addresses from SLA config; URLs and secrets
 * stay in this config. A 4xx other than 408 and 429 is permanent: retrying the same request cannot help.
 */
export class SlaNotificationSender implements NotificationSender {
  private readonly channels: SlaChannels;

  constructor(deps: SlaChannelDeps) {
    this.channels = new SlaChannels(deps);
  }

  async deliver(n: QueuedNotification): Promise<void> {
    const { action } = n.input;
    switch (action.type) {
      case 'notify':
        if (action.channel === 'webhook') await this.channels.postWebhook(action.target, n.input);
        else await this.channels.sendEmail(action.target, n.input);
        return;
      case 'reassign_to_supervisor':
        if (n.recipient) await this.channels.sendEmail(n.recipient, n.input);
        return;
      default:
        throw new PermanentNotificationError(`no delivery is defined for escalation action "${action.type}"`);
    }
  }
}

/**
 * Runs the SLA ladder actions that reach outside the workflow as activities, one at a time: how tickets whose
 * level fired before the notification outbox existed keep replaying. New levels go through the outbox.
 */
export class SlaEscalationRunner implements EscalationActionRunner {
  private readonly channels: SlaChannels;
  private readonly handlers: { [T in EscalationAction['type']]?: Handler<T> } = {
    notify: async (action, input) => {
      if (action.channel === 'webhook') await this.channels.postWebhook(action.target, input);
      else await this.channels.sendEmail(action.target, input);
      return { handled: true };
    },
    reassign_to_supervisor: async (_action, input) => {
      const supervisor = await this.deps.supervisorOnDuty(input.queue);
      if (!supervisor) {
        this.deps.log(`no supervisor found for queue ${input.queue ?? 'none'}: ${summaryLine(input)}`);
        return { handled: true, assignTo: null };
      }
      await this.channels.sendEmail(supervisor.email, input);
      return { handled: true, assignTo: supervisor.id };
    },
  };

  constructor(private readonly deps: SlaChannelDeps) {
    this.channels = new SlaChannels(deps);
  }

  async run(input: EscalationActionInput): Promise<EscalationActionOutcome> {
    const handler = this.handlers[input.action.type] as Handler<EscalationAction['type']> | undefined;
    return handler ? handler(input.action, input) : { handled: false };
  }
}

class SlaChannels {
  constructor(private readonly deps: SlaChannelDeps) {}

  async postWebhook(target: string, input: EscalationActionInput): Promise<void> {
    const url = this.deps.webhooks[target];
    if (!url) {
      this.deps.log(`SLA notice for webhook "${target}" (not configured): ${summaryLine(input)}`);
      return;
    }
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': input.key },
      body: JSON.stringify({ text: summaryLine(input), event: eventOf(input) }),
      signal: AbortSignal.timeout(this.deps.timeoutMs ?? 10_000),
    });
    if (res.ok) return;
    const problem = `webhook "${target}" answered ${res.status}`;
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
      throw new PermanentNotificationError(problem);
    }
    throw new Error(problem);
  }

  async sendEmail(to: string, input: EscalationActionInput): Promise<void> {
    const digest = createHash('sha256').update(input.key).digest('hex').slice(0, 32);
    await this.deps.mailer.send({
      messageId: `<sla-${digest}@${this.deps.messageIdDomain}>`,
      inReplyTo: null,
      to,
      subject: `[SLA] Ticket ${input.ticketId}: ${input.metric.replace(/_/g, ' ')} ${input.levelId}`,
      text: `${summaryLine(input)}\n\n${JSON.stringify(eventOf(input), null, 2)}\n`,
    });
  }
}

/** One line chat tools show: identifiers and SLA facts only, never customer text or addresses. */
function summaryLine(input: EscalationActionInput): string {
  return `Ticket ${input.ticketId}: SLA ${input.metric.replace(/_/g, ' ')} reached level ${input.levelId}; now ${input.priority ?? 'normal'} priority in queue ${input.queue ?? 'none'}.`;
}

function eventOf(input: EscalationActionInput) {
  return {
    ticketId: input.ticketId,
    metric: input.metric,
    level: input.levelId,
    queue: input.queue,
    priority: input.priority,
    firedAt: input.firedAt,
    key: input.key,
  };
}
