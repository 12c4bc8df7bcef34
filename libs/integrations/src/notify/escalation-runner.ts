import { createHash } from 'node:crypto';
import type {
  EscalationAction,
  EscalationActionInput,
  EscalationActionOutcome,
  EscalationActionRunner,
  Mailer,
} from '../../../domain';

type ActionOf<T extends EscalationAction['type']> = Extract<EscalationAction, { type: T }>;
type Handler<T extends EscalationAction['type']> = (
  action: ActionOf<T>,
  input: EscalationActionInput,
) => Promise<EscalationActionOutcome>;

/**
 * Runs the SLA ladder actions that reach outside the workflow. Adding such an action type is one entry in the
 * domain's ESCALATION_ACTIONS registry (with `runsActivity: true`) and one handler here (see docs/sla.md).
 * Webhook and e-mail targets are names or addresses from SLA config; URLs and secrets stay in this config.
 */
export class SlaEscalationRunner implements EscalationActionRunner {
  private readonly handlers: { [T in EscalationAction['type']]?: Handler<T> } = {
    notify: async (action, input) => {
      if (action.channel === 'webhook') await this.postWebhook(action.target, input);
      else await this.sendEmail(action.target, input);
      return { handled: true };
    },
    reassign_to_supervisor: async (_action, input) => {
      const supervisor = await this.deps.supervisorOnDuty(input.queue);
      if (!supervisor) {
        this.deps.log(`no supervisor found for queue ${input.queue ?? 'none'}: ${summaryLine(input)}`);
        return { handled: true, assignTo: null };
      }
      await this.sendEmail(supervisor.email, input);
      return { handled: true, assignTo: supervisor.id };
    },
  };

  constructor(
    private readonly deps: {
      /** Webhook names (as SLA config uses them) to URLs. */
      webhooks: Record<string, string>;
      mailer: Mailer;
      messageIdDomain: string;
      /** The supervisor who takes over tickets of a queue (members of the queue first, then any supervisor). */
      supervisorOnDuty: (queue: string | null) => Promise<{ id: string; email: string } | null>;
      /** Where a notice goes when its webhook name is not configured: it is logged, never lost silently. */
      log: (line: string) => void;
      timeoutMs?: number;
    },
  ) {}

  async run(input: EscalationActionInput): Promise<EscalationActionOutcome> {
    const handler = this.handlers[input.action.type] as Handler<EscalationAction['type']> | undefined;
    return handler ? handler(input.action, input) : { handled: false };
  }

  private async postWebhook(target: string, input: EscalationActionInput): Promise<void> {
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
    if (!res.ok) throw new Error(`webhook "${target}" answered ${res.status}`);
  }

  private async sendEmail(to: string, input: EscalationActionInput): Promise<void> {
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
