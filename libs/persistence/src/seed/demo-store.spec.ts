import type { DataSource } from 'typeorm';
import type { Shipment } from '../../../domain';
import { seedDemoStore, withCustoms } from './demo-store';

/** The rows the seed would insert, without a database: the parameters of its INSERTs. */
async function seededOrders(): Promise<{ order_number: string; shipping_country: string; shipments: string }[]> {
  const params: unknown[][] = [];
  const db = {
    transaction: async (fn: (tx: { query: (sql: string, p: unknown[]) => Promise<void> }) => Promise<void>) =>
      fn({ query: async (_sql, p) => void params.push(p) }),
  } as unknown as DataSource;
  await seedDemoStore(db, { now: new Date('2026-12-01T12:00:00Z') });
  return JSON.parse(String(params[1]?.[0]));
}

const parcel = (status: Shipment['status']): Shipment => ({
  carrier: 'UPS',
  trackingNumber: '1Z999AA10000000001',
  status,
  items: ['TEE-001'],
  estimatedDelivery: null,
});

describe('demo store: customs', () => {
  it('holds some international parcels at customs, in each state the router escalates, and clears some', async () => {
    const orders = await seededOrders();
    const found = new Map<string, string[]>();
    for (const o of orders) {
      for (const s of JSON.parse(o.shipments) as Shipment[]) {
        if (!s.customs) continue;
        expect(o.shipping_country).not.toBe('US');
        found.set(s.customs.status, [...(found.get(s.customs.status) ?? []), o.order_number]);
      }
    }
    expect([...found.keys()].sort()).toEqual(['cleared', 'duties_unpaid', 'held', 'returned']);
  });

  it('leaves domestic parcels and parcels it does not pick alone', () => {
    const placed = new Date('2026-11-20T00:00:00Z');
    expect(withCustoms([parcel('in_transit')], false, 10004, placed)).toEqual([parcel('in_transit')]);
    expect(withCustoms([parcel('in_transit')], true, 10001, placed)).toEqual([parcel('in_transit')]);
    expect(withCustoms([parcel('in_transit')], true, 10008, placed)[0]?.customs).toEqual({
      status: 'held',
      detail: expect.any(String),
      since: '2026-11-23T00:00:00.000Z',
    });
  });
});
