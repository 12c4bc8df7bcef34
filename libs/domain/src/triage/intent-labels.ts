/**
 * The plain words for each intent, as drafts, briefings and the web inbox say them. Nothing but data and the
 * Intent type, so the inbox's browser bundle can carry it (through the named entry libs/domain/intent-labels).
 */
import type { Intent } from './triage.types';

export const INTENT_LABEL: Readonly<Record<Intent, string>> = {
  order_status: 'order status',
  shipping_delay: 'delivery delay',
  refund_request: 'refund',
  return_request: 'return',
  cancel_order: 'cancellation',
  change_order: 'order change',
  damaged_item: 'damaged item',
  wrong_item: 'wrong or missing item',
  payment_issue: 'payment',
  account: 'account',
  product_question: 'product question',
  complaint: 'complaint',
  fraud_claim: 'unrecognised order or charge',
  legal_threat: 'legal concern',
  chargeback_threat: 'payment dispute',
  accessibility_complaint: 'accessibility',
  human_request: 'request to speak with our team',
  customs_issue: 'customs question',
  other: 'message',
};

/** Plain-language label of an intent, used in drafts and confidence concerns. */
export function intentLabel(intent: Intent | string): string {
  return (INTENT_LABEL as Record<string, string>)[intent] ?? 'request';
}
