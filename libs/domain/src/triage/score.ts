/**
 * Confidence of the whole triage outcome, with named components and plain-language concerns.
 * score = classification × dataCompleteness^0.8 × draftSelfCheck × multiIssue × sentiment^0.5
 * (a product: any one weak part pulls the whole score down).
 */
import { isClassifierUnavailable } from './classify';
import { intentLabel } from './intent-labels';
import { normalizeOrderNumber } from './entities';
import type { Classification, Confidence, Draft, Intent, OrderSnapshot } from './triage.types';

/** Intents whose reply depends on a specific order. */
export const ORDER_INTENTS: readonly Intent[] = [
  'order_status',
  'shipping_delay',
  'refund_request',
  'return_request',
  'cancel_order',
  'change_order',
  'damaged_item',
  'wrong_item',
];

/** Secondary intents at or above this confidence count as a second request. */
export const MULTI_INTENT_MIN_CONFIDENCE = 0.4;

export interface ScoreInput {
  classification: Classification;
  order: OrderSnapshot | null;
  draft: Draft | null;
  requestedOrderNumber?: string | null;
}

function clamp01(x: unknown): number {
  const n = typeof x === 'number' && Number.isFinite(x) ? x : 0;
  return Math.max(0, Math.min(1, n));
}
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Distinct, non-"other" requests in a classification above the multi-intent bar (primary first). */
export function distinctRequests(c: Classification | null | undefined): Intent[] {
  const intents = Array.isArray(c?.intents) ? c.intents : [];
  const primary = c?.primaryIntent;
  const out: Intent[] = [];
  if (primary && primary !== 'other') out.push(primary);
  for (const i of intents) {
    if (!i || i.intent === 'other' || out.includes(i.intent)) continue;
    if (clamp01(i.confidence) >= MULTI_INTENT_MIN_CONFIDENCE) out.push(i.intent);
  }
  return out;
}

export function primaryConfidence(c: Classification | null | undefined): number {
  if (!c || !Array.isArray(c.intents)) return 0;
  const p = c.intents.find((i) => i && i.intent === c.primaryIntent);
  return clamp01(p?.confidence);
}

export function scoreConfidence(input: ScoreInput): Confidence {
  const concerns: string[] = [];
  const c = input?.classification;
  const order = input?.order ?? null;
  const draft = input?.draft ?? null;
  const requested = input?.requestedOrderNumber ?? c?.entities?.orderNumbers?.[0] ?? null;

  // classification
  let classification: number;
  if (!c || isClassifierUnavailable(c)) {
    classification = 0;
    concerns.push('the message could not be classified (classifier unavailable)');
  } else {
    classification = primaryConfidence(c);
    const label = intentLabel(c.primaryIntent);
    if (c.primaryIntent === 'other') {
      classification = Math.min(classification, 0.6);
      concerns.push('the message did not match any request type we handle automatically');
    } else if (classification < 0.6) {
      const ev = c.intents.find((i) => i.intent === c.primaryIntent)?.evidence?.[0];
      concerns.push(
        `unsure the customer is asking about ${label === 'message' ? 'this' : `a ${label}`} (confidence ${classification.toFixed(2)}${ev ? `, based on "${ev}"` : ''})`,
      );
    }
    if (c.language && c.language !== 'en') {
      classification *= 0.6;
      concerns.push(
        c.language === 'und'
          ? 'could not tell which language the message is in'
          : `the message is not in English (${c.language})`,
      );
    }
  }

  // data completeness
  let dataCompleteness = 1;
  const needsOrder = !!c && ORDER_INTENTS.includes(c.primaryIntent);
  if (needsOrder && !order) {
    dataCompleteness = 0.3;
    concerns.push(
      requested
        ? `no order found for ${requested}`
        : 'the message names no order number and no order was found for the customer',
    );
  } else if (order && requested && normalizeOrderNumber(requested) !== normalizeOrderNumber(order.orderNumber)) {
    dataCompleteness = 0.2;
    concerns.push(`the customer asked about ${requested} but the order found is ${order.orderNumber}`);
  } else if (order && c) {
    if (
      c.primaryIntent === 'order_status' &&
      (!Array.isArray(order.shipments) || order.shipments.length === 0) &&
      ['shipped', 'partially_shipped'].includes(order.status)
    ) {
      dataCompleteness = 0.6;
      concerns.push(`order ${order.orderNumber} is marked ${order.status} but has no shipment details`);
    }
    if (Array.isArray(order.shipments) && order.shipments.some((s) => s?.status === 'lost')) {
      dataCompleteness = Math.min(dataCompleteness, 0.5);
      concerns.push(`a shipment of order ${order.orderNumber} is reported lost`);
    }
    if (c.primaryIntent === 'cancel_order' && ['shipped', 'delivered', 'partially_shipped'].includes(order.status)) {
      dataCompleteness = Math.min(dataCompleteness, 0.6);
      concerns.push(
        `the customer wants to cancel but order ${order.orderNumber} ${order.status === 'delivered' ? 'is already delivered' : 'has already shipped'}`,
      );
    }
  }

  // draft self-check
  let draftSelfCheck: number;
  if (!draft) {
    draftSelfCheck = 0.5;
    concerns.push('no reply draft was produced');
  } else if (draft.selfCheck?.passed && (draft.selfCheck.findings ?? []).length === 0) {
    draftSelfCheck = 1;
  } else {
    const f = draft.selfCheck?.findings ?? [];
    // a wrong order, a forbidden promise or asking for a secret is worse than a detail an agent can delete
    const severe = new Set(['wrong_order', 'forbidden_promise', 'empty', 'credential_request']);
    draftSelfCheck = f.some((x) => severe.has(x.code)) ? 0.2 : 0.5;
    concerns.push(
      f.length
        ? `the draft failed its self-check: ${f
            .slice(0, 3)
            .map((x) => x.detail)
            .join('; ')}`
        : 'the draft failed its self-check',
    );
  }

  // multiple issues
  const requests = distinctRequests(c);
  let multiIssue = 1;
  if (requests.length === 2) {
    multiIssue = 0.5;
    concerns.push(
      `two different requests in one message (${intentLabel(requests[0])} and ${intentLabel(requests[1])})`,
    );
  } else if (requests.length > 2) {
    multiIssue = 0.3;
    concerns.push(`${requests.length} different requests in one message (${requests.map(intentLabel).join(', ')})`);
  }

  // sentiment
  let sentiment = 1;
  const s = c?.sentiment;
  if (s) {
    const score = typeof s.score === 'number' && Number.isFinite(s.score) ? s.score : 0;
    sentiment = 1 - Math.max(0, -score) * 0.5;
    if (s.frustration) {
      sentiment = Math.min(sentiment, 0.4);
      concerns.push(`the customer sounds frustrated${s.evidence?.[0] ? ` ("${s.evidence[0]}")` : ''}`);
    } else if (score <= -0.4) {
      concerns.push('the message is strongly negative');
    }
    if (s.urgency) concerns.push('the customer says it is urgent');
  }

  const score = clamp01(
    classification * Math.pow(dataCompleteness, 0.8) * draftSelfCheck * multiIssue * Math.pow(sentiment, 0.5),
  );
  return {
    score: r3(score),
    components: {
      classification: r3(clamp01(classification)),
      dataCompleteness: r3(dataCompleteness),
      draftSelfCheck: r3(draftSelfCheck),
      multiIssue: r3(multiIssue),
      sentiment: r3(clamp01(sentiment)),
    },
    concerns,
  };
}
