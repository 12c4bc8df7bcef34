/**
 * From a Shopify order to Seamline's `OrderSnapshot`: pure functions, so every mapping rule is a unit test away.
 * The status rules are written out in ./README.md.
 */
import { normalizeOrderNumber, type OrderSnapshot, type Shipment, type ShipmentCustoms } from '../../../domain';
import type { ShopifyCandidate, ShopifyFulfillment, ShopifyOrder } from './shopify.queries';

export interface SnapshotSettings {
  /** Customer tag that marks a VIP (compared without regard to case). */
  vipTag: string;
  /** ISO 3166-1 alpha-2 country the shop ships from; another shipping country is international. */
  homeCountry: string;
}

/** Whether the order is the customer's: the order's own e-mail or its customer's, compared without regard to case. */
export function belongsTo(order: Pick<ShopifyCandidate, 'email' | 'customer'>, customerEmail: string): boolean {
  const wanted = customerEmail.trim().toLowerCase();
  if (!wanted) return false;
  return [order.email, order.customer?.email].some((e) => typeof e === 'string' && e.trim().toLowerCase() === wanted);
}

/**
 * The number part of an order name: `1001` for `#1001`, `1001`, `SL-1001` or `sl1001`. Customers write the
 * shop's prefix, another prefix or none; the shop's name (`#1001` by default) is what Shopify searches by.
 */
function numberPart(normalized: string): string | null {
  return /^[A-Z]{0,8}[-_]?(\d{1,20})$/.exec(normalized)?.[1] ?? null;
}

/** Shopify search for the orders a customer may mean by `orderNumber`, or null when it names no order at all. */
export function nameSearch(orderNumber: string): string | null {
  const normalized = normalizeOrderNumber(orderNumber);
  if (!normalized) return null;
  const digits = numberPart(normalized);
  const names = new Set([digits ? `#${digits}` : null, normalized].filter((n): n is string => Boolean(n)));
  return [...names].map((n) => `name:${quoted(n)}`).join(' OR ');
}

/** Shopify search for the orders placed with `email`. */
export function emailSearch(email: string): string {
  return `email:${quoted(email.trim().toLowerCase())}`;
}

/** A search value as a quoted string, so nothing in it is read as syntax. */
function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * Of the candidates Shopify found, the customer's order named `orderNumber` (the same name first, else the same
 * number under another prefix), or with no number their newest (Shopify lists newest first). Never an order of
 * someone else, whatever the search returned.
 */
export function pickOrder(
  candidates: ShopifyCandidate[],
  query: { orderNumber: string | null; customerEmail: string },
): ShopifyCandidate | null {
  const theirs = candidates.filter((c) => belongsTo(c, query.customerEmail));
  if (!query.orderNumber) return theirs[0] ?? null;
  const wanted = normalizeOrderNumber(query.orderNumber);
  if (!wanted) return null;
  const exact = theirs.find((c) => normalizeOrderNumber(c.name) === wanted);
  if (exact) return exact;
  const digits = numberPart(wanted);
  return (digits && theirs.find((c) => numberPart(normalizeOrderNumber(c.name)) === digits)) || null;
}

const DELIVERED = new Set(['DELIVERED', 'PICKED_UP']);
const MOVING = new Set([
  'IN_TRANSIT',
  'OUT_FOR_DELIVERY',
  'ATTEMPTED_DELIVERY',
  'DELAYED',
  'CARRIER_PICKED_UP',
  'READY_FOR_PICKUP',
  // The merchant marked it shipped; a shop without carrier tracking events never gets further than this.
  'CONFIRMED',
  'FULFILLED',
  'MARKED_AS_FULFILLED',
]);
const NOT_DELIVERED = new Set(['NOT_DELIVERED', 'FAILURE']);

/** A fulfillment that was cancelled or never went through shipped nothing. */
function shipped(f: ShopifyFulfillment): boolean {
  return f.status !== 'CANCELLED' && f.status !== 'ERROR' && f.status !== 'FAILURE' && f.displayStatus !== 'CANCELED';
}

export function shipmentStatus(f: ShopifyFulfillment): Shipment['status'] {
  const display = f.displayStatus ?? '';
  if (f.deliveredAt || DELIVERED.has(display)) return 'delivered';
  if (NOT_DELIVERED.has(display)) return 'lost';
  if (f.inTransitAt || MOVING.has(display)) return 'in_transit';
  // LABEL_PRINTED, LABEL_PURCHASED, LABEL_VOIDED, SUBMITTED, none: not yet with the carrier.
  return 'pending';
}

const ARRIVED = new Set(['DELIVERED', 'PICKED_UP']);
const CUSTOMS = /\b(?:customs|duty|duties|import (?:tax|taxes|vat|gst)|border)\b/i;
const CUSTOMS_RULES: [RegExp, ShipmentCustoms['status']][] = [
  [/\b(?:returned|returning|return to sender|refused|rejected|seized|sent back)\b/i, 'returned'],
  [
    /\b(?:duty|duties|tax|taxes|vat|gst|fees?|charges?)\b.*\b(?:due|unpaid|owed|outstanding|to be paid|payment|pay)\b|\b(?:awaiting|pending|requires?|waiting for) (?:\w+ )?payment\b/i,
    'duties_unpaid',
  ],
  [/\b(?:cleared|released|clearance complete|clearance completed)\b/i, 'cleared'],
  [/\b(?:held|hold|detained|retained|stopped|delayed|inspection|documents?|paperwork|information required)\b/i, 'held'],
];

/**
 * What customs is doing with a parcel, read from the carrier's tracking events (Shopify has no customs field):
 * the newest event that speaks of customs or duties decides (held, duties to pay, returned, cleared, or nothing
 * when it only says the parcel is passing customs); a delivery after it means customs is behind it.
 */
export function shipmentCustoms(f: ShopifyFulfillment): ShipmentCustoms | null {
  for (const event of f.events?.nodes ?? []) {
    if (ARRIVED.has(event.status ?? '')) return null;
    const message = (event.message ?? '').trim();
    if (!message || !CUSTOMS.test(message)) continue;
    const status = CUSTOMS_RULES.find(([re]) => re.test(message))?.[1];
    // "Customs clearance in progress": the parcel is passing customs, nothing is wrong yet.
    return status ? { status, detail: message.slice(0, 200), since: event.happenedAt ?? null } : null;
  }
  return null;
}

/** One shipment per tracking number (a fulfillment may go out as several parcels); one without tracking too. */
export function toShipments(order: ShopifyOrder): Shipment[] {
  return order.fulfillments.filter(shipped).flatMap((f) => {
    const items = (f.fulfillmentLineItems?.nodes ?? [])
      .map((n) => n.lineItem.sku || n.lineItem.name || '')
      .filter((item) => item !== '');
    const customs = shipmentCustoms(f);
    const base = {
      status: shipmentStatus(f),
      items,
      estimatedDelivery: f.estimatedDeliveryAt ?? null,
      ...(customs ? { customs } : {}),
    };
    const tracking = (f.trackingInfo ?? []).filter((t) => t.number || t.company);
    if (tracking.length === 0) return [{ carrier: '', trackingNumber: '', ...base }];
    return tracking.map((t) => ({ carrier: t.company ?? '', trackingNumber: t.number ?? '', ...base }));
  });
}

/** See ./README.md for the table: refunds and cancellations first, then what shipped, then what was paid. */
export function orderStatus(order: ShopifyOrder): OrderSnapshot['status'] {
  const financial = order.displayFinancialStatus ?? '';
  if (financial === 'REFUNDED') return 'refunded';
  if (order.cancelledAt) return 'cancelled';
  const fulfillments = order.fulfillments.filter(shipped);
  switch (order.displayFulfillmentStatus) {
    case 'FULFILLED':
      return fulfillments.length > 0 && fulfillments.every((f) => shipmentStatus(f) === 'delivered')
        ? 'delivered'
        : 'shipped';
    case 'PARTIALLY_FULFILLED':
      return 'partially_shipped';
  }
  return financial === 'PAID' || financial === 'PARTIALLY_REFUNDED' ? 'paid' : 'pending';
}

function amount(value: string | undefined): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

export function toOrderSnapshot(order: ShopifyOrder, settings: SnapshotSettings): OrderSnapshot {
  const country = (order.shippingAddress?.countryCodeV2 ?? '').toUpperCase();
  const customer = order.customer;
  const vipTag = settings.vipTag.trim().toLowerCase();
  const name =
    [customer?.firstName, customer?.lastName].filter((part) => part && part.trim()).join(' ') ||
    customer?.displayName ||
    '';
  return {
    orderNumber: order.name,
    status: orderStatus(order),
    placedAt: new Date(order.processedAt ?? order.createdAt).toISOString(),
    total: amount(order.totalPriceSet.shopMoney.amount),
    currency: order.totalPriceSet.shopMoney.currencyCode,
    lines: order.lineItems.nodes.map((line) => ({
      sku: line.sku ?? '',
      name: line.name,
      quantity: line.quantity,
      unitPrice: amount(line.originalUnitPriceSet?.shopMoney.amount),
    })),
    shipments: toShipments(order),
    shippingCountry: country,
    // No shipping address (digital goods, local pickup): nothing crosses a border.
    international: country !== '' && country !== settings.homeCountry.toUpperCase(),
    customer: {
      customerId: customer?.id ?? '',
      name,
      email: customer?.email ?? order.email ?? '',
      vip: (customer?.tags ?? []).some((tag) => tag.trim().toLowerCase() === vipTag),
      // Seamline counts earlier tickets itself (ContactHistory); the shop does not know them.
      recentContacts: 0,
    },
  };
}
