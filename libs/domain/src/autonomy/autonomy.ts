/**
 * Earned autonomy: how much each intent may send on its own, computed from what agents and customers did with its
 * drafts. An intent sends automatically from the lowest confidence at which the evidence proves it safe: over its
 * shadow and auto outcomes at or above that confidence, the one-sided upper confidence bound (Clopper–Pearson) on
 * the share that would have been wrong stays at or below the intent's target risk, with enough outcomes. New
 * outcomes that break the bound take the autonomy away again. Pure and deterministic.
 */
import { HARD_RULES } from '../triage/hard-rules';
import type { Intent } from '../triage/triage.types';
import { intentMode, type IntentMode, type RoutingPolicy } from '../triage/routing';

export interface AutonomySettings {
  /** The share of wrong automatic replies an intent may risk, unless an admin set its own. */
  targetRisk: number;
  /** Outcomes needed at or above a threshold before the bound may grant anything. */
  minOutcomes: number;
  /** One-sided confidence of the bound (0.95: wrong at most 1 time in 20). */
  confidence: number;
  /** Where an intent starts while its evidence is short of `minOutcomes`. */
  initialMode: 'shadow' | 'auto';
}

export const DEFAULT_AUTONOMY_SETTINGS: AutonomySettings = {
  targetRisk: 0.02,
  minOutcomes: 50,
  confidence: 0.95,
  initialMode: 'shadow',
};

/** What an admin decided for one intent: kept with people, or its own target risk. */
export interface IntentControl {
  intent: Intent;
  pinnedHuman: boolean;
  targetRisk: number | null;
}

/** One decided outcome of a ticket that only the confidence threshold kept from (or let into) automatic sending. */
export interface AutonomySample {
  intent: Intent;
  confidence: number;
  wrong: boolean;
}

export interface IntentAutonomy {
  intent: Intent;
  mode: IntentMode;
  /** The auto threshold in force (auto mode), or null. */
  threshold: number | null;
  targetRisk: number;
  pinnedHuman: boolean;
  /** Decided outcomes and wrong ones: at or above the threshold when one was earned, else all of them. */
  outcomes: number;
  wrong: number;
  /** The upper bound on the wrong share over those outcomes; null without any. */
  upperBound: number | null;
  /** Why the intent has this mode, in one sentence. */
  reason: string;
}

export interface AutonomyResult {
  intents: IntentAutonomy[];
  /** The routing policy with the earned modes and thresholds. */
  policy: RoutingPolicy;
}

/**
 * One-sided upper Clopper–Pearson bound on a binomial proportion: the largest p with P(X ≤ wrong | n, p) ≥ 1 − c.
 * Found by bisection on the exact binomial distribution, summed in log space so large n stays accurate.
 */
export function clopperPearsonUpper(wrong: number, n: number, confidence = 0.95): number {
  if (!Number.isInteger(n) || n <= 0) return 1;
  if (!Number.isInteger(wrong) || wrong < 0 || wrong > n) throw new RangeError('wrong must be an integer in [0, n]');
  if (wrong === n) return 1;
  const alpha = 1 - confidence;
  if (wrong === 0) return 1 - Math.pow(alpha, 1 / n);
  let lo = wrong / n;
  let hi = 1;
  for (let i = 0; i < 60 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (binomialCdf(wrong, n, mid) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}

function binomialCdf(k: number, n: number, p: number): number {
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  // log C(n, i) built up term by term: C(n, i) = C(n, i-1) * (n - i + 1) / i
  let logC = 0;
  let max = -Infinity;
  const terms: number[] = [];
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    const t = logC + i * logP + (n - i) * logQ;
    terms.push(t);
    if (t > max) max = t;
  }
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return Math.min(1, Math.exp(max) * sum);
}

const HARD_RULE_INTENTS = new Set<Intent>(HARD_RULES.map((r) => r.intent));

/**
 * Each allow-listed intent's mode and threshold from its outcomes. Hard-rule intents, intents outside the
 * allow-list and pinned intents stay with people. The threshold is the lowest observed confidence that the bound
 * proves safe, never below the intent's review threshold.
 */
export function computeAutonomy(
  base: RoutingPolicy,
  samples: Iterable<AutonomySample>,
  controls: readonly IntentControl[] = [],
  settings: AutonomySettings = DEFAULT_AUTONOMY_SETTINGS,
): AutonomyResult {
  const byIntent = new Map<Intent, AutonomySample[]>();
  for (const s of samples) {
    if (!Number.isFinite(s.confidence)) continue;
    const list = byIntent.get(s.intent) ?? [];
    list.push(s);
    byIntent.set(s.intent, list);
  }
  const control = new Map(controls.map((c) => [c.intent, c]));
  const intents: IntentAutonomy[] = [];
  const modes: Partial<Record<Intent, IntentMode>> = {};
  const thresholds = { ...base.thresholds };

  for (const intent of base.autoSendAllowlist) {
    const c = control.get(intent);
    const targetRisk = c?.targetRisk ?? settings.targetRisk;
    const pinnedHuman = c?.pinnedHuman ?? false;
    const list = byIntent.get(intent) ?? [];
    const wrongAll = list.filter((s) => s.wrong).length;
    const overall = {
      outcomes: list.length,
      wrong: wrongAll,
      upperBound: list.length ? clopperPearsonUpper(wrongAll, list.length, settings.confidence) : null,
    };
    const common = { intent, targetRisk, pinnedHuman };
    let entry: IntentAutonomy;
    if (HARD_RULE_INTENTS.has(intent) || pinnedHuman) {
      entry = {
        ...common,
        ...overall,
        mode: 'human',
        threshold: null,
        reason: pinnedHuman ? 'an admin keeps this intent with people' : 'a hard rule: always answered by people',
      };
    } else {
      const earned = lowestSafeThreshold(list, targetRisk, settings);
      const floor = base.thresholds[intent].review;
      if (earned) {
        const threshold = Math.max(earned.threshold, floor);
        entry = {
          ...common,
          mode: 'auto',
          threshold,
          outcomes: earned.outcomes,
          wrong: earned.wrong,
          upperBound: earned.upperBound,
          reason: `${earned.outcomes} outcomes at confidence ≥ ${threshold.toFixed(3)}, ${earned.wrong} wrong: upper bound ${pct(earned.upperBound)} ≤ target ${pct(targetRisk)}`,
        };
      } else if (list.length >= settings.minOutcomes) {
        entry = {
          ...common,
          ...overall,
          mode: 'shadow',
          threshold: null,
          reason: `no confidence level where at least ${settings.minOutcomes} outcomes keep the upper bound within the target ${pct(targetRisk)} (overall ${overall.wrong} wrong of ${overall.outcomes}, bound ${pct(overall.upperBound ?? 1)})`,
        };
      } else {
        const auto = settings.initialMode === 'auto';
        entry = {
          ...common,
          ...overall,
          mode: settings.initialMode,
          threshold: auto ? base.thresholds[intent].auto : null,
          reason: `collecting evidence: ${list.length} of ${settings.minOutcomes} outcomes; ${auto ? 'sends at the fixed threshold until then' : 'an agent reviews every draft until then'}`,
        };
      }
    }
    modes[intent] = entry.mode;
    if (entry.mode === 'auto' && entry.threshold !== null) {
      thresholds[intent] = { ...thresholds[intent], auto: entry.threshold };
    }
    intents.push(entry);
  }
  return { intents, policy: { ...base, modes, thresholds } };
}

interface Earned {
  threshold: number;
  outcomes: number;
  wrong: number;
  upperBound: number;
}

function lowestSafeThreshold(
  list: readonly AutonomySample[],
  targetRisk: number,
  settings: AutonomySettings,
): Earned | null {
  const sorted = [...list].sort((a, b) => b.confidence - a.confidence);
  let best: Earned | null = null;
  let wrong = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].wrong) wrong += 1;
    const n = i + 1;
    // a threshold sits between distinct confidences: ties are taken together
    if (i + 1 < sorted.length && sorted[i + 1].confidence === sorted[i].confidence) continue;
    if (n < settings.minOutcomes) continue;
    const upperBound = clopperPearsonUpper(wrong, n, settings.confidence);
    if (upperBound <= targetRisk) best = { threshold: sorted[i].confidence, outcomes: n, wrong, upperBound };
  }
  return best;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)} %`;
}

/** Whether a policy's modes and thresholds differ from another's (a recompute that changes nothing keeps the version). */
export function sameAutonomy(a: RoutingPolicy, b: RoutingPolicy): boolean {
  const key = (p: RoutingPolicy) =>
    JSON.stringify(p.autoSendAllowlist.map((i) => [i, p.modes?.[i] ?? 'auto', p.thresholds[i].auto]));
  return key(a) === key(b);
}

/** Where earned autonomy reads its evidence and admins' controls, and publishes the policies it computes. */
export interface AutonomyStore {
  evidence(maxEditDistance: number): Promise<AutonomySample[]>;
  controls(): Promise<IntentControl[]>;
  /** Stores a new policy version unless the newest has the same modes, thresholds and controls. */
  publish(next: {
    base: string;
    policy: RoutingPolicy;
    intents: IntentAutonomy[];
    reason: string;
    createdBy: string;
  }): Promise<{ version: number; name: string; changed: boolean }>;
}

/** The routing policy in force, as the router reads it before each decision. */
export interface RoutingPolicySource {
  current(): Promise<RoutingPolicy>;
}

export interface SimulationFigures {
  /** Share of the outcomes the policy sends on its own. */
  autoShare: number;
  /** Share of the outcomes it sends on its own that would have been wrong (over all outcomes). */
  unsafeShare: number;
  autoSent: number;
  unsafe: number;
}

export interface IntentSimulation {
  intent: Intent;
  outcomes: number;
  current: { mode: IntentMode; threshold: number | null; autoSent: number; unsafe: number };
  proposed: { mode: IntentMode; threshold: number | null; autoSent: number; unsafe: number };
}

export interface Simulation {
  outcomes: number;
  current: SimulationFigures;
  proposed: SimulationFigures;
  intents: IntentSimulation[];
  /** The proposed policy's reasons per intent (what the bound found). */
  proposedIntents: IntentAutonomy[];
}

/**
 * Replays recorded outcomes under the policy in force and under one computed with proposed settings and controls,
 * before anything is switched on: which outcomes each would have sent on its own, and how many of those were wrong.
 */
export function simulateAutonomy(
  base: RoutingPolicy,
  current: RoutingPolicy,
  samples: readonly AutonomySample[],
  controls: readonly IntentControl[],
  settings: AutonomySettings,
): Simulation {
  const proposed = computeAutonomy(base, samples, controls, settings);
  const sends = (policy: RoutingPolicy, s: AutonomySample) =>
    intentMode(policy, s.intent) === 'auto' && s.confidence >= policy.thresholds[s.intent].auto;
  const figures = (policy: RoutingPolicy, list: readonly AutonomySample[]) => {
    const sent = list.filter((s) => sends(policy, s));
    const unsafe = sent.filter((s) => s.wrong).length;
    return { autoSent: sent.length, unsafe };
  };
  const share = (f: { autoSent: number; unsafe: number }, n: number): SimulationFigures => ({
    ...f,
    autoShare: n ? round4(f.autoSent / n) : 0,
    unsafeShare: n ? round4(f.unsafe / n) : 0,
  });
  const modeOf = (policy: RoutingPolicy, intent: Intent) => {
    const mode = intentMode(policy, intent);
    return { mode, threshold: mode === 'auto' ? policy.thresholds[intent].auto : null };
  };
  const intents = base.autoSendAllowlist.map((intent): IntentSimulation => {
    const list = samples.filter((s) => s.intent === intent);
    return {
      intent,
      outcomes: list.length,
      current: { ...modeOf(current, intent), ...figures(current, list) },
      proposed: { ...modeOf(proposed.policy, intent), ...figures(proposed.policy, list) },
    };
  });
  return {
    outcomes: samples.length,
    current: share(figures(current, samples), samples.length),
    proposed: share(figures(proposed.policy, samples), samples.length),
    intents,
    proposedIntents: proposed.intents,
  };
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
