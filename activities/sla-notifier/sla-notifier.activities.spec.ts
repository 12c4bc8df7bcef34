import { activityEnvironment } from '../../test/support/activity-env';
import { PermanentNotificationError, type NotificationOutbox, type QueuedNotification } from '../../libs/domain';
import { createNotifierActivities, type NotifierSettings } from './sla-notifier.activities';

interface Row extends QueuedNotification {
  status: 'pending' | 'sent' | 'failed';
  nextAttemptAt: number;
  error: string | null;
}

/** An outbox that behaves like the table: leases, due times, attempts. */
function memoryOutbox(clock: () => number) {
  const rows = new Map<string, Row>();
  const outbox: NotificationOutbox = {
    claimDue: async (limit) =>
      [...rows.values()]
        .filter((r) => r.status === 'pending' && r.nextAttemptAt <= clock())
        .slice(0, limit)
        .map((r) => {
          r.nextAttemptAt = Number.POSITIVE_INFINITY; // leased
          return { ...r };
        }),
    markSent: async (keys) => keys.forEach((key) => Object.assign(rows.get(key) as Row, { status: 'sent' })),
    markRetry: async (key, error, at) => {
      const row = rows.get(key) as Row;
      Object.assign(row, { attempts: row.attempts + 1, error, nextAttemptAt: at.getTime() });
    },
    markFailed: async (key, error) => {
      const row = rows.get(key) as Row;
      Object.assign(row, { status: 'failed', attempts: row.attempts + 1, error });
    },
  };
  const add = (key: string, createdAt = clock()) =>
    rows.set(key, {
      key,
      ticketId: 't-1',
      input: {
        key,
        ticketId: 't-1',
        metric: 'first_reply',
        levelId: 'breach',
        action: { type: 'notify', channel: 'webhook', target: 'sla-alerts' },
        queue: 'escalations',
        priority: 'high',
        firedAt: new Date(createdAt).toISOString(),
      },
      recipient: null,
      attempts: 0,
      createdAt: new Date(createdAt).toISOString(),
      status: 'pending',
      nextAttemptAt: createdAt,
      error: null,
    });
  return { outbox, rows, add };
}

const FAST: Partial<NotifierSettings> = { baseDelayMs: 1, maxDelayMs: 5, pollMs: 5, maxAttempts: 4 };

describe('the SLA notifier', () => {
  it('delivers each notification once and heartbeats while it works', async () => {
    const { outbox, rows, add } = memoryOutbox(Date.now);
    add('a');
    add('b');
    const delivered: string[] = [];
    const { deliverSlaNotifications } = createNotifierActivities({
      outbox,
      sender: { deliver: async (n) => void delivered.push(n.key) },
      settings: FAST,
    });
    const env = activityEnvironment();
    let heartbeats = 0;
    env.on('heartbeat', () => (heartbeats += 1));
    const report = await env.run(deliverSlaNotifications, { forMs: 100 });
    expect(report).toEqual({ delivered: 2, retried: 0, failed: 0 });
    expect(delivered.sort()).toEqual(['a', 'b']);
    expect([...rows.values()].map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(heartbeats).toBeGreaterThan(1);
  });

  it('retries a failing receiver with back-off, then gives up after the bounded attempts', async () => {
    const { outbox, rows, add } = memoryOutbox(Date.now);
    add('down');
    let calls = 0;
    const { deliverSlaNotifications } = createNotifierActivities({
      outbox,
      sender: {
        deliver: async () => {
          calls += 1;
          throw new Error('webhook "sla-alerts" answered 503');
        },
      },
      settings: FAST,
    });
    const report = await activityEnvironment().run(deliverSlaNotifications, { forMs: 300 });
    expect(calls).toBe(4);
    expect(report).toEqual({ delivered: 0, retried: 3, failed: 1 });
    expect(rows.get('down')).toMatchObject({
      status: 'failed',
      attempts: 4,
      error: 'webhook "sla-alerts" answered 503',
    });
  });

  it('recovers: a receiver that comes back gets the notification, once', async () => {
    const { outbox, rows, add } = memoryOutbox(Date.now);
    add('flaky');
    let calls = 0;
    const { deliverSlaNotifications } = createNotifierActivities({
      outbox,
      sender: {
        deliver: async () => {
          calls += 1;
          if (calls < 3) throw new Error('connection refused');
        },
      },
      settings: FAST,
    });
    const report = await activityEnvironment().run(deliverSlaNotifications, { forMs: 1_000 });
    expect(report).toEqual({ delivered: 1, retried: 2, failed: 0 });
    expect(rows.get('flaky')?.status).toBe('sent');
    expect(calls).toBe(3);
  });

  it('treats a refusal as permanent, and a notification past its age as given up', async () => {
    let now = Date.now();
    const { outbox, rows, add } = memoryOutbox(() => now);
    add('refused');
    add('stale', now - 2 * 3_600_000);
    const { deliverSlaNotifications } = createNotifierActivities({
      outbox,
      sender: {
        deliver: async (n) => {
          if (n.key === 'refused') throw new PermanentNotificationError('webhook "sla-alerts" answered 404');
          throw new Error('timeout');
        },
      },
      settings: { ...FAST, maxAgeMs: 3_600_000 },
      now: () => new Date(now),
    });
    now += 1;
    const report = await activityEnvironment().run(deliverSlaNotifications, { forMs: 50 });
    expect(report).toEqual({ delivered: 0, retried: 0, failed: 2 });
    expect(rows.get('refused')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(rows.get('stale')).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('stops when the activity is cancelled (a worker shutting down)', async () => {
    const { outbox } = memoryOutbox(Date.now);
    const { deliverSlaNotifications } = createNotifierActivities({
      outbox,
      sender: { deliver: async () => undefined },
      settings: FAST,
    });
    const env = activityEnvironment();
    const running = env.run(deliverSlaNotifications, { forMs: 60_000 });
    setTimeout(() => env.cancel(), 30);
    const started = Date.now();
    await running.catch(() => undefined);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
