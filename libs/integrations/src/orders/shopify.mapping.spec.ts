import {
  belongsTo,
  emailSearch,
  nameSearch,
  orderStatus,
  pickOrder,
  shipmentCustoms,
  shipmentStatus,
  toOrderSnapshot,
  toShipments,
} from './shopify.mapping';
import type { ShopifyFulfillment, ShopifyOrder } from './shopify.queries';

function fulfillment(over: Partial<ShopifyFulfillment> = {}): ShopifyFulfillment {
  return {
    status: 'SUCCESS',
    displayStatus: 'IN_TRANSIT',
    inTransitAt: null,
    deliveredAt: null,
    estimatedDeliveryAt: null,
    trackingInfo: [{ number: '1Z999AA10123456784', company: 'UPS', url: null }],
    fulfillmentLineItems: { nodes: [{ quantity: 1, lineItem: { sku: 'TEE-1', name: 'T-shirt' } }] },
    ...over,
  };
}

function order(over: Partial<ShopifyOrder> = {}): ShopifyOrder {
  return {
    id: 'gid://shopify/Order/1',
    name: '#1001',
    email: 'jane@example.com',
    createdAt: '2026-11-02T14:03:11Z',
    processedAt: '2026-11-02T14:03:10Z',
    cancelledAt: null,
    displayFinancialStatus: 'PAID',
    displayFulfillmentStatus: 'UNFULFILLED',
    totalPriceSet: { shopMoney: { amount: '10.00', currencyCode: 'USD' } },
    shippingAddress: { countryCodeV2: 'US' },
    customer: {
      id: 'gid://shopify/Customer/1',
      email: 'jane@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      displayName: 'Jane Doe',
      tags: [],
    },
    lineItems: { nodes: [] },
    fulfillments: [],
    ...over,
  };
}

describe('order status from Shopify', () => {
  const table: [string, Partial<ShopifyOrder>, string][] = [
    [
      'refunded wins over everything',
      { displayFinancialStatus: 'REFUNDED', cancelledAt: '2026-11-03T00:00:00Z' },
      'refunded',
    ],
    [
      'refunded after delivery',
      { displayFinancialStatus: 'REFUNDED', displayFulfillmentStatus: 'FULFILLED' },
      'refunded',
    ],
    ['cancelled (voided)', { displayFinancialStatus: 'VOIDED', cancelledAt: '2026-11-03T00:00:00Z' }, 'cancelled'],
    [
      'cancelled, partly refunded',
      { displayFinancialStatus: 'PARTIALLY_REFUNDED', cancelledAt: '2026-11-03T00:00:00Z' },
      'cancelled',
    ],
    [
      'fulfilled, every parcel delivered',
      {
        displayFulfillmentStatus: 'FULFILLED',
        fulfillments: [
          fulfillment({ displayStatus: 'DELIVERED' }),
          fulfillment({ deliveredAt: '2026-11-05T00:00:00Z' }),
        ],
      },
      'delivered',
    ],
    [
      'fulfilled, one parcel still moving',
      {
        displayFulfillmentStatus: 'FULFILLED',
        fulfillments: [fulfillment({ displayStatus: 'DELIVERED' }), fulfillment()],
      },
      'shipped',
    ],
    ['fulfilled without fulfillment details', { displayFulfillmentStatus: 'FULFILLED' }, 'shipped'],
    [
      'partially fulfilled, even when the shipped part arrived',
      { displayFulfillmentStatus: 'PARTIALLY_FULFILLED', fulfillments: [fulfillment({ displayStatus: 'DELIVERED' })] },
      'partially_shipped',
    ],
    ['unfulfilled and paid', { displayFulfillmentStatus: 'UNFULFILLED' }, 'paid'],
    [
      'in progress and partly refunded',
      { displayFulfillmentStatus: 'IN_PROGRESS', displayFinancialStatus: 'PARTIALLY_REFUNDED' },
      'paid',
    ],
    ['on hold, paid', { displayFulfillmentStatus: 'ON_HOLD' }, 'paid'],
    ['payment pending', { displayFinancialStatus: 'PENDING' }, 'pending'],
    ['authorized, not captured', { displayFinancialStatus: 'AUTHORIZED' }, 'pending'],
    ['partially paid', { displayFinancialStatus: 'PARTIALLY_PAID' }, 'pending'],
    ['authorization expired', { displayFinancialStatus: 'EXPIRED' }, 'pending'],
    ['voided, not cancelled', { displayFinancialStatus: 'VOIDED' }, 'pending'],
    ['no financial status', { displayFinancialStatus: null }, 'pending'],
  ];
  it.each(table)('%s', (_case, over, expected) => {
    expect(orderStatus(order(over))).toBe(expected);
  });

  it('ignores cancelled fulfillments: they shipped nothing', () => {
    const fulfillments = [fulfillment({ displayStatus: 'DELIVERED' }), fulfillment({ status: 'CANCELLED' })];
    expect(orderStatus(order({ displayFulfillmentStatus: 'FULFILLED', fulfillments }))).toBe('delivered');
    expect(toShipments(order({ fulfillments }))).toHaveLength(1);
  });
});

describe('shipment status from a fulfillment', () => {
  const table: [string | null, Partial<ShopifyFulfillment>, string][] = [
    ['DELIVERED', {}, 'delivered'],
    ['PICKED_UP', {}, 'delivered'],
    ['IN_TRANSIT', { deliveredAt: '2026-11-05T00:00:00Z' }, 'delivered'],
    ['NOT_DELIVERED', {}, 'lost'],
    ['FAILURE', {}, 'lost'],
    ['IN_TRANSIT', {}, 'in_transit'],
    ['OUT_FOR_DELIVERY', {}, 'in_transit'],
    ['ATTEMPTED_DELIVERY', {}, 'in_transit'],
    ['DELAYED', {}, 'in_transit'],
    ['CARRIER_PICKED_UP', {}, 'in_transit'],
    ['READY_FOR_PICKUP', {}, 'in_transit'],
    ['CONFIRMED', {}, 'in_transit'],
    ['FULFILLED', {}, 'in_transit'],
    ['MARKED_AS_FULFILLED', {}, 'in_transit'],
    ['LABEL_PRINTED', {}, 'pending'],
    ['LABEL_PURCHASED', {}, 'pending'],
    ['LABEL_PRINTED', { inTransitAt: '2026-11-04T00:00:00Z' }, 'in_transit'],
    ['SUBMITTED', {}, 'pending'],
    [null, {}, 'pending'],
  ];
  it.each(table)('%s %j', (displayStatus, over, expected) => {
    expect(shipmentStatus(fulfillment({ displayStatus, ...over }))).toBe(expected);
  });

  it('makes one shipment per tracking number, and one for a fulfillment without tracking', () => {
    const parcels = fulfillment({
      trackingInfo: [
        { number: '1Z1', company: 'UPS', url: null },
        { number: '1Z2', company: 'UPS', url: null },
      ],
    });
    const untracked = fulfillment({ trackingInfo: [], displayStatus: 'LABEL_PRINTED', estimatedDeliveryAt: null });
    expect(toShipments(order({ fulfillments: [parcels, untracked] }))).toEqual([
      { carrier: 'UPS', trackingNumber: '1Z1', status: 'in_transit', items: ['TEE-1'], estimatedDelivery: null },
      { carrier: 'UPS', trackingNumber: '1Z2', status: 'in_transit', items: ['TEE-1'], estimatedDelivery: null },
      { carrier: '', trackingNumber: '', status: 'pending', items: ['TEE-1'], estimatedDelivery: null },
    ]);
  });
});

describe('customs from the tracking events', () => {
  const at = (n: number) => `2026-11-0${n}T10:00:00Z`;
  const events = (...nodes: [string | null, string | null][]) =>
    fulfillment({
      events: { nodes: nodes.map(([status, message], i) => ({ status, message, happenedAt: at(9 - i) })) },
    });

  it.each<[string, string | null]>([
    ['Held by customs: import duties and taxes to be paid by the recipient', 'duties_unpaid'],
    ['Awaiting payment of import VAT (38.20 EUR) before customs release', 'duties_unpaid'],
    ['Shipment on hold at customs - documents required', 'held'],
    ['Delayed: customs inspection', 'held'],
    ['Returned by customs to sender', 'returned'],
    ['Refused by customs', 'returned'],
    ['Customs clearance complete', 'cleared'],
    ['Released by customs', 'cleared'],
    ['Customs clearance in progress', null],
    ['Arrived at sort facility', null],
  ])('%s → %s', (message, status) => {
    const customs = shipmentCustoms(events(['IN_TRANSIT', message]));
    expect(customs?.status ?? null).toBe(status);
    if (customs) expect(customs).toEqual({ status, detail: message, since: at(9) });
  });

  it('the newest event about customs decides, and a delivery after it ends the matter', () => {
    expect(shipmentCustoms(events(['IN_TRANSIT', 'Released by customs'], ['IN_TRANSIT', 'Held by customs']))).toEqual(
      expect.objectContaining({ status: 'cleared' }),
    );
    expect(shipmentCustoms(events(['IN_TRANSIT', 'Out for delivery'], ['IN_TRANSIT', 'Held by customs']))).toEqual(
      expect.objectContaining({ status: 'held', since: at(8) }),
    );
    expect(shipmentCustoms(events(['DELIVERED', 'Delivered'], ['IN_TRANSIT', 'Held by customs']))).toBeNull();
    expect(shipmentCustoms(fulfillment())).toBeNull();
  });

  it('puts it on the shipment, only when there is one', () => {
    const held = events(['IN_TRANSIT', 'Held by customs']);
    expect(toShipments(order({ fulfillments: [held, fulfillment()] }))).toEqual([
      expect.objectContaining({ customs: { status: 'held', detail: 'Held by customs', since: at(9) } }),
      expect.not.objectContaining({ customs: expect.anything() }),
    ]);
  });
});

describe('whose order it is', () => {
  it('matches the order e-mail or the customer e-mail, without regard to case or spaces', () => {
    expect(belongsTo({ email: 'Jane@Example.com', customer: null }, ' jane@example.COM ')).toBe(true);
    expect(belongsTo({ email: 'old@example.com', customer: { email: 'jane@example.com' } }, 'jane@example.com')).toBe(
      true,
    );
    expect(belongsTo({ email: 'omar@example.net', customer: { email: 'omar@example.net' } }, 'jane@example.com')).toBe(
      false,
    );
  });

  it('never matches when the shop hides the e-mail addresses (no protected customer data access)', () => {
    expect(belongsTo({ email: null, customer: { email: null } }, 'jane@example.com')).toBe(false);
    expect(belongsTo({ email: '', customer: null }, '')).toBe(false);
  });

  it("picks the customer's order by name, by number under another prefix, else their newest", () => {
    const mine = (name: string, email = 'jane@example.com') => ({ id: name, name, email, customer: null });
    const candidates = [mine('#1001', 'omar@example.net'), mine('#10011'), mine('#1001'), mine('#998')];
    const pick = (orderNumber: string | null) =>
      pickOrder(candidates, { orderNumber, customerEmail: 'JANE@example.com' })?.id ?? null;
    expect(pick('#1001')).toBe('#1001');
    expect(pickOrder(candidates, { orderNumber: '1001', customerEmail: 'jane@example.com' })).toBe(candidates[2]);
    expect(pick('SL-1001')).toBe('#1001');
    expect(pick('sl1001')).toBe('#1001');
    expect(pick('#1002')).toBeNull();
    expect(pick(null)).toBe('#10011');
    expect(pickOrder(candidates, { orderNumber: '#1001', customerEmail: 'nobody@example.com' })).toBeNull();
  });
});

describe('search strings', () => {
  it('asks for the shop name and what the customer wrote, quoted', () => {
    expect(nameSearch('#1001')).toBe('name:"#1001" OR name:"1001"');
    expect(nameSearch(' sl-1001 ')).toBe('name:"#1001" OR name:"SL-1001"');
    expect(nameSearch('1001-A')).toBe('name:"1001-A"');
    expect(nameSearch('#')).toBeNull();
  });

  it('keeps quotes and backslashes in a value from being read as syntax', () => {
    expect(emailSearch('Odd"Name\\@Example.com')).toBe('email:"odd\\"name\\\\@example.com"');
    expect(nameSearch('1" OR name:"2')).toBe('name:"1\\"ORNAME:\\"2"');
  });
});

describe('snapshot', () => {
  it('reads money as numbers, names the customer, tags VIPs and tells international orders', () => {
    const snapshot = toOrderSnapshot(
      order({
        totalPriceSet: { shopMoney: { amount: '112.40', currencyCode: 'CAD' } },
        shippingAddress: { countryCodeV2: 'ca' },
        customer: {
          id: 'gid://shopify/Customer/9',
          email: 'lucie@example.ca',
          firstName: 'Lucie',
          lastName: null,
          displayName: 'Lucie T.',
          tags: [' Vip '],
        },
        lineItems: {
          nodes: [
            {
              sku: null,
              name: 'Gift card',
              quantity: 1,
              originalUnitPriceSet: { shopMoney: { amount: '25.00', currencyCode: 'CAD' } },
            },
          ],
        },
      }),
      { vipTag: 'VIP', homeCountry: 'US' },
    );
    expect(snapshot).toMatchObject({
      total: 112.4,
      currency: 'CAD',
      shippingCountry: 'CA',
      international: true,
      lines: [{ sku: '', name: 'Gift card', quantity: 1, unitPrice: 25 }],
      customer: { customerId: 'gid://shopify/Customer/9', name: 'Lucie', vip: true, recentContacts: 0 },
    });
  });

  it('is not international without a shipping address', () => {
    const snapshot = toOrderSnapshot(order({ shippingAddress: null }), { vipTag: 'VIP', homeCountry: 'US' });
    expect(snapshot).toMatchObject({ shippingCountry: '', international: false });
  });
});
