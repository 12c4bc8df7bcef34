import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Seamline's Prometheus metrics: one registry per process, the same definitions in the API and the worker (each
 * process moves the series it owns; the others stay at zero). Labels carry bounded values only: route templates,
 * status codes, routes, queues, reason codes, SLA metric names and level ids, never a ticket id, an address or text.
 */
export const METRIC_PREFIX = 'seamline_';

/** The label values a metric may take: a known shape, and at most `max` distinct values; anything else is `other`. */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max = 64,
    private readonly shape = /^[a-z0-9_.:/{}-]{1,80}$/i,
  ) {}

  of(value: string | null | undefined): string {
    if (value === null || value === undefined || value === '') return 'none';
    if (!this.shape.test(value)) return 'other';
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(value);
    return value;
  }
}

export interface BacklogSource {
  backlog(): Promise<{
    outboxPending: number;
    notificationsPending: number;
    notificationsFailed: number;
    quarantineOpen: number;
  }>;
}

export class SeamlineMetrics {
  readonly registry = new Registry();
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly ticketsIngested: Counter<'channel' | 'outcome'>;
  readonly ticketsRouted: Counter<'route' | 'queue'>;
  readonly escalations: Counter<'reason'>;
  readonly slaBreaches: Counter<'metric'>;
  readonly slaLevelsFired: Counter<'metric' | 'level'>;
  readonly agentDecisionDuration: Histogram<'action' | 'outcome'>;
  readonly agentDecisionWait: Histogram<'action'>;
  readonly deliveryFailures: Counter<'kind' | 'permanent'>;
  readonly outboxBacklog: Gauge<'kind'>;
  readonly quarantineOpen: Gauge;
  private backlogSource: BacklogSource | null = null;
  private readonly labels = {
    route: new BoundedLabel(200),
    reason: new BoundedLabel(100),
    metric: new BoundedLabel(32),
    level: new BoundedLabel(64),
    action: new BoundedLabel(32),
    channel: new BoundedLabel(16),
  };

  constructor(readonly app: 'api' | 'worker') {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.httpRequestDuration = new Histogram({
      name: `${METRIC_PREFIX}http_request_duration_seconds`,
      help: 'HTTP requests by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.ticketsIngested = new Counter({
      name: `${METRIC_PREFIX}tickets_ingested_total`,
      help: 'Customer messages taken in, by channel and by what became of them (new ticket, follow-up, duplicate).',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.ticketsRouted = new Counter({
      name: `${METRIC_PREFIX}tickets_routed_total`,
      help: 'Triage routing decisions by route (auto, review, escalate) and queue.',
      labelNames: ['route', 'queue'],
      registers,
    });
    this.escalations = new Counter({
      name: `${METRIC_PREFIX}escalations_total`,
      help: 'Escalated routing decisions by reason code (one decision counts once per reason).',
      labelNames: ['reason'],
      registers,
    });
    this.slaBreaches = new Counter({
      name: `${METRIC_PREFIX}sla_breaches_total`,
      help: 'SLA breaches recorded, by SLA metric.',
      labelNames: ['metric'],
      registers,
    });
    this.slaLevelsFired = new Counter({
      name: `${METRIC_PREFIX}sla_levels_fired_total`,
      help: 'Escalation ladder levels fired, by SLA metric and level id.',
      labelNames: ['metric', 'level'],
      registers,
    });
    this.agentDecisionDuration = new Histogram({
      name: `${METRIC_PREFIX}agent_decision_duration_seconds`,
      help: "An agent decision's round trip through its workflow Update, by action and outcome (accepted, rejected).",
      labelNames: ['action', 'outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.agentDecisionWait = new Histogram({
      name: `${METRIC_PREFIX}agent_decision_wait_seconds`,
      help: 'Time from a ticket reaching people (routed or last customer message) to an accepted agent decision.',
      labelNames: ['action'],
      buckets: [10, 30, 60, 300, 900, 1800, 3600, 4 * 3600, 8 * 3600, 24 * 3600, 72 * 3600],
      registers,
    });
    this.deliveryFailures = new Counter({
      name: `${METRIC_PREFIX}delivery_failures_total`,
      help: 'Failed SMTP delivery attempts of replies and acknowledgements; permanent: refused for good (5xx).',
      labelNames: ['kind', 'permanent'],
      registers,
    });
    const source = () => this.backlogSource;
    let pending: Promise<Awaited<ReturnType<BacklogSource['backlog']>> | null> | null = null;
    // One query per scrape for both gauges, whichever is collected first.
    const backlog = () => {
      const from = source();
      if (!from) return Promise.resolve(null);
      pending ??= from
        .backlog()
        .catch(() => null)
        .finally(() => setImmediate(() => (pending = null)));
      return pending;
    };
    this.outboxBacklog = new Gauge({
      name: `${METRIC_PREFIX}outbox_backlog`,
      help: 'Messages waiting in the outboxes: replies not yet delivered, SLA notifications pending or failed.',
      labelNames: ['kind'],
      registers,
      async collect() {
        const counts = await backlog();
        if (!counts) return;
        this.set({ kind: 'reply' }, counts.outboxPending);
        this.set({ kind: 'sla_notification' }, counts.notificationsPending);
        this.set({ kind: 'sla_notification_failed' }, counts.notificationsFailed);
      },
    });
    this.quarantineOpen = new Gauge({
      name: `${METRIC_PREFIX}inbound_quarantine_open`,
      help: 'Inbound messages held in quarantine, neither released nor discarded.',
      registers,
      async collect() {
        const counts = await backlog();
        if (counts) this.set(counts.quarantineOpen);
      },
    });
  }

  /** The database counts behind the backlog gauges (one process per deployment should report them: the worker). */
  reportBacklogFrom(source: BacklogSource): void {
    this.backlogSource = source;
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpRequestDuration.observe(
      { method: method.toUpperCase(), route: this.labels.route.of(route), status: String(status) },
      seconds,
    );
  }

  ingested(channel: string, outcome: 'created' | 'follow_up' | 'duplicate' | 'refused'): void {
    this.ticketsIngested.inc({ channel: this.labels.channel.of(channel), outcome });
  }

  routed(decision: { route: string; queue: string; reasons: ReadonlyArray<{ code: string }> }): void {
    this.ticketsRouted.inc({
      route: this.labels.route.of(decision.route),
      queue: this.labels.route.of(decision.queue),
    });
    if (decision.route !== 'escalate') return;
    for (const code of new Set(decision.reasons.map((r) => r.code))) {
      this.escalations.inc({ reason: this.labels.reason.of(code) });
    }
  }

  slaBreached(metric: string): void {
    this.slaBreaches.inc({ metric: this.labels.metric.of(metric) });
  }

  slaLevelFired(metric: string, level: string): void {
    this.slaLevelsFired.inc({ metric: this.labels.metric.of(metric), level: this.labels.level.of(level) });
  }

  decision(action: string, outcome: 'accepted' | 'rejected' | 'failed', seconds: number): void {
    this.agentDecisionDuration.observe({ action: this.labels.action.of(action), outcome }, seconds);
  }

  decisionWait(action: string, seconds: number): void {
    if (seconds >= 0) this.agentDecisionWait.observe({ action: this.labels.action.of(action) }, seconds);
  }

  deliveryFailed(kind: 'reply' | 'acknowledgement', permanent: boolean): void {
    this.deliveryFailures.inc({ kind, permanent: String(permanent) });
  }

  /** The Prometheus text exposition of this process's metrics. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Every metric name Seamline defines, with the series names Prometheus derives from histograms. */
export function seamlineSeriesNames(): string[] {
  const metrics = new SeamlineMetrics('api');
  return metrics.registry.getMetricsAsArray().flatMap((m) => {
    const type = (m as unknown as { type?: string }).type;
    return type === 'histogram' ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name];
  });
}
