import type { DataSource } from 'typeorm';
import { normalizeOrderNumber, type OrderLookup, type OrderSnapshot } from '../../../domain';

interface OrderRow {
  order_number: string;
  status: OrderSnapshot['status'];
  placed_at: Date;
  total: string;
  currency: string;
  shipping_country: string;
  lines: OrderSnapshot['lines'];
  shipments: OrderSnapshot['shipments'];
  customer_id: string;
  name: string;
  email: string;
  vip: boolean;
}

/** The built-in order system: orders and customers stored in Seamline's own PostgreSQL. */
export class OrderRepository implements OrderLookup {
  constructor(
    private readonly db: DataSource,
    private readonly homeCountry = 'US',
  ) {}

  async findOrder(query: Parameters<OrderLookup['findOrder']>[0]): Promise<OrderSnapshot | null> {
    const orderNumber = query.orderNumber ? storeOrderNumber(query.orderNumber) : null;
    const rows: OrderRow[] = await this.db.query(
      `SELECT o.order_number, o.status, o.placed_at, o.total, o.currency, o.shipping_country, o.lines, o.shipments,
              c.id AS customer_id, c.name, c.email, c.vip
         FROM orders o JOIN customers c ON c.id = o.customer_id
        WHERE lower(c.email) = lower($1) AND ($2::text IS NULL OR o.order_number = $2)
        ORDER BY o.placed_at DESC
        LIMIT 1`,
      [query.customerEmail, orderNumber],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      orderNumber: row.order_number,
      status: row.status,
      placedAt: row.placed_at.toISOString(),
      total: Number(row.total),
      currency: row.currency,
      lines: row.lines,
      shipments: row.shipments,
      shippingCountry: row.shipping_country,
      international: row.shipping_country !== this.homeCountry,
      customer: {
        customerId: row.customer_id,
        name: row.name,
        email: row.email,
        vip: row.vip,
        recentContacts: 0,
      },
    };
  }
}

/** The built-in store numbers orders `SL-10001`; customers also write `#sl10001` or `SL 10001`. */
export function storeOrderNumber(raw: string): string {
  const normalized = normalizeOrderNumber(raw);
  const match = /^SL-?(\d+)$/.exec(normalized);
  return match ? `SL-${match[1]}` : normalized;
}
