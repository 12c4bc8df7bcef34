/**
 * Public SLA model: policies, business-hours calendars, metric clocks with pauses, escalation ladders and the
 * validation of SLA config. Pure: time is always a parameter; safe inside the Temporal workflow sandbox.
 */
export * from './sla.types';
export {
  addBusinessTime,
  businessSecondsBetween,
  businessSpansBetween,
  isBusinessTime,
  parseWallTime,
} from './business-calendar';
export type { BusinessSpan } from './business-calendar';
export {
  CALENDAR_TIME,
  clockDeadline,
  elapsedSeconds,
  isClockPaused,
  oldestUnansweredAt,
  pauseClock,
  resumeClock,
} from './metric-clock';
export type { MetricClock, PauseInterval, TimeBasis } from './metric-clock';
export { metricSlaFor, policyMatches, policyTimeBasis, resolveMetricSla, selectSlaPolicy } from './policy';
export type { MetricSla, SlaPolicySelection } from './policy';
export {
  earliestDueAt,
  levelDueAt,
  levelThresholdSeconds,
  nextLadderStep,
  orderedLevels,
  slaStateAt,
  worstSlaState,
} from './ladder';
export type { LadderState, LadderStep } from './ladder';
export {
  applyEscalationAction,
  defineEscalationAction,
  ESCALATION_ACTION_TYPES,
  ESCALATION_ACTIONS,
  escalationActionKey,
  escalationActionRunsActivity,
  isEscalationActionType,
  nextPriorityUp,
  validateEscalationAction,
} from './escalation-actions';
export type {
  EscalatedTicket,
  EscalationAction,
  EscalationActionSpec,
  EscalationActionType,
} from './escalation-actions';
export { parseSlaConfig, SlaConfigError, validateBusinessCalendar, validateSlaConfig } from './validate-config';
export type { Validation } from './validate-config';
export { DEFAULT_ESCALATION_LADDER, DEFAULT_SLA_CONFIG, US_EAST_BUSINESS_CALENDAR } from './default-config';
