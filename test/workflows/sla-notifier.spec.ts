import { randomUUID } from 'node:crypto';
import type { TicketActivities } from '../../activities';
import { SLA_NOTIFIER_WORKFLOW_TYPE } from '../../workflows/sla-notifier/sla-notifier.workflow';
import { eventually } from '../support/eventually';
import { connectTemporal, withWorker, type TemporalTestContext } from '../support/temporal';

/**
 * The notifier workflow on the real dev server: a round that keeps failing (the database away, the worker gone)
 * is retried after a short back-off, so notifications move again within seconds once the outage is over, not a
 * minute later.
 */
describe('SLA notifier rounds', () => {
  let ctx: TemporalTestContext;
  beforeAll(async () => {
    ctx = await connectTemporal();
  });
  afterAll(() => ctx.close());

  it('retries a failing round within seconds however often it failed', async () => {
    const attempts: number[] = [];
    let finished = false;
    const deliverSlaNotifications = async () => {
      attempts.push(Date.now());
      if (attempts.length <= 5) throw new Error('the database is not reachable');
      while (!finished) await new Promise((resolve) => setTimeout(resolve, 100)); // a round that works: it runs on
      return { delivered: 0, retried: 0, failed: 0 };
    };
    const activities = { deliverSlaNotifications } as unknown as Partial<TicketActivities>;
    await withWorker(ctx, activities, async (taskQueue) => {
      const handle = await ctx.client.workflow.start(SLA_NOTIFIER_WORKFLOW_TYPE, {
        workflowId: `sla-notifier-test-${randomUUID()}`,
        taskQueue,
      });
      await eventually(() => expect(attempts.length).toBeGreaterThanOrEqual(6), 40_000, 100);
      // Back-offs 1, 2, 4, then at most 5 s: the sixth attempt 17 s after the first (a 1-minute cap: 31 s).
      expect(attempts[5]! - attempts[0]!).toBeLessThan(22_000);
      const gaps = attempts.slice(1, 6).map((at, i) => at - (attempts[i] as number));
      expect(Math.max(...gaps)).toBeLessThan(7_000);
      await handle.terminate('test finished');
      finished = true;
    });
  }, 60_000);
});
