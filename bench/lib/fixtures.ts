/** Synthetic order/policy fixtures shared by the benches. Pure data, no I/O. */
import type { OrderSnapshot, StorePolicy } from '../../libs/domain';

export const BENCH_POLICY: StorePolicy = {
  storeName: 'Seamline Demo Store',
  returnWindowDays: 30,
  refundProcessingDays: 5,
  domesticShippingDays: '3-5 business days',
  internationalShippingDays: '7-14 business days',
  supportSignature: 'The Seamline Demo Store support team',
  accountHelp:
    'You can look after your account yourself: sign in and open \u201cMy account\u201d to change your name, address or e-mail address. If you have forgotten your password, choose \u201cForgot password?\u201d on the sign-in page and we will e-mail you a link to set a new one. If something there does not work as it should, simply reply to this e-mail.',
};

/** A clean order: domestic, low value, not VIP, no earlier contacts, one shipment in transit. */
export function cleanOrder(orderNumber = 'SL-10001'): OrderSnapshot {
  return {
    orderNumber,
    status: 'shipped',
    placedAt: '2025-03-02T10:15:00Z',
    total: 59.9,
    currency: 'USD',
    lines: [{ sku: 'TSHIRT-M-BLU', name: 'Cotton T-shirt (M, blue)', quantity: 2, unitPrice: 29.95 }],
    shipments: [
      {
        carrier: 'UPS',
        trackingNumber: '1Z999AA10123456784',
        status: 'in_transit',
        items: ['TSHIRT-M-BLU'],
        estimatedDelivery: '2025-03-07',
      },
    ],
    shippingCountry: 'US',
    international: false,
    customer: { customerId: 'C-1', name: 'Alex Doe', email: 'alex@example.com', vip: false, recentContacts: 0 },
  };
}
