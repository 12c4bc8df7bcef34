/**
 * Offline reply drafts: one plain-text template per intent, filled only with facts from the order snapshot
 * and the store policy. Templates never promise refunds, discounts, compensation or dates; the self-check
 * verifies that on every draft.
 */
import { intentLabel } from './intent-labels';
import { selfCheckDraft } from './self-check';
import type {
  Classification,
  CustomsStatus,
  Draft,
  Intent,
  OrderSnapshot,
  Shipment,
  StorePolicy,
} from './triage.types';

export const OFFLINE_DRAFT_SOURCE = 'offline';

export interface DraftInput {
  classification: Classification;
  order: OrderSnapshot | null;
  policy: StorePolicy;
  customerName?: string;
  version: number;
  /** The order number the customer asked about, if any (defaults to the first one in the classification). */
  requestedOrderNumber?: string | null;
}

const STATUS_WORDS: Record<OrderSnapshot['status'], string> = {
  pending: 'has been received and is waiting for payment confirmation',
  paid: 'is paid and being prepared for shipping',
  shipped: 'has shipped',
  partially_shipped: 'has partly shipped',
  delivered: 'is marked as delivered',
  cancelled: 'is cancelled',
  refunded: 'is marked as refunded',
};
const SHIPMENT_WORDS: Record<Shipment['status'], string> = {
  pending: 'waiting to be handed to the carrier',
  in_transit: 'in transit',
  delivered: 'delivered',
  lost: 'reported as lost by the carrier',
  returned: 'returned to us',
};

const CUSTOMS_WORDS: Record<CustomsStatus, string> = {
  held: 'held at customs',
  duties_unpaid: 'waiting at customs for import duties to be paid',
  returned: 'returned by customs',
  cleared: 'cleared by customs',
};

function safeName(name: string | undefined): string | null {
  if (typeof name !== 'string') return null;
  const first = name.trim().split(/\s+/)[0] ?? '';
  if (!first || first.length > 30) return null;
  if (!/^[\p{L}][\p{L}'-]*$/u.test(first)) return null;
  return first;
}

function orderRef(order: OrderSnapshot): string {
  const n = String(order.orderNumber ?? '').trim();
  return /^\d+$/.test(n) ? `order #${n}` : `order ${n}`;
}

function shipmentLines(order: OrderSnapshot): string[] {
  const out: string[] = [];
  const ships = Array.isArray(order.shipments) ? order.shipments.slice(0, 5) : [];
  for (const s of ships) {
    if (!s) continue;
    const words = SHIPMENT_WORDS[s.status] ?? 'being processed';
    let line = `- ${s.carrier || 'Carrier'} shipment${s.trackingNumber ? ` with tracking number ${s.trackingNumber}` : ''}: ${words}`;
    const customs = s.customs ? CUSTOMS_WORDS[s.customs.status] : undefined;
    if (customs) line += `, ${customs}`;
    else if (s.estimatedDelivery && (s.status === 'in_transit' || s.status === 'pending')) {
      line += `, current carrier estimate ${String(s.estimatedDelivery).slice(0, 10)}`;
    }
    out.push(`${line}.`);
  }
  return out;
}

function shippingTime(policy: StorePolicy, international: boolean): string | null {
  const v = international ? policy.internationalShippingDays : policy.domesticShippingDays;
  if (typeof v !== 'string' || !v.trim()) return null;
  const t = v.trim();
  return /day/i.test(t) ? t : `${t} days`;
}

function orderStatusParagraph(order: OrderSnapshot): string[] {
  const lines = [`I've checked ${orderRef(order)}: it ${STATUS_WORDS[order.status] ?? 'is being processed'}.`];
  const ships = shipmentLines(order);
  if (ships.length) lines.push('', ...ships);
  return lines;
}

const ASK_FOR_ORDER =
  "I couldn't match your message to an order yet. Could you reply with the order number from your confirmation e-mail, so we can look into it straight away?";

/**
 * Whether the offline template for `intent` moves the conversation on by itself (the order's status and tracking,
 * a request for the order number that is missing, the store's own account help) or only passes the question on to
 * people. Only the first may go out on its own.
 */
function answersFromFacts(intent: Intent, policy: StorePolicy): boolean {
  if (intent === 'order_status') return true;
  if (intent === 'account') return Boolean(policy.accountHelp?.trim());
  return false;
}

function bodyFor(intent: Intent, order: OrderSnapshot | null, policy: StorePolicy): string[] {
  const p: string[] = [];
  switch (intent) {
    case 'order_status':
      if (!order) return [ASK_FOR_ORDER];
      return orderStatusParagraph(order);
    case 'shipping_delay': {
      p.push("I'm sorry your delivery is taking longer than expected.");
      if (!order) return [...p, ASK_FOR_ORDER];
      p.push(...orderStatusParagraph(order));
      const st = shippingTime(policy, !!order.international);
      if (st)
        p.push(
          '',
          `Our usual delivery time for ${order.international ? 'international' : 'domestic'} orders is ${st}.`,
        );
      p.push("I've asked our shipping team to check with the carrier, and we'll update you as soon as we hear back.");
      return p;
    }
    case 'refund_request':
      if (order)
        p.push(
          `I've passed your refund request for ${orderRef(order)} to our team, who will review it against our returns policy.`,
        );
      else
        p.push(
          "I've passed your refund request to our team, who will review it against our returns policy.",
          ASK_FOR_ORDER,
        );
      if (Number.isFinite(policy.refundProcessingDays))
        p.push(`If a refund is approved, it is processed within ${policy.refundProcessingDays} days of approval.`);
      return p;
    case 'return_request':
      if (Number.isFinite(policy.returnWindowDays))
        p.push(`Items can be returned within ${policy.returnWindowDays} days of delivery.`);
      if (order)
        p.push(
          `I've passed your return request for ${orderRef(order)} to our team, who will reply with the next steps.`,
        );
      else p.push("I've passed your return request to our team, who will reply with the next steps.", ASK_FOR_ORDER);
      return p;
    case 'cancel_order':
      if (!order) return ["I've noted that you would like to cancel an order.", ASK_FOR_ORDER];
      if (order.status === 'shipped' || order.status === 'delivered' || order.status === 'partially_shipped') {
        p.push(
          `${capital(orderRef(order))} ${STATUS_WORDS[order.status]}, so our team will need to check what is still possible.`,
        );
        if (Number.isFinite(policy.returnWindowDays))
          p.push(`Items can be returned within ${policy.returnWindowDays} days of delivery.`);
      } else if (order.status === 'cancelled') {
        p.push(`${capital(orderRef(order))} is already cancelled.`);
      } else {
        p.push(
          `I've asked our team to cancel ${orderRef(order)} before it ships. We'll confirm by e-mail once it has been handled.`,
        );
      }
      return p;
    case 'change_order':
      if (!order) return ["I've noted the change you would like to make.", ASK_FOR_ORDER];
      p.push(
        `I've passed your change request for ${orderRef(order)} to our team. Changes are only possible before an order ships, and ${orderRef(order)} ${STATUS_WORDS[order.status] ?? 'is being processed'}.`,
      );
      return p;
    case 'damaged_item':
      p.push("I'm sorry your item arrived damaged.");
      p.push(
        `Could you reply with a photo of the item and of the packaging${order ? ` for ${orderRef(order)}` : ''}? Our team will review it and get back to you with the options under our returns policy.`,
      );
      if (!order) p.push(ASK_FOR_ORDER);
      return p;
    case 'wrong_item':
      p.push("I'm sorry you didn't receive what you ordered.");
      p.push(
        `Could you reply with a photo of what arrived and of the shipping label${order ? ` for ${orderRef(order)}` : ''}? Our team will check it against the order and get back to you.`,
      );
      if (!order) p.push(ASK_FOR_ORDER);
      return p;
    case 'payment_issue':
      p.push(
        `I've passed your payment question${order ? ` about ${orderRef(order)}` : ''} to our billing team, who will check the payment records and reply to you.`,
      );
      return p;
    case 'account':
      if (policy.accountHelp?.trim()) {
        p.push(policy.accountHelp.trim(), 'For your security, we will never ask for your password by e-mail.');
        return p;
      }
      p.push(
        "I've passed your account question to our team, who will reply to you. For your security, we will never ask for your password by e-mail.",
      );
      return p;
    case 'product_question':
      p.push("Thank you for your question. I've passed it to our product team, who will reply with the details.");
      return p;
    case 'complaint':
      p.push(
        "I'm sorry about your experience. I've shared your message with our customer care team, who will look into it and reply to you personally.",
      );
      return p;
    case 'accessibility_complaint':
      p.push(
        'Thank you for telling us about this. A member of our team will contact you personally and make sure we reply in a way that works for you.',
      );
      return p;
    case 'customs_issue':
      p.push(
        'Thank you for your message about customs. A member of our team will look into it personally and get back to you.',
      );
      if (order) p.push('', ...orderStatusParagraph(order));
      return p;
    case 'fraud_claim':
    case 'legal_threat':
    case 'chargeback_threat':
    case 'human_request':
      p.push('Thank you for your message. A member of our team will review it personally and get back to you.');
      return p;
    case 'other':
    default:
      p.push("Thank you for getting in touch. I've passed your message to our team, who will reply to you.");
      return p;
  }
}

function capital(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** Offline draft for a classified message; runs selfCheckDraft and fills `selfCheck`. Never throws. */
export function draftOffline(input: DraftInput): Draft {
  const version = Number.isFinite(input?.version) ? input.version : 1;
  const policy: StorePolicy = input?.policy ?? {
    storeName: 'our store',
    returnWindowDays: NaN,
    refundProcessingDays: NaN,
    domesticShippingDays: '',
    internationalShippingDays: '',
    supportSignature: '',
  };
  const order = input?.order ?? null;
  const c = input?.classification;
  const primary: Intent = (c?.primaryIntent as Intent) ?? 'other';
  const requested = input?.requestedOrderNumber ?? c?.entities?.orderNumbers?.[0] ?? null;
  let body: string;
  try {
    const name = safeName(input?.customerName) ?? safeName(order?.customer?.name);
    const lines: string[] = [name ? `Hi ${name},` : 'Hello,', ''];
    lines.push(...bodyFor(primary, order, policy));
    const secondary = (Array.isArray(c?.intents) ? c.intents : [])
      .map((i) => i?.intent)
      .filter((i): i is Intent => !!i && i !== primary && i !== 'other')
      .slice(0, 2);
    if (secondary.length) {
      lines.push(
        '',
        `I've also noted your ${secondary.map(intentLabel).join(' and ')} question${secondary.length > 1 ? 's' : ''}, and our team will answer ${secondary.length > 1 ? 'them' : 'it'} in the same reply.`,
      );
    }
    lines.push(
      '',
      'Best regards,',
      typeof policy.supportSignature === 'string' && policy.supportSignature.trim()
        ? policy.supportSignature.trim()
        : `${policy.storeName ?? 'Customer'} support`,
    );
    body = lines.join('\n');
  } catch {
    body = 'Hello,\n\nThank you for getting in touch. A member of our team will reply to you.\n';
  }
  const subject = order ? `Your ${orderRef(order)}` : `Your ${intentLabel(primary)} with ${policy.storeName ?? 'us'}`;
  const findings = selfCheckDraft(body, { order, policy, requestedOrderNumber: requested });
  return {
    version,
    subject,
    body,
    source: OFFLINE_DRAFT_SOURCE,
    selfCheck: { passed: findings.length === 0, findings },
    answers: answersFromFacts(primary, policy),
  };
}
