/**
 * Routing: a pure, versioned policy and one function that applies it.
 * Order of evaluation: hard rules (always escalate, whatever the score) -> auto-send eligibility -> review
 * threshold -> escalate with the concerns that made the score low.
 */
import { HARD_RULE_INTENTS, isClassifierUnavailable } from './classify';
import { intentLabel } from './intent-labels';
import { ORDER_INTENTS, distinctRequests, primaryConfidence } from './score';
import type {
  Classification,
  Confidence,
  CustomsStatus,
  Draft,
  Intent,
  OrderSnapshot,
  Priority,
  Queue,
  RouteReason,
  RoutingDecision,
} from './triage.types';
import { INTENTS } from './triage.types';

export type HardRuleCode =
  | 'fraud_claim'
  | 'legal_threat'
  | 'accessibility_complaint'
  | 'chargeback_threat'
  | 'human_request'
  | 'customs_issue'
  | 'repeated_contact'
  | 'frustration'
  | 'vip_customer'
  | 'high_value_order'
  | 'complex_order'
  | 'classifier_unavailable';

export type SoftReasonCode =
  | 'auto_send_eligible'
  | 'shadow_mode'
  | 'classifiers_disagree'
  | 'intent_held_by_people'
  | 'draft_passes_on'
  | 'auto_send_disabled'
  | 'intent_not_allowlisted'
  | 'below_auto_threshold'
  | 'draft_self_check_failed'
  | 'no_draft'
  | 'order_not_found'
  | 'multiple_requests'
  | 'not_english'
  | 'negative_sentiment'
  | 'health_safety_question'
  | 'suspicious_instructions'
  | 'hidden_text'
  | 'unverified_claim'
  | 'review_advised'
  | 'low_confidence';

export interface QueueAssignment {
  queue: Queue;
  priority: Priority;
}

export interface IntentThresholds {
  /** Minimum confidence.score for auto-send (only for allowlisted intents). */
  auto: number;
  /** Minimum confidence.score for agent review; below it the ticket escalates. */
  review: number;
}

/**
 * How much an intent may do on its own: `human` never sends, `shadow` drafts what it would send and an agent still
 * reviews it (the review counts as evidence), `auto` sends at or above the intent's auto threshold.
 */
export type IntentMode = 'human' | 'shadow' | 'auto';

export interface RoutingPolicy {
  version: string;
  thresholds: Record<Intent, IntentThresholds>;
  /** Each intent's earned mode; an allow-listed intent without one is `auto` (a fixed policy). */
  modes?: Partial<Record<Intent, IntentMode>>;
  /** Intents that move no money and change nothing; only these may be sent automatically. */
  autoSendAllowlist: Intent[];
  /** Intents whose answer depends on a found order. */
  intentsNeedingOrder: Intent[];
  /** Languages the auto-sent templates are written in. */
  autoSendLanguages: string[];
  /** Sentiment score at or below which auto-send is blocked (review instead). */
  autoSendMinSentiment: number;
  /**
   * Escalate when the order system reports at least `count` earlier contacts within `withinDays` days
   * (the order lookup counts contacts since now − withinDays; the router compares the count).
   */
  repeatedContact: { count: number; withinDays: number };
  hardRules: {
    /** A hard-rule intent counts when its confidence is at least this (primary or not). */
    intentMinConfidence: number;
    /** Escalate orders whose total exceeds this amount (in the order's currency). */
    highValueThreshold: number;
    /** Strong frustration: sentiment.frustration and score at or below this. */
    frustrationMaxSentiment: number;
    /** Intents for which an international order makes the case complex (international returns). */
    internationalComplexIntents: Intent[];
    /** Customs states of a shipment of an international order that escalate as `customs_issue`. */
    customsStatuses: CustomsStatus[];
  };
  queues: Record<HardRuleCode | 'review' | 'low_confidence' | 'auto', QueueAssignment>;
}

const TH = (auto: number, review: number): IntentThresholds => ({ auto, review });

export const DEFAULT_ROUTING_POLICY: RoutingPolicy = {
  version: 'routing-2025.3',
  thresholds: {
    order_status: TH(0.7, 0.3),
    shipping_delay: TH(1.01, 0.3),
    refund_request: TH(1.01, 0.3),
    return_request: TH(1.01, 0.3),
    cancel_order: TH(1.01, 0.3),
    change_order: TH(1.01, 0.3),
    damaged_item: TH(1.01, 0.3),
    wrong_item: TH(1.01, 0.3),
    payment_issue: TH(1.01, 0.3),
    account: TH(0.7, 0.3),
    product_question: TH(0.8, 0.3),
    complaint: TH(1.01, 0.3),
    fraud_claim: TH(1.01, 1.01),
    legal_threat: TH(1.01, 1.01),
    chargeback_threat: TH(1.01, 1.01),
    accessibility_complaint: TH(1.01, 1.01),
    human_request: TH(1.01, 1.01),
    customs_issue: TH(1.01, 1.01),
    other: TH(1.01, 0.25),
  },
  autoSendAllowlist: ['order_status', 'product_question', 'account'],
  intentsNeedingOrder: [...ORDER_INTENTS],
  autoSendLanguages: ['en'],
  autoSendMinSentiment: -0.3,
  repeatedContact: { count: 3, withinDays: 14 },
  hardRules: {
    intentMinConfidence: 0.4,
    highValueThreshold: 500,
    frustrationMaxSentiment: -0.3,
    internationalComplexIntents: ['return_request', 'refund_request', 'wrong_item', 'damaged_item'],
    customsStatuses: ['held', 'duties_unpaid', 'returned'],
  },
  queues: {
    fraud_claim: { queue: 'risk', priority: 'urgent' },
    legal_threat: { queue: 'risk', priority: 'urgent' },
    chargeback_threat: { queue: 'risk', priority: 'urgent' },
    accessibility_complaint: { queue: 'accessibility', priority: 'high' },
    vip_customer: { queue: 'priority', priority: 'high' },
    frustration: { queue: 'priority', priority: 'high' },
    repeated_contact: { queue: 'priority', priority: 'high' },
    human_request: { queue: 'priority', priority: 'normal' },
    customs_issue: { queue: 'escalations', priority: 'high' },
    high_value_order: { queue: 'priority', priority: 'normal' },
    complex_order: { queue: 'escalations', priority: 'normal' },
    classifier_unavailable: { queue: 'escalations', priority: 'normal' },
    low_confidence: { queue: 'escalations', priority: 'normal' },
    review: { queue: 'standard', priority: 'normal' },
    auto: { queue: 'standard', priority: 'low' },
  },
};

export interface RouteInput {
  classification: Classification;
  order: OrderSnapshot | null;
  confidence: Confidence;
  draft: Draft | null;
  policy: RoutingPolicy;
  autoSendEnabled: boolean;
}

const PRIORITY_RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };
const QUEUE_RANK: Record<Queue, number> = { risk: 4, accessibility: 3, priority: 2, escalations: 1, standard: 0 };

const HARD_INTENT_DETAIL: Record<string, string> = {
  fraud_claim: 'the customer says they did not place or authorise an order or charge',
  legal_threat: 'the customer mentions legal action',
  chargeback_threat: 'the customer mentions a chargeback or a dispute with their bank or payment provider',
  accessibility_complaint: 'the customer reports an accessibility problem',
  human_request: 'the customer asks to speak with a person',
  customs_issue: 'the customer writes about customs, import duties or tariffs',
};

const CUSTOMS_WORDS: Record<CustomsStatus, string> = {
  held: 'is held at customs',
  duties_unpaid: 'waits at customs for import duties to be paid',
  returned: 'was returned by customs',
  cleared: 'was cleared by customs',
};

function num(x: unknown, fallback = 0): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : fallback;
}

function hardRuleReasons(
  c: Classification | null | undefined,
  order: OrderSnapshot | null,
  policy: RoutingPolicy,
): RouteReason[] {
  const reasons: RouteReason[] = [];
  const hr = policy.hardRules;
  if (!c || isClassifierUnavailable(c)) {
    reasons.push({
      code: 'classifier_unavailable',
      detail: 'the message could not be classified, so nobody has checked what it asks for',
      evidence: [String(c?.source ?? 'no classification')],
    });
  }
  const intents = Array.isArray(c?.intents) ? c.intents : [];
  for (const code of HARD_RULE_INTENTS) {
    const hits = intents.filter((i) => i && i.intent === code && num(i.confidence) >= hr.intentMinConfidence);
    const isPrimary = c?.primaryIntent === code;
    if (hits.length || isPrimary) {
      const ev = hits
        .flatMap((h) => (Array.isArray(h.evidence) ? h.evidence : []))
        .filter((e) => typeof e === 'string');
      reasons.push({
        code,
        detail: HARD_INTENT_DETAIL[code],
        evidence: ev.length ? ev.slice(0, 5) : [`classified as ${code}`],
      });
    }
  }
  const s = c?.sentiment;
  if (s && s.frustration === true && num(s.score) <= hr.frustrationMaxSentiment) {
    reasons.push({
      code: 'frustration',
      detail: 'the customer is clearly frustrated',
      evidence: (s.evidence ?? []).slice(0, 5),
    });
  }
  if (order) {
    const cust = order.customer;
    if (cust && num(cust.recentContacts) >= policy.repeatedContact.count) {
      reasons.push({
        code: 'repeated_contact',
        detail: `the customer has contacted us ${num(cust.recentContacts)} times about this order within ${policy.repeatedContact.withinDays} days`,
        evidence: [`recentContacts=${num(cust.recentContacts)}`],
      });
    }
    if (cust && cust.vip === true) {
      reasons.push({
        code: 'vip_customer',
        detail: 'the order system marks this customer as VIP',
        evidence: [`customer ${String(cust.customerId ?? '')} vip=true`],
      });
    }
    const total = num(order.total, NaN);
    if (!Number.isFinite(total) || total > hr.highValueThreshold) {
      reasons.push({
        code: 'high_value_order',
        detail: Number.isFinite(total)
          ? `the order total ${total} ${order.currency ?? ''} is above ${hr.highValueThreshold}`.replace(/\s+/g, ' ')
          : 'the order total is unknown',
        evidence: [`total=${String(order.total)}`],
      });
    }
    const ships = Array.isArray(order.shipments) ? order.shipments : [];
    const lost = ships.filter((x) => x?.status === 'lost');
    if (lost.length && (ships.length > 1 || order.status === 'partially_shipped')) {
      reasons.push({
        code: 'complex_order',
        detail: 'a split shipment where one part is lost',
        evidence: lost.map((l) => `${l.carrier} ${l.trackingNumber} lost`),
      });
    } else if (lost.length) {
      reasons.push({
        code: 'complex_order',
        detail: 'the carrier reports the shipment as lost',
        evidence: lost.map((l) => `${l.carrier} ${l.trackingNumber} lost`),
      });
    }
    const asks = new Set<Intent>(
      intents.filter((i) => i && num(i.confidence) >= hr.intentMinConfidence).map((i) => i.intent),
    );
    if (c?.primaryIntent) asks.add(c.primaryIntent);
    if (order.international === true && hr.internationalComplexIntents.some((i) => asks.has(i))) {
      reasons.push({
        code: 'complex_order',
        detail: `an international ${[...asks]
          .filter((i) => hr.internationalComplexIntents.includes(i))
          .map(intentLabel)
          .join('/')} (shipping to ${order.shippingCountry})`,
        evidence: [`international=true`, `country=${order.shippingCountry}`],
      });
    }
    const customs = customsReason(order, Array.isArray(hr.customsStatuses) ? hr.customsStatuses : []);
    if (customs) {
      const said = reasons.find((r) => r.code === 'customs_issue');
      if (said) {
        said.detail = `${said.detail}, and ${customs.detail}`;
        said.evidence = [...said.evidence, ...customs.evidence].slice(0, 5);
      } else reasons.push(customs);
    }
  }
  return reasons;
}

/** A shipment of an international order that customs holds, charges for or sent back: people sort it out. */
function customsReason(order: OrderSnapshot, statuses: readonly CustomsStatus[]): RouteReason | null {
  if (order.international !== true) return null;
  const ships = (Array.isArray(order.shipments) ? order.shipments : []).filter(
    (s) => s?.customs && statuses.includes(s.customs.status),
  );
  if (!ships.length) return null;
  const parts = ships.map((s) => {
    const parcel = [s.carrier, s.trackingNumber].filter(Boolean).join(' ') || 'a shipment';
    return `${parcel} ${CUSTOMS_WORDS[s.customs!.status] ?? 'has a customs problem'}`;
  });
  return {
    code: 'customs_issue',
    detail: `the order ships to ${order.shippingCountry} and ${sentenceList(parts)}`,
    evidence: ships
      .map((s) => `customs=${s.customs!.status}${s.customs!.detail ? `: ${s.customs!.detail}` : ''}`.slice(0, 120))
      .concat([`country=${order.shippingCountry}`])
      .slice(0, 5),
  };
}

function pickQueue(reasons: RouteReason[], policy: RoutingPolicy, fallback: QueueAssignment): QueueAssignment {
  let best: QueueAssignment | null = null;
  for (const r of reasons) {
    const q = (policy.queues as Record<string, QueueAssignment | undefined>)[r.code];
    if (!q) continue;
    if (
      !best ||
      PRIORITY_RANK[q.priority] > PRIORITY_RANK[best.priority] ||
      (PRIORITY_RANK[q.priority] === PRIORITY_RANK[best.priority] && QUEUE_RANK[q.queue] > QUEUE_RANK[best.queue])
    )
      best = q;
  }
  return best ?? fallback;
}

function sentenceList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function isKnownIntent(x: unknown): x is Intent {
  return typeof x === 'string' && (INTENTS as readonly string[]).includes(x);
}

/** Applies the routing policy. Pure; never throws; every decision carries at least one reason. */
export function routeTicket(input: RouteInput): RoutingDecision {
  const policy = input?.policy ?? DEFAULT_ROUTING_POLICY;
  const c = input?.classification;
  const order = input?.order ?? null;
  const draft = input?.draft ?? null;
  const conf = input?.confidence;
  const score = Math.max(0, Math.min(1, num(conf?.score)));
  const primary: Intent = isKnownIntent(c?.primaryIntent) ? c!.primaryIntent : 'other';
  const th = policy.thresholds[primary] ?? { auto: 1.01, review: 0.5 };

  // 1. hard rules
  const hard = hardRuleReasons(c, order, policy);
  if (hard.length) {
    const q = pickQueue(hard, policy, policy.queues.low_confidence);
    return {
      route: 'escalate',
      queue: q.queue,
      priority: q.priority,
      reasons: hard,
      explanation: `Escalated to the ${q.queue} queue because ${sentenceList(hard.slice(0, 3).map((r) => r.detail))}.`,
      policyVersion: policy.version,
    };
  }

  // 2. auto-send eligibility (collect every blocker so the agent sees all of them)
  const blockers: RouteReason[] = [];
  const requests = distinctRequests(c);
  if (!policy.autoSendAllowlist.includes(primary)) {
    blockers.push({
      code: 'intent_not_allowlisted',
      detail: `${intentLabel(primary)} replies are never sent automatically`,
      evidence: [primary],
    });
  }
  if (requests.length > 1) {
    blockers.push({
      code: 'multiple_requests',
      detail: `the message contains ${requests.length} different requests (${requests.map(intentLabel).join(', ')})`,
      evidence: requests,
    });
  }
  if (score < th.auto) {
    blockers.push({
      code: 'below_auto_threshold',
      detail: `confidence ${score.toFixed(2)} is below the auto-send threshold ${th.auto.toFixed(2)} for ${intentLabel(primary)}`,
      evidence: (conf?.concerns ?? []).slice(0, 5),
    });
  }
  if (!draft) blockers.push({ code: 'no_draft', detail: 'there is no reply draft', evidence: [] });
  else if (draft.answers === false) {
    blockers.push({
      code: 'draft_passes_on',
      detail: 'the draft passes the question on instead of answering it, so a person must answer',
      evidence: [],
    });
  } else if (!draft.selfCheck?.passed || (draft.selfCheck.findings ?? []).length > 0) {
    blockers.push({
      code: 'draft_self_check_failed',
      detail: 'the draft failed its self-check',
      evidence: (draft.selfCheck?.findings ?? []).map((f) => `${f.code}: ${f.detail}`).slice(0, 5),
    });
  }
  if (policy.intentsNeedingOrder.includes(primary) && !order) {
    const asked = c?.entities?.orderNumbers?.[0];
    blockers.push({
      code: 'order_not_found',
      detail: asked ? `no order was found for ${asked}` : 'no order was found for this customer',
      evidence: asked ? [asked] : [],
    });
  }
  const lang = typeof c?.language === 'string' ? c.language : 'und';
  if (!policy.autoSendLanguages.includes(lang)) {
    blockers.push({
      code: 'not_english',
      detail:
        lang === 'und'
          ? 'the language of the message could not be identified'
          : `the message is in ${lang}, and automatic replies are written in ${policy.autoSendLanguages.join('/')}`,
      evidence: [lang],
    });
  }
  if (c?.sentiment && num(c.sentiment.score) <= policy.autoSendMinSentiment) {
    blockers.push({
      code: 'negative_sentiment',
      detail: 'the customer is unhappy, so a person should answer',
      evidence: (c.sentiment.evidence ?? []).slice(0, 3),
    });
  }
  const flags = Array.isArray(c?.flags) ? c!.flags : [];
  if (flags.includes('health_safety'))
    blockers.push({
      code: 'health_safety_question',
      detail: 'the customer asks about product safety or health effects',
      evidence: [],
    });
  if (flags.includes('prompt_injection'))
    blockers.push({
      code: 'suspicious_instructions',
      detail: 'the message contains instructions aimed at the support system',
      evidence: [],
    });
  if (flags.includes('customer_claims_vip'))
    blockers.push({
      code: 'unverified_claim',
      detail: 'the customer claims a special status the order system does not confirm',
      evidence: [],
    });
  if (flags.includes('hidden_text_removed'))
    blockers.push({ code: 'hidden_text', detail: 'the message contained hidden text that was not read', evidence: [] });
  if (flags.includes('intents_disagree'))
    blockers.push({
      code: 'classifiers_disagree',
      detail: 'the language model and the offline classifier read different requests in this message',
      evidence: [],
    });
  if (flags.includes('review_advised'))
    blockers.push({
      code: 'review_advised',
      detail:
        'people usually handle messages like this one themselves (it asks for something to be done, or reports a problem)',
      evidence: [],
    });
  // Everything but the confidence threshold and the switches allows it: the agent's verdict on this draft is
  // evidence for how far the intent may be trusted on its own.
  const candidate = blockers.every((b) => b.code === 'below_auto_threshold');
  const mode = intentMode(policy, primary);
  if (mode === 'shadow' && blockers.length === 0)
    blockers.push({
      code: 'shadow_mode',
      detail: `${intentLabel(primary)} replies are still earning automatic sending: this one would have gone out on its own, and the review counts as evidence`,
      evidence: [primary],
    });
  if (mode === 'human' && policy.autoSendAllowlist.includes(primary))
    blockers.push({
      code: 'intent_held_by_people',
      detail: `${intentLabel(primary)} replies are kept with people by the routing policy`,
      evidence: [primary],
    });
  if (!input?.autoSendEnabled)
    blockers.push({ code: 'auto_send_disabled', detail: 'automatic sending is switched off', evidence: [] });
  const autonomy = { mode, candidate };

  if (blockers.length === 0) {
    const q = policy.queues.auto;
    return {
      route: 'auto',
      queue: q.queue,
      priority: q.priority,
      reasons: [
        {
          code: 'auto_send_eligible',
          detail: `one ${intentLabel(primary)} request answered from order data with confidence ${score.toFixed(2)} (threshold ${th.auto.toFixed(2)}) and a draft that passed its self-check`,
          evidence: primaryEvidence(c),
        },
      ],
      explanation: `Sent automatically: the ${intentLabel(primary)} question was answered only from order and policy facts (confidence ${score.toFixed(2)}).`,
      policyVersion: policy.version,
      autonomy,
    };
  }

  // 3. review or escalate
  if (score >= th.review) {
    const q = policy.queues.review;
    const main = blockers.filter((b) => b.code !== 'auto_send_disabled' && b.code !== 'intent_not_allowlisted');
    const lead = main[0] ?? blockers[0];
    return {
      route: 'review',
      queue: q.queue,
      priority: c?.sentiment?.urgency ? 'high' : q.priority,
      reasons: blockers,
      explanation: `Draft for agent review: ${intentLabel(primary)} request; ${lead.detail}.`,
      policyVersion: policy.version,
      autonomy,
    };
  }
  const concerns = (conf?.concerns ?? []).filter((x) => typeof x === 'string' && x.trim());
  const uncertain = concerns.length
    ? concerns
    : [
        `the message matched no clear request pattern (best guess ${intentLabel(primary)}, confidence ${primaryConfidence(c).toFixed(2)})`,
      ];
  const low: RouteReason = {
    code: 'low_confidence',
    detail: `confidence ${score.toFixed(2)} is below the review threshold ${th.review.toFixed(2)} for ${intentLabel(primary)}: ${uncertain.slice(0, 3).join('; ')}`,
    evidence: uncertain.slice(0, 5),
  };
  const q = policy.queues.low_confidence;
  return {
    route: 'escalate',
    queue: q.queue,
    priority: c?.sentiment?.urgency ? 'high' : q.priority,
    reasons: [low, ...blockers.filter((b) => b.code !== 'below_auto_threshold')],
    explanation: `Escalated because ${uncertain.slice(0, 2).join(' and ')}.`,
    policyVersion: policy.version,
    autonomy: { mode, candidate: false },
  };
}

/** The intent's mode under the policy: never more than `human` outside the allow-list. */
export function intentMode(policy: RoutingPolicy, intent: Intent): IntentMode {
  if (!policy.autoSendAllowlist.includes(intent)) return 'human';
  return policy.modes?.[intent] ?? 'auto';
}

function primaryEvidence(c: Classification | null | undefined): string[] {
  const p = c?.intents?.find((i) => i && i.intent === c.primaryIntent);
  return Array.isArray(p?.evidence) ? p!.evidence.slice(0, 5) : [];
}
