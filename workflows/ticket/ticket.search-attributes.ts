/** Search attributes ops filter tickets by in Temporal UI. Never personal data: no names, emails or message text. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

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
