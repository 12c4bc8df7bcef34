import type { Context as ActivityContext } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { RoutingDecision, SlaPassRecord } from '../../../libs/domain';
import type { SeamlineMetrics } from '../../../libs/observability';

/**
 * Business metrics read off the activities as they complete, so the activities themselves stay plain functions
 * over ports: routing decisions (route, queue, escalation reasons), SLA breaches and ladder levels fired (from the
 * audit rows an SLA pass writes), failed deliveries. Counted on success of the attempt that did the work; a retried
 * write that changed nothing may count twice, which a rate on a dashboard absorbs.
 */
export function activityMetrics(metrics: SeamlineMetrics): ActivityInterceptorsFactory {
  return (ctx: ActivityContext) => ({
    inbound: {
      async execute(input, next) {
        const type = ctx.info.activityType;
        try {
          const result = await next(input);
          observe(metrics, type, input.args, result);
          return result;
        } catch (error) {
          if (type === 'sendReply' || type === 'sendAcknowledgement') {
            const permanent = (error as { nonRetryable?: boolean }).nonRetryable === true;
            metrics.deliveryFailed(type === 'sendReply' ? 'reply' : 'acknowledgement', permanent);
          }
          throw error;
        }
      },
    },
  });
}

function observe(metrics: SeamlineMetrics, type: string, args: unknown[], result: unknown): void {
  if (type === 'routeTicket') {
    const decision = result as RoutingDecision | undefined;
    if (decision?.route) metrics.routed(decision);
    return;
  }
  if (type === 'recordSlaPass' || type === 'recordDecision') {
    const audits = type === 'recordSlaPass' ? ((args[0] as SlaPassRecord | undefined)?.audits ?? []) : [args[0]];
    for (const audit of audits as Array<{ action?: string; after?: Record<string, unknown> | null } | undefined>) {
      const metric = typeof audit?.after?.metric === 'string' ? audit.after.metric : null;
      if (!metric) continue;
      if (audit?.action === 'sla_breach') metrics.slaBreached(metric);
      if (audit?.action === 'sla_escalation' && typeof audit.after?.level === 'string') {
        metrics.slaLevelFired(metric, audit.after.level);
      }
    }
  }
}
