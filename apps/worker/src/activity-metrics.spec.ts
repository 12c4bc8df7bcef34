import type { Context as ActivityContext } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { SeamlineMetrics } from '../../../libs/observability';
import { activityMetrics } from './activity-metrics';

/** The interceptor as the worker runs it, around a stand-in for the activity. */
async function run(metrics: SeamlineMetrics, activityType: string, args: unknown[], result: () => Promise<unknown>) {
  const ctx = { info: { activityType } } as unknown as ActivityContext;
  const inbound = activityMetrics(metrics)(ctx).inbound;
  return inbound?.execute?.({ args, headers: {} }, () => result());
}

describe('activity metrics', () => {
  it('counts SLA breaches and ladder levels from the audit rows a pass writes', async () => {
    const metrics = new SeamlineMetrics('worker');
    const pass = {
      audits: [
        { action: 'sla_breach', after: { metric: 'first_reply' } },
        { action: 'sla_escalation', after: { metric: 'first_reply', level: 'L1' } },
        { action: 'sla_escalation', after: { metric: 'first_reply', level: 'L2' } },
      ],
    };
    await run(metrics, 'recordSlaPass', [pass], async () => ({ assignTo: null }));
    const text = await metrics.text();
    expect(text).toContain('seamline_sla_breaches_total{metric="first_reply",app="worker"} 1');
    expect(text).toContain('seamline_sla_levels_fired_total{metric="first_reply",level="L2",app="worker"} 1');
  });

  it('counts routing decisions, and failed deliveries by permanence, rethrowing the failure', async () => {
    const metrics = new SeamlineMetrics('worker');
    await run(metrics, 'routeTicket', [{}], async () => ({
      route: 'escalate',
      queue: 'risk',
      reasons: [{ code: 'vip' }],
    }));
    await expect(
      run(metrics, 'sendReply', [{}], async () => {
        throw ApplicationFailure.nonRetryable('SMTP rejected the reply permanently (550)', 'PermanentDeliveryError');
      }),
    ).rejects.toThrow(/550/);
    const text = await metrics.text();
    expect(text).toContain('seamline_tickets_routed_total{route="escalate",queue="risk",app="worker"} 1');
    expect(text).toContain('seamline_escalations_total{reason="vip",app="worker"} 1');
    expect(text).toContain('seamline_delivery_failures_total{kind="reply",permanent="true",app="worker"} 1');
  });
});
