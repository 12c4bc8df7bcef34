/** Shared fixtures for the triage specs (pure data). */
import type { OrderSnapshot, StorePolicy } from './triage.types';

export const POLICY: StorePolicy = {
  storeName: 'Acme Outfitters',
  returnWindowDays: 30,
  refundProcessingDays: 5,
  domesticShippingDays: '3-5 business days',
  internationalShippingDays: '7-14 business days',
  supportSignature: 'Acme Outfitters Support (support@acme.example)',
  accountHelp: 'Sign in and open "My account" to change your details, or choose "Forgot password?" to set a new one.',
};

export function order(over: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    orderNumber: '1001',
    status: 'shipped',
    placedAt: '2025-03-02T10:15:00Z',
    total: 59.9,
    currency: 'USD',
    lines: [{ sku: 'MUG-1', name: 'Mug', quantity: 2, unitPrice: 29.95 }],
    shipments: [
      {
        carrier: 'UPS',
        trackingNumber: '1Z999AA10123456784',
        status: 'in_transit',
        items: ['MUG-1'],
        estimatedDelivery: '2025-03-07',
      },
    ],
    shippingCountry: 'US',
    international: false,
    customer: { customerId: 'C1', name: 'Jane Roe', email: 'jane@example.com', vip: false, recentContacts: 0 },
    ...over,
  };
}
