import { Context } from '@temporalio/activity';
import {
  PermanentNotificationError,
  type NotificationOutbox,
  type NotificationSender,
  type QueuedNotification,
} from '../../libs/domain';

export interface NotifierSettings {
  /** Attempts per notification before it is given up and recorded as failed on the ticket. */
  maxAttempts: number;
  /** A notification older than this is given up, however few attempts it had. */
  maxAgeMs: number;
  /** Back-off before the n-th retry: `min(baseDelayMs × 2^(n−1), maxDelayMs)`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Notifications leased and delivered at once. */
  batchSize: number;
  /** How long a leased row stays off-limits to other notifiers; longer than one delivery can take. */
  leaseMs: number;
  /** Pause between looks at an empty outbox. */
  pollMs: number;
}

export const DEFAULT_NOTIFIER_SETTINGS: NotifierSettings = {
  maxAttempts: 8,
  maxAgeMs: 60 * 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  batchSize: 32,
  leaseMs: 60_000,
  pollMs: 500,
};

export interface NotifierActivityDeps {
  outbox: NotificationOutbox;
  sender: NotificationSender;
  settings?: Partial<NotifierSettings>;
  now?: () => Date;
}

export interface NotifierReport {
  delivered: number;
  retried: number;
  failed: number;
}

/**
 * The SLA notifier: works the notification outbox that ladder levels write to. It runs as one long activity of
 * the notifier workflow, heartbeating, and delivers in batches with its own bounded retries, apart from any
 * ticket's workflow. A row is marked sent after the receiver accepted it; a crash between the two re-delivers
 * with the same idempotency key, which receivers use to drop the repeat.
 */
export function createNotifierActivities(deps: NotifierActivityDeps) {
  const settings = { ...DEFAULT_NOTIFIER_SETTINGS, ...deps.settings };
  const now = deps.now ?? (() => new Date());

  /** Delivers one notification; true when the receiver accepted it (the caller marks the batch sent at once). */
  async function deliverOne(n: QueuedNotification, report: NotifierReport): Promise<boolean> {
    try {
      await deps.sender.deliver(n);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const attempt = n.attempts + 1;
      const tooOld = now().getTime() - Date.parse(n.createdAt) >= settings.maxAgeMs;
      if (error instanceof PermanentNotificationError || attempt >= settings.maxAttempts || tooOld) {
        await deps.outbox.markFailed(n.key, message);
        report.failed += 1;
        return false;
      }
      const delay = Math.min(settings.baseDelayMs * 2 ** (attempt - 1), settings.maxDelayMs);
      await deps.outbox.markRetry(n.key, message, new Date(now().getTime() + delay));
      report.retried += 1;
      return false;
    }
  }

  return {
    /** Delivers what is due until `forMs` has passed (or the activity is cancelled), then reports. */
    async deliverSlaNotifications(input: { forMs: number }): Promise<NotifierReport> {
      const context = Context.current();
      const until = Date.now() + input.forMs;
      const report: NotifierReport = { delivered: 0, retried: 0, failed: 0 };
      while (Date.now() < until && !context.cancellationSignal.aborted) {
        context.heartbeat(report);
        const due = await deps.outbox.claimDue(settings.batchSize, settings.leaseMs);
        if (due.length === 0) {
          await context.sleep(settings.pollMs).catch(() => undefined);
          continue;
        }
        const accepted = await Promise.all(due.map((n) => deliverOne(n, report)));
        const sent = due.filter((_, i) => accepted[i]).map((n) => n.key);
        // A crash before this write re-delivers the batch after its lease, with the same idempotency keys.
        await deps.outbox.markSent(sent);
        report.delivered += sent.length;
      }
      return report;
    },
  };
}

export type NotifierActivities = ReturnType<typeof createNotifierActivities>;
