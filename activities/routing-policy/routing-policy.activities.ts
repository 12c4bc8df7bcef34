import {
  computeAutonomy,
  DEFAULT_AUTONOMY_SETTINGS,
  DEFAULT_MAX_EDIT_DISTANCE,
  type AutonomySettings,
  type AutonomyStore,
  type IntentMode,
  type RoutingPolicy,
} from '../../libs/domain';

export interface RoutingPolicyActivityDeps {
  store: AutonomyStore;
  /** The fixed policy earned autonomy starts from: allow-list, review thresholds, hard rules, queues. */
  base: RoutingPolicy;
  settings?: AutonomySettings;
  maxEditDistance?: number;
}

export interface PolicyRecomputed {
  version: number;
  name: string;
  /** False when the evidence changed nothing: the version in force stays. */
  changed: boolean;
  /** Each allow-listed intent's mode and threshold (no outcomes, no personal data). */
  intents: { intent: string; mode: IntentMode; threshold: number | null; outcomes: number; wrong: number }[];
}

export function createRoutingPolicyActivities(deps: RoutingPolicyActivityDeps) {
  const settings = deps.settings ?? DEFAULT_AUTONOMY_SETTINGS;
  return {
    /** Recomputes every intent's mode and threshold from the recorded outcomes and publishes it if it changed. */
    async recomputeRoutingPolicy(input: { reason: string; actor: string }): Promise<PolicyRecomputed> {
      const [samples, controls] = await Promise.all([
        deps.store.evidence(deps.maxEditDistance ?? DEFAULT_MAX_EDIT_DISTANCE),
        deps.store.controls(),
      ]);
      const result = computeAutonomy(deps.base, samples, controls, settings);
      const stored = await deps.store.publish({
        base: deps.base.version,
        policy: result.policy,
        intents: result.intents,
        reason: input.reason,
        createdBy: input.actor,
      });
      return {
        ...stored,
        intents: result.intents.map(({ intent, mode, threshold, outcomes, wrong }) => ({
          intent,
          mode,
          threshold,
          outcomes,
          wrong,
        })),
      };
    },
  };
}

export type RoutingPolicyActivities = ReturnType<typeof createRoutingPolicyActivities>;
