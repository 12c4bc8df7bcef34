/** Public triage API: offline classifier, drafter, self-check, confidence scoring and routing. */
export * from './triage.types';
export {
  classifyOffline,
  createOfflineClassifier,
  bundledModelFile,
  unavailableClassification,
  isClassifierUnavailable,
  HARD_RULE_INTENTS,
  HARD_RULE_CONFIDENCE,
  OFFLINE_MODEL_VERSION,
  OFFLINE_SOURCE,
  UNAVAILABLE_SOURCE,
} from './classify';
export type { ClassifierModelFile, ModelDecision, OfflineClassify } from './classify';
export { HARD_RULES } from './hard-rules';
export type { HardRule } from './hard-rules';
export { extractEntities, normalizeOrderNumber } from './entities';
export { stripMarkup } from './text';
export { draftOffline, OFFLINE_DRAFT_SOURCE } from './draft';
export { INTENT_LABEL, intentLabel } from './intent-labels';
export type { DraftInput } from './draft';
export { selfCheckDraft } from './self-check';
export type { SelfCheckFacts } from './self-check';
export { scoreConfidence, distinctRequests, ORDER_INTENTS, MULTI_INTENT_MIN_CONFIDENCE } from './score';
export type { ScoreInput } from './score';
export { routeTicket, intentMode, DEFAULT_ROUTING_POLICY } from './routing';
export type {
  IntentMode,
  RoutingPolicy,
  RouteInput,
  IntentThresholds,
  QueueAssignment,
  HardRuleCode,
  SoftReasonCode,
} from './routing';
export * as intentModel from './model';
