import type { DataSource } from 'typeorm';
import type { OrderLine, OrderSnapshot, Shipment, ShipmentCustoms } from '../../../domain';

/**
 * A demo store for `npm start`: a few hundred customers and orders in every shape support meets —
 * statuses, tracking, split shipments, international shipping (some held at customs), high-value orders, VIPs and
 * earlier contacts.
 * Deterministic (seeded PRNG), and idempotent: order numbers and emails are unique, re-running adds nothing.
 */
export async function seedDemoStore(
  db: DataSource,
  options: { customers?: number; now?: Date } = {},
): Promise<{ customers: number; orders: number }> {
  const customerCount = options.customers ?? 300;
  const now = options.now ?? new Date();
  const random = mulberry32(20261127);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  const customers: { email: string; name: string; vip: boolean }[] = [];
  const orders: Record<string, unknown>[] = [];
  for (let i = 1; i <= customerCount; i++) {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const email = `${first}.${last}.${i}@example.com`.toLowerCase();
    customers.push({ email, name: `${first} ${last}`, vip: i % 17 === 0 });
    const orderCount = 1 + Math.floor(random() * 2);
    for (let k = 0; k < orderCount; k++) {
      const number = 10000 + orders.length + 1;
      const international = random() < 0.15;
      const highValue = random() < 0.06;
      const lines = makeLines(random, pick, highValue);
      const total = Math.round(lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0) * 100) / 100;
      const status = pick(STATUSES);
      const placedAt = new Date(now.getTime() - Math.floor(random() * 60) * 86_400_000 - 3_600_000);
      orders.push({
        order_number: `SL-${number}`,
        email,
        status,
        placed_at: placedAt.toISOString(),
        total,
        currency: 'USD',
        shipping_country: international ? pick(['CA', 'GB', 'DE', 'FR', 'AU', 'MX']) : 'US',
        lines: JSON.stringify(lines),
        shipments: JSON.stringify(
          withCustoms(makeShipments(random, status, lines, placedAt, number), international, number, placedAt),
        ),
      });
    }
  }

  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO customers (email, name, vip)
       SELECT x.email, x.name, x.vip FROM jsonb_to_recordset($1::jsonb) AS x(email text, name text, vip boolean)
       ON CONFLICT (email) DO NOTHING`,
      [JSON.stringify(customers)],
    );
    await tx.query(
      `INSERT INTO orders (order_number, customer_id, status, placed_at, total, currency, shipping_country, lines, shipments)
       SELECT x.order_number, c.id, x.status, x.placed_at, x.total, x.currency, x.shipping_country, x.lines::jsonb, x.shipments::jsonb
         FROM jsonb_to_recordset($1::jsonb) AS x(order_number text, email text, status text, placed_at timestamptz,
              total numeric, currency text, shipping_country text, lines text, shipments text)
         JOIN customers c ON c.email = x.email
       ON CONFLICT (order_number) DO NOTHING`,
      [JSON.stringify(orders)],
    );
    // Earlier contacts: every 11th order already had a (closed) ticket about it last week.
    await tx.query(
      `INSERT INTO tickets (id, workflow_id, status, customer_email, subject, order_number, created_at, closed_at)
       SELECT md5('demo-contact:' || o.order_number)::uuid, 'ticket-demo-contact-' || o.order_number, 'resolved',
              c.email, 'Question about ' || o.order_number, o.order_number, $1::timestamptz, $1::timestamptz
         FROM orders o JOIN customers c ON c.id = o.customer_id
        WHERE substring(o.order_number from 4)::int % 11 = 0
       ON CONFLICT (id) DO NOTHING`,
      [new Date(now.getTime() - 7 * 86_400_000).toISOString()],
    );
  });
  return { customers: customers.length, orders: orders.length };
}

const FIRST_NAMES = [
  'Ava',
  'Noah',
  'Mia',
  'Liam',
  'Zoe',
  'Ethan',
  'Lena',
  'Omar',
  'Priya',
  'Kenji',
  'Sofia',
  'Mateo',
  'Amara',
  'Jonas',
  'Chloe',
  'Ravi',
] as const;
const LAST_NAMES = [
  'Garcia',
  'Smith',
  'Nguyen',
  'Okafor',
  'Muller',
  'Rossi',
  'Tanaka',
  'Silva',
  'Khan',
  'Dubois',
  'Novak',
  'Larsen',
] as const;
const STATUSES: OrderSnapshot['status'][] = [
  'paid',
  'shipped',
  'shipped',
  'partially_shipped',
  'delivered',
  'delivered',
  'delivered',
  'cancelled',
  'refunded',
  'pending',
];
const CATALOG: readonly [string, string, number][] = [
  ['TEE-001', 'Organic cotton T-shirt', 24],
  ['HOOD-002', 'Recycled fleece hoodie', 68],
  ['MUG-003', 'Stoneware mug', 18],
  ['BAG-004', 'Canvas weekender bag', 120],
  ['LAMP-005', 'Brass desk lamp', 145],
  ['KNIFE-006', 'Chef knife', 210],
  ['SOFA-007', 'Linen two-seat sofa', 1890],
  ['BIKE-008', 'Commuter e-bike', 2450],
];

function makeLines(random: () => number, pick: <T>(items: readonly T[]) => T, highValue: boolean): OrderLine[] {
  const count = 1 + Math.floor(random() * 3);
  const lines: OrderLine[] = [];
  for (let i = 0; i < count; i++) {
    const [sku, name, unitPrice] =
      highValue && i === 0
        ? (CATALOG[6 + Math.floor(random() * 2)] as [string, string, number])
        : pick(CATALOG.slice(0, 6));
    if (lines.some((l) => l.sku === sku)) continue;
    lines.push({ sku, name, quantity: 1 + Math.floor(random() * 2), unitPrice });
  }
  return lines;
}

function makeShipments(
  random: () => number,
  status: OrderSnapshot['status'],
  lines: OrderLine[],
  placedAt: Date,
  number: number,
): Shipment[] {
  if (status === 'pending' || status === 'paid' || status === 'cancelled') return [];
  const split = lines.length > 1 && (status === 'partially_shipped' || random() < 0.3);
  const groups = split ? [lines.slice(0, 1), lines.slice(1)] : [lines];
  return groups.map((group, index) => {
    const shipmentStatus: Shipment['status'] =
      status === 'delivered' || status === 'refunded'
        ? 'delivered'
        : status === 'partially_shipped' && index > 0
          ? 'pending'
          : split && index > 0 && random() < 0.3
            ? 'lost'
            : 'in_transit';
    const eta = new Date(placedAt.getTime() + (5 + index * 2) * 86_400_000);
    return {
      carrier: index % 2 === 0 ? 'UPS' : 'USPS',
      trackingNumber:
        index % 2 === 0
          ? `1Z999AA1${String(number * 10 + index).padStart(10, '0')}`
          : `9400${String(number * 1000 + index).padStart(18, '0')}`,
      status: shipmentStatus,
      items: group.map((l) => l.sku),
      estimatedDelivery: shipmentStatus === 'delivered' ? null : eta.toISOString().slice(0, 10),
    };
  });
}

const CUSTOMS_CASES: readonly ShipmentCustoms[] = [
  { status: 'held', detail: 'Held by customs: commercial invoice required', since: null },
  { status: 'duties_unpaid', detail: 'Awaiting payment of import duties and taxes by the recipient', since: null },
  { status: 'returned', detail: 'Refused by customs, returning to sender', since: null },
];

/**
 * Customs for international parcels, chosen by order number (no draw from the PRNG, so every other order stays as
 * it was): every fourth parcel on its way is held, waits for duties or was returned by customs; every fifth
 * delivered one shows its clearance.
 */
export function withCustoms(shipments: Shipment[], international: boolean, number: number, placedAt: Date): Shipment[] {
  if (!international) return shipments;
  const since = new Date(placedAt.getTime() + 3 * 86_400_000).toISOString();
  return shipments.map((s) => {
    if (s.status === 'in_transit' && number % 4 === 0) {
      const customs = CUSTOMS_CASES[Math.floor(number / 4) % CUSTOMS_CASES.length] as ShipmentCustoms;
      return { ...s, customs: { ...customs, since } };
    }
    if (s.status === 'delivered' && number % 5 === 0) {
      return { ...s, customs: { status: 'cleared', detail: 'Released by customs', since } };
    }
    return s;
  });
}

/** Small deterministic PRNG so every developer sees the same demo store. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
