import { Client } from 'pg';
import { testEnv } from './stack';

/** A plain pg client on the test database, for arranging data and checking what the apps stored. */
export async function connectDb(): Promise<Client> {
  const client = new Client({ connectionString: testEnv().databaseUrl });
  await client.connect();
  return client;
}

export async function insertCustomerWithOrder(
  db: Client,
  options: {
    email: string;
    orderNumber: string;
    vip?: boolean;
    total?: number;
    status?: string;
    country?: string;
    shipments?: {
      carrier: string;
      trackingNumber: string;
      status: string;
      items: string[];
      estimatedDelivery: string | null;
      customs?: { status: string; detail: string | null; since: string | null };
    }[];
  },
): Promise<void> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO customers (email, name, vip) VALUES ($1, $2, $3)
     ON CONFLICT (email) DO UPDATE SET vip = EXCLUDED.vip RETURNING id`,
    [options.email, 'Casey Example', options.vip ?? false],
  );
  const total = options.total ?? 48;
  await db.query(
    `INSERT INTO orders (order_number, customer_id, status, placed_at, total, currency, shipping_country, lines, shipments)
     VALUES ($1, $2, $3, now() - interval '3 days', $4, 'USD', $5, $6, $7)`,
    [
      options.orderNumber,
      rows[0]?.id,
      options.status ?? 'shipped',
      total,
      options.country ?? 'US',
      JSON.stringify([{ sku: 'TEE-001', name: 'Organic cotton T-shirt', quantity: 2, unitPrice: total / 2 }]),
      JSON.stringify(
        options.shipments ?? [
          {
            carrier: 'UPS',
            trackingNumber: '1Z999AA10123456784',
            status: 'in_transit',
            items: ['TEE-001'],
            estimatedDelivery: null,
          },
        ],
      ),
    ],
  );
}
