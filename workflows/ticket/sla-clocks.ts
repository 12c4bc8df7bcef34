/**
 * The ticket's SLA metric clocks, inside the workflow. Pure bookkeeping over the SLA model of libs/domain:
 * which metrics run, since when, under which policy, which ladder levels already fired. It serialises to JSON
 * so it survives continue-as-new, and it never reads the clock itself: every method takes `now`.
 */
import {
  metricSlaFor,
  nextLadderStep,
  policyTimeBasis,
  selectSlaPolicy,
  slaStateAt,
  worstSlaState,
} from '../../libs/domain/workflow-rules';
import type {
  LadderLevel,
  LadderState,
  LadderStep,
  SlaConfig,
  SlaMetric,
  SlaState,
  SlaTicketFacts,
} from '../../libs/domain';

/** One metric clock as the workflow keeps it (dates as ISO strings, so it travels through continue-as-new). */
export interface MetricRecord {
  metric: SlaMetric;
  startedAt: string;
  pauses: { from: string; to: string | null }[];
  /** Resolved when the ticket's facts are known (after triage); until then the clock runs without a target. */
  policyId: string | null;
  policyVersion: number | null;
  targetSeconds: number | null;
  firedLevelIds: string[];
  breachRecorded: boolean;
  metAt: string | null;
}

export interface DueStep {
  record: MetricRecord;
  step: LadderStep;
}

export class SlaClocks {
  constructor(
    private readonly config: SlaConfig,
    readonly records: MetricRecord[] = [],
  ) {}

  /** Starts a clock unless one for the metric already runs. */
  start(metric: SlaMetric, at: Date, facts: SlaTicketFacts | null): void {
    if (this.running(metric)) return;
    const record: MetricRecord = {
      metric,
      startedAt: at.toISOString(),
      pauses: [],
      policyId: null,
      policyVersion: null,
      targetSeconds: null,
      firedLevelIds: [],
      breachRecorded: false,
      metAt: null,
    };
    this.records.push(record);
    if (facts) this.resolve(record, facts);
  }

  meet(metric: SlaMetric, at: Date): void {
    const record = this.running(metric);
    if (record) record.metAt = at.toISOString();
  }

  meetAll(at: Date): void {
    for (const record of this.records) if (record.metAt === null) record.metAt = at.toISOString();
  }

  /**
   * The ticket's facts changed by triage or by a person (queue, priority, tier, intent): running clocks take the
   * policy and target that now apply. Never called for the ladder's own priority raises, which would otherwise
   * shorten the target they escalate on.
   */
  retarget(facts: SlaTicketFacts): void {
    for (const record of this.records) if (record.metAt === null) this.resolve(record, facts);
  }

  pause(at: Date): void {
    for (const record of this.records) {
      if (record.metAt === null && !record.pauses.some((p) => p.to === null))
        record.pauses.push({ from: at.toISOString(), to: null });
    }
  }

  resume(at: Date): void {
    for (const record of this.records) {
      for (const pause of record.pauses) if (pause.to === null) pause.to = at.toISOString();
    }
  }

  isRunning(metric: SlaMetric): boolean {
    return this.running(metric) !== undefined;
  }

  /** What each clock with a target has due at `now` (breaches, ladder levels) and when it next needs a look. */
  steps(now: Date): DueStep[] {
    return this.withTargets().map(({ record, state }) => ({ record, step: nextLadderStep(state, now) }));
  }

  /** The state and deadline Temporal UI and the inbox show: the worst state over all clocks, the earliest open deadline. */
  summary(now: Date): { slaState: SlaState; slaDeadline: string | null } {
    const clocks = this.withTargets();
    if (clocks.length === 0) return { slaState: 'ok', slaDeadline: null };
    const deadlines = clocks
      .filter(({ record }) => record.metAt === null)
      .map(({ state }) => nextLadderStep(state, now).deadline?.getTime())
      .filter((t): t is number => t !== undefined);
    return {
      slaState: worstSlaState(clocks.map(({ state }) => slaStateAt(state, now))),
      slaDeadline: deadlines.length ? new Date(Math.min(...deadlines)).toISOString() : null,
    };
  }

  /**
   * When the customer's reply is due (the running first- or next-reply clock), in the zone of its SLA calendar:
   * what an acknowledgement promises. Null while no reply clock has a target (or its clock is paused).
   */
  replyDeadline(now: Date): { deadline: Date | null; timeZone: string } {
    for (const { record, state } of this.withTargets()) {
      if (record.metAt !== null || (record.metric !== 'first_reply' && record.metric !== 'next_reply')) continue;
      const time = state.sla.time;
      const timeZone = time.kind === 'business' ? time.calendar.timeZone : 'UTC';
      return { deadline: nextLadderStep(state, now).deadline, timeZone };
    }
    return { deadline: null, timeZone: 'UTC' };
  }

  /** The record of a ladder level of a clock, for the audit trail. */
  describe(record: MetricRecord): { metric: SlaMetric; policy: string; targetSeconds: number | null } {
    return {
      metric: record.metric,
      policy: `${record.policyId}@${record.policyVersion}`,
      targetSeconds: record.targetSeconds,
    };
  }

  private running(metric: SlaMetric): MetricRecord | undefined {
    return this.records.find((r) => r.metric === metric && r.metAt === null);
  }

  private resolve(record: MetricRecord, facts: SlaTicketFacts): void {
    const selection = selectSlaPolicy(this.config, facts);
    const sla = metricSlaFor(this.config, selection, record.metric, facts.priority);
    record.policyId = selection.policyId;
    record.policyVersion = selection.policyVersion;
    record.targetSeconds = sla ? sla.targetSeconds : null;
  }

  private withTargets(): { record: MetricRecord; state: LadderState }[] {
    const out: { record: MetricRecord; state: LadderState }[] = [];
    for (const record of this.records) {
      if (record.targetSeconds === null || record.policyId === null) continue;
      const policy = this.config.policies.find((p) => p.id === record.policyId);
      if (!policy) continue;
      const levels: readonly LadderLevel[] = policy.ladders[record.metric] ?? [];
      out.push({
        record,
        state: {
          sla: { targetSeconds: record.targetSeconds, time: policyTimeBasis(this.config, policy), levels },
          clock: {
            startedAt: new Date(record.startedAt),
            pauses: record.pauses.map((p) => ({ from: new Date(p.from), to: p.to === null ? null : new Date(p.to) })),
          },
          firedLevelIds: record.firedLevelIds,
          breachRecorded: record.breachRecorded,
          metAt: record.metAt === null ? null : new Date(record.metAt),
        },
      });
    }
    return out;
  }
}
