import type { EscalationEvent, EscalationNotifier } from '../../../domain';

/**
 * Posts escalations to a chat webhook. The body has a `text` line that Slack, Mattermost, Rocket.Chat and
 * Teams-compatible incoming webhooks display, plus the structured event for other consumers.
 */
export class WebhookNotifier implements EscalationNotifier {
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async notify(event: EscalationEvent): Promise<void> {
    const text = `Ticket ${event.ticketId} escalated (${event.reason.replace(/_/g, ' ')}, ${event.metric.replace(/_/g, ' ')}): now ${event.priority} in queue ${event.queue}.`;
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `${event.ticketId}:${event.reason}:${event.breachedAt}`,
      },
      body: JSON.stringify({ text, event }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`escalation webhook answered ${res.status}`);
  }
}

/** Without a webhook, escalations are still visible in the inbox, the audit trail and Temporal UI; this logs them. */
export class LogNotifier implements EscalationNotifier {
  constructor(private readonly log: (line: string) => void) {}

  async notify(event: EscalationEvent): Promise<void> {
    this.log(
      `escalation: ticket ${event.ticketId} ${event.reason} (${event.metric}) → ${event.queue}/${event.priority}`,
    );
  }
}
