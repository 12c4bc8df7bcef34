/** Vocabulary of triage: what the classifier finds, what the drafter writes, how confident we are, where a ticket goes. */

export const INTENTS = [
  'order_status',
  'shipping_delay',
  'refund_request',
  'return_request',
  'cancel_order',
  'change_order',
  'damaged_item',
  'wrong_item',
  'payment_issue',
  'account',
  'product_question',
  'complaint',
  'fraud_claim',
  'legal_threat',
  'chargeback_threat',
  'accessibility_complaint',
  'human_request',
  'customs_issue',
  'other',
] as const;
export type Intent = (typeof INTENTS)[number];

export interface IntentScore {
  intent: Intent;
  /** Probability-like confidence in 0..1 that this intent is present. */
  confidence: number;
  /** Words or phrases from the message that support the intent (for explainability). */
  evidence: string[];
}

export interface Entities {
  orderNumbers: string[];
  amounts: { value: number; currency: string | null; text: string }[];
  trackingNumbers: string[];
  emails: string[];
}

export interface Sentiment {
  /** −1 (very negative) .. 1 (very positive). */
  score: number;
  frustration: boolean;
  urgency: boolean;
  /** Phrases that triggered frustration or urgency. */
  evidence: string[];
}

/**
 * Extra signals a classifier may raise (added for the offline classifier; optional for other adapters).
 * - `health_safety`: asks whether a product is safe/has side effects (never auto-answered)
 * - `prompt_injection`: text tries to instruct the system ("ignore your instructions", "approve a full refund")
 * - `hidden_text_removed`: markup hid text (HTML comments, display:none, zero-width characters) that was not scored
 * - `customer_claims_vip`: the customer says they are VIP/premium; never trusted, only noted
 * - `truncated`: the message was longer than the scored prefix
 * - `review_advised`: the trained model expects people to handle messages like this one (they ask for something to
 *   be done or report a problem, rather than ask what a template can answer); only ever adds caution
 */
export type ClassificationFlag =
  | 'health_safety'
  | 'prompt_injection'
  | 'hidden_text_removed'
  | 'customer_claims_vip'
  | 'truncated'
  | 'review_advised'
  /** A language model and the offline classifier named different primary intents for the same text. */
  | 'intents_disagree';

export interface Classification {
  /** Intents present, most confident first; never empty (`other` when nothing fits). */
  intents: IntentScore[];
  primaryIntent: Intent;
  sentiment: Sentiment;
  /** ISO 639-1 code, or 'und' when undetermined. */
  language: string;
  entities: Entities;
  /** Which adapter produced this (`offline`, `openai:<model>`, or `unavailable` when no classifier could run). */
  source: string;
  /** Optional extra signals (see ClassificationFlag). */
  flags?: ClassificationFlag[];
}

export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
}

/**
 * Where customs has a parcel that crosses a border: `held` (for inspection or papers), `duties_unpaid` (waiting for
 * the recipient to pay import duties or taxes), `returned` (refused or sent back by customs), `cleared` (released).
 */
export const CUSTOMS_STATUSES = ['held', 'duties_unpaid', 'returned', 'cleared'] as const;
export type CustomsStatus = (typeof CUSTOMS_STATUSES)[number];

export interface ShipmentCustoms {
  status: CustomsStatus;
  /** The carrier's or customs' own words (e.g. "Import VAT of 38.20 EUR due"), if the order system has them. */
  detail: string | null;
  /** When customs reached this status (ISO), if known. */
  since: string | null;
}

export interface Shipment {
  carrier: string;
  trackingNumber: string;
  status: 'pending' | 'in_transit' | 'delivered' | 'lost' | 'returned';
  items: string[];
  estimatedDelivery: string | null;
  /** Customs state of an international parcel; absent when the order system reports none. */
  customs?: ShipmentCustoms | null;
}

/** The facts about an order the drafter and router may rely on. Nothing else may be stated to a customer. */
export interface OrderSnapshot {
  orderNumber: string;
  status: 'pending' | 'paid' | 'shipped' | 'partially_shipped' | 'delivered' | 'cancelled' | 'refunded';
  placedAt: string;
  total: number;
  currency: string;
  lines: OrderLine[];
  shipments: Shipment[];
  shippingCountry: string;
  international: boolean;
  customer: CustomerSnapshot;
}

export interface CustomerSnapshot {
  customerId: string;
  name: string;
  email: string;
  vip: boolean;
  /** Earlier support contacts about this order within the look-back window. */
  recentContacts: number;
}

export interface StorePolicy {
  storeName: string;
  /**
   * The store's own words on looking after an account (signing in, a new password, changing details): with it,
   * account questions get a real answer; without it, they are passed on to people.
   */
  accountHelp?: string;
  returnWindowDays: number;
  refundProcessingDays: number;
  domesticShippingDays: string;
  internationalShippingDays: string;
  supportSignature: string;
}

export interface SelfCheckFinding {
  /**
   * `contact_detail`: a phone number the store's own text (signature, name) does not contain;
   * `credential_request`: asks the customer for a card number, password, PIN or one-time code.
   */
  code:
    | 'wrong_order'
    | 'unsupported_fact'
    | 'forbidden_promise'
    | 'markup_or_link'
    | 'empty'
    | 'contact_detail'
    | 'credential_request';
  detail: string;
}

export interface Draft {
  version: number;
  subject: string;
  body: string;
  /** Which adapter produced this (`offline`, `openai:<model>`). */
  source: string;
  selfCheck: { passed: boolean; findings: SelfCheckFinding[] };
  /**
   * False when the draft does not answer but passes the question on ("our team will reply"): sent on its own it
   * would close a ticket nobody answered, so it never goes out automatically. Absent: the drafter does not say.
   */
  answers?: boolean;
}

export interface ConfidenceComponents {
  classification: number;
  dataCompleteness: number;
  draftSelfCheck: number;
  multiIssue: number;
  sentiment: number;
}

export interface Confidence {
  /** 0..1 */
  score: number;
  components: ConfidenceComponents;
  /** What lowered the score, in plain words. */
  concerns: string[];
}

export type Route = 'auto' | 'review' | 'escalate';
export const QUEUES = ['risk', 'priority', 'accessibility', 'standard', 'escalations'] as const;
export type Queue = (typeof QUEUES)[number];
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

export interface RouteReason {
  /** Stable code, e.g. `fraud_claim`, `vip_customer`, `low_confidence_classification`. */
  code: string;
  detail: string;
  evidence: string[];
}

export interface RoutingDecision {
  route: Route;
  queue: Queue;
  priority: Priority;
  reasons: RouteReason[];
  /** One plain-language sentence an agent reads first. */
  explanation: string;
  policyVersion: string;
  /**
   * The intent's mode when it was routed, and whether only the confidence threshold (or the switch) stood between
   * this ticket and an automatic reply: such tickets are the evidence an intent earns its autonomy from.
   */
  autonomy?: { mode: 'human' | 'shadow' | 'auto'; candidate: boolean };
}
