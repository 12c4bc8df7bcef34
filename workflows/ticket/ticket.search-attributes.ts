/** Search attributes ops filter tickets by in Temporal UI. Never personal data: no names, emails or message text. */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import type { TriageOutcome } from '../../libs/domain';
import type { TicketState } from './ticket.messages';

export const TicketSearchAttributes = {
  status: defineSearchAttributeKey('TicketStatus', SearchAttributeType.KEYWORD),
  route: defineSearchAttributeKey('Route', SearchAttributeType.KEYWORD),
  queue: defineSearchAttributeKey('Queue', SearchAttributeType.KEYWORD),
  intent: defineSearchAttributeKey('Intent', SearchAttributeType.KEYWORD),
  priority: defineSearchAttributeKey('Priority', SearchAttributeType.KEYWORD),
  slaState: defineSearchAttributeKey('SlaState', SearchAttributeType.KEYWORD),
  slaDeadline: defineSearchAttributeKey('SlaDeadline', SearchAttributeType.DATETIME),
  confidence: defineSearchAttributeKey('Confidence', SearchAttributeType.DOUBLE),
  escalated: defineSearchAttributeKey('Escalated', SearchAttributeType.BOOL),
} as const;

/** What a ticket in `state` shows in Temporal UI; a null value means the attribute is unset. */
export function ticketSearchAttributes(state: TicketState, outcome: TriageOutcome | null): SearchAttributeUpdatePair[] {
  const SA = TicketSearchAttributes;
  const { status, route, queue, priority, escalated, slaState, slaDeadline } = state;
  return [
    { key: SA.status, value: status },
    { key: SA.route, value: route },
    { key: SA.queue, value: queue },
    { key: SA.priority, value: priority },
    { key: SA.intent, value: outcome?.classification.primaryIntent ?? null },
    { key: SA.confidence, value: outcome?.confidence.score ?? null },
    { key: SA.escalated, value: escalated },
    { key: SA.slaState, value: slaState },
    { key: SA.slaDeadline, value: slaDeadline ? new Date(slaDeadline) : null },
  ];
}
