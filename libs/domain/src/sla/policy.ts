import type { Priority } from '../triage/triage.types';
import { CALENDAR_TIME, type TimeBasis } from './metric-clock';
import type { LadderLevel, PolicyConditions, SlaConfig, SlaMetric, SlaPolicy, SlaTicketFacts } from './sla.types';

/** The policy a ticket falls under; the ticket records `policyId` and `policyVersion`. */
export interface SlaPolicySelection {
  policyId: string;
  policyVersion: number;
  policy: SlaPolicy;
}

/** Everything needed to run one metric of one ticket: target, time basis and ladder, and where they came from. */
export interface MetricSla {
  metric: SlaMetric;
  policyId: string;
  policyVersion: number;
  /** The priority the target was chosen for (`normal` when the ticket has none yet). */
  priority: Priority;
  /** In the basis' unit: calendar seconds, or business seconds. */
  targetSeconds: number;
  time: TimeBasis;
  /** The ladder's levels as configured (in time order after validation). */
  levels: readonly LadderLevel[];
}

/** The first policy whose conditions all match; a validated config always has one (its last policy matches all). */
export function selectSlaPolicy(config: SlaConfig, ticket: SlaTicketFacts): SlaPolicySelection {
  const policy = config.policies.find((p) => policyMatches(p.when, ticket));
  if (!policy)
    throw new Error(
      `no SLA policy of config ${config.version} matches the ticket; the last policy must have no conditions`,
    );
  return { policyId: policy.id, policyVersion: policy.version, policy };
}

export function policyMatches(when: PolicyConditions, ticket: SlaTicketFacts): boolean {
  return (
    matchesAny(when.queue, ticket.queue) &&
    matchesAny(when.priority, ticket.priority) &&
    matchesAny(when.tier, ticket.tier) &&
    matchesAny(when.intent, ticket.intent) &&
    matchesAny(when.channel, ticket.channel)
  );
}

/** The time basis of a policy: calendar time, or business time on its calendar. */
export function policyTimeBasis(config: SlaConfig, policy: SlaPolicy): TimeBasis {
  if (policy.time === 'calendar') return CALENDAR_TIME;
  const calendar = config.calendars.find((c) => c.id === policy.calendar);
  if (!calendar) throw new Error(`SLA policy ${policy.id}@${policy.version} uses unknown calendar ${policy.calendar}`);
  return { kind: 'business', calendar };
}

/** The metric's SLA under `policy` for a ticket of `priority`; `null` when the policy does not measure the metric. */
export function metricSlaFor(
  config: SlaConfig,
  selection: SlaPolicySelection,
  metric: SlaMetric,
  priority: Priority | null,
): MetricSla | null {
  const targets = selection.policy.targets[metric];
  if (!targets) return null;
  const effectivePriority = priority ?? 'normal';
  return {
    metric,
    policyId: selection.policyId,
    policyVersion: selection.policyVersion,
    priority: effectivePriority,
    targetSeconds: targets[effectivePriority],
    time: policyTimeBasis(config, selection.policy),
    levels: selection.policy.ladders[metric] ?? [],
  };
}

/** Policy selection and metric lookup in one call: what the workflow asks when a clock starts or the ticket changes. */
export function resolveMetricSla(config: SlaConfig, ticket: SlaTicketFacts, metric: SlaMetric): MetricSla | null {
  return metricSlaFor(config, selectSlaPolicy(config, ticket), metric, ticket.priority);
}

function matchesAny<T>(allowed: readonly T[] | undefined, value: T | null): boolean {
  return allowed === undefined || (value !== null && allowed.includes(value));
}
