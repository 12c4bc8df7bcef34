/**
 * The Shopify order adapter against a real HTTP server on 127.0.0.1 that speaks the Admin GraphQL API: it answers
 * the adapter's two queries from the order fixtures in test/fixtures/shopify/orders (written from the documented
 * schema, no real shop data), filtering by Shopify search syntax, and serves scripted failures from
 * test/fixtures/shopify/answers. Then once end to end: the built worker and API with ORDER_SOURCE=shopify.
 */
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTicketActivities, type TicketActivityDeps } from '../../activities';
import {
  DEFAULT_ROUTING_POLICY,
  PermanentOrderLookupError,
  RetryableOrderLookupError,
  type OrderSnapshot,
} from '../../libs/domain';
import { ShopifyOrderLookup, type ShopifySettings } from '../../libs/integrations';
import { startE2eStack, type E2eStack } from '../support/e2e';
import { eventually } from '../support/eventually';
import { json, type Json } from '../support/http';

const FIXTURES = join(__dirname, '..', 'fixtures', 'shopify');
const TOKEN = 'shpat_test_0123456789abcdef0123456789abcdef';
const VERSION = '2026-10';
const JANE = 'jane.doe@example.com';
const OMAR = 'omar.haddad@example.net';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ShopifyOrderJson = any;

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, 'answers', name), 'utf8'));
}

/** A scripted answer to the next request, instead of the store's. */
interface Scripted {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  operation: string;
  variables: Record<string, unknown>;
}

/** Cost report Shopify adds to every answer (a Standard plan bucket, nearly full). */
function cost(requested: number) {
  return {
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: Math.min(requested, 12),
      throttleStatus: { maximumAvailable: 2000.0, currentlyAvailable: 1988, restoreRate: 100.0 },
    },
  };
}

/** The subset of Shopify search syntax the adapter sends: `field:"value"` terms joined by OR. */
function matches(order: ShopifyOrderJson, search: string): boolean {
  const terms = [...search.matchAll(/(\w+):"((?:[^"\\]|\\.)*)"/g)].map(([, field, value]) => ({
    field,
    value: (value ?? '').replace(/\\(.)/g, '$1').toLowerCase(),
  }));
  if (terms.length === 0) throw new Error(`fake Shopify cannot read the search ${search}`);
  return terms.some(({ field, value }) => {
    if (field === 'name') return String(order.name).toLowerCase() === value;
    if (field === 'email') return String(order.email ?? '').toLowerCase() === value;
    throw new Error(`fake Shopify has no search field ${field}`);
  });
}

class FakeShopify {
  readonly seen: Seen[] = [];
  private readonly scripted: Scripted[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly orders: ShopifyOrderJson[] = readdirSync(join(FIXTURES, 'orders'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(FIXTURES, 'orders', f), 'utf8')));

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeShopify> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const fake = new FakeShopify(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        const answer = fake.answer(req.url ?? '', req.headers, raw);
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
          res.end(JSON.stringify(answer.body));
        };
        if (!answer.delayMs) return send();
        const timer = setTimeout(() => {
          fake.timers.delete(timer);
          send();
        }, answer.delayMs);
        fake.timers.add(timer);
      });
    });
    return fake;
  }

  script(...answers: Scripted[]): void {
    this.scripted.push(...answers);
  }

  get pending(): number {
    return this.scripted.length;
  }

  reset(): void {
    this.seen.length = 0;
    this.scripted.length = 0;
  }

  private answer(path: string, headers: IncomingHttpHeaders, raw: string): Scripted {
    const request = JSON.parse(raw) as { query: string; variables: Record<string, unknown> };
    const operation = /query\s+(\w+)/.exec(request.query)?.[1] ?? '';
    this.seen.push({ path, headers, operation, variables: request.variables });
    const scripted = this.scripted.shift();
    if (scripted) return scripted;
    if (path !== `/admin/api/${VERSION}/graphql.json`) return { status: 404, body: { errors: 'Not Found' } };
    if (headers['x-shopify-access-token'] !== TOKEN) return { status: 401, body: fixture('invalid-token-401.json') };
    if (operation === 'SeamlineFindOrders') {
      const nodes = this.orders
        .filter((o) => matches(o, String(request.variables.query)))
        .sort((a, b) => String(b.processedAt).localeCompare(String(a.processedAt)))
        .slice(0, Number(request.variables.first))
        .map((o) => ({ id: o.id, name: o.name, email: o.email, customer: o.customer && { email: o.customer.email } }));
      return { status: 200, body: { data: { orders: { nodes } }, extensions: cost(22) } };
    }
    if (operation === 'SeamlineOrder') {
      const order = this.orders.find((o) => o.id === request.variables.id) ?? null;
      return { status: 200, body: { data: { order }, extensions: cost(652) } };
    }
    return { status: 200, body: { errors: [{ message: `unknown operation ${operation}` }] } };
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let shop: FakeShopify;

function settings(over: Partial<ShopifySettings> = {}): ShopifySettings {
  return {
    shop: 'seamline-test.myshopify.com',
    accessToken: TOKEN,
    apiVersion: VERSION,
    baseUrl: shop.baseUrl,
    vipTag: 'VIP',
    homeCountry: 'US',
    timeoutMs: 2_000,
    ...over,
  };
}

function lookup(over: Partial<ShopifySettings> = {}): ShopifyOrderLookup {
  return new ShopifyOrderLookup(settings(over));
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: Error) => error,
  );
}

/** What Temporal would record: the fetchOrder activity over the adapter (the contact history counts nothing). */
function fetchOrder(orders: ShopifyOrderLookup, orderNumber: string | null, customerEmail = JANE) {
  const deps = {
    orders,
    contacts: { earlierContacts: async () => 0 },
    routingPolicy: DEFAULT_ROUTING_POLICY,
  } as unknown as TicketActivityDeps;
  return createTicketActivities(deps).fetchOrder({ ticketId: randomUUID(), orderNumber, customerEmail });
}

/** No failure message may carry the token or a customer's address. */
function expectNoSecrets(error: Error): void {
  expect(error.message).not.toContain(TOKEN);
  expect(error.message).not.toMatch(/@example\./);
}

describe('ShopifyOrderLookup', () => {
  beforeAll(async () => {
    shop = await FakeShopify.start();
  });
  afterAll(async () => {
    await shop.close();
  });
  beforeEach(() => shop.reset());
  afterEach(() => {
    // every scripted answer was served: no test passes because a request never happened
    expect(shop.pending).toBe(0);
  });

  it('finds an order by name and maps it, however the customer writes the number', async () => {
    const expected: OrderSnapshot = {
      orderNumber: '#1001',
      status: 'shipped',
      placedAt: '2026-11-02T14:03:10.000Z',
      total: 58,
      currency: 'USD',
      lines: [{ sku: 'TEE-ORG-M', name: 'Organic cotton T-shirt - M', quantity: 2, unitPrice: 24 }],
      shipments: [
        {
          carrier: 'UPS',
          trackingNumber: '1Z999AA10123456784',
          status: 'in_transit',
          items: ['TEE-ORG-M'],
          estimatedDelivery: '2026-11-06T20:00:00Z',
        },
      ],
      shippingCountry: 'US',
      international: false,
      customer: {
        customerId: 'gid://shopify/Customer/7301000000001',
        name: 'Jane Doe',
        email: JANE,
        vip: false,
        recentContacts: 0,
      },
    };
    for (const written of ['#1001', '1001', 'SL-1001', ' #1001 ']) {
      expect(await lookup().findOrder({ orderNumber: written, customerEmail: JANE })).toEqual(expected);
    }

    const [search, read] = shop.seen;
    expect(search).toMatchObject({
      path: `/admin/api/${VERSION}/graphql.json`,
      operation: 'SeamlineFindOrders',
      variables: { query: 'name:"#1001" OR name:"1001"', first: 10 },
    });
    expect(search?.headers['x-shopify-access-token']).toBe(TOKEN);
    expect(search?.headers['content-type']).toBe('application/json');
    expect(read).toMatchObject({ operation: 'SeamlineOrder', variables: { id: 'gid://shopify/Order/5829461001001' } });
    expect(shop.seen.find((s) => s.variables.query === 'name:"#1001" OR name:"SL-1001"')).toBeDefined();
  });

  it("finds the customer's newest order by e-mail when no number is given, whatever the case", async () => {
    const order = await lookup().findOrder({ orderNumber: null, customerEmail: 'JANE.Doe@example.com' });
    // #1004 carries the address as "Jane.Doe@Example.com" and is newer than #1001 and #1002.
    expect(order).toMatchObject({ orderNumber: '#1004', status: 'paid', shipments: [] });
    expect(shop.seen[0]?.variables.query).toBe(`email:"${JANE}"`);
  });

  it("refuses another customer's order even when the number matches, and never reads it", async () => {
    expect(await lookup().findOrder({ orderNumber: '#1003', customerEmail: JANE })).toBeNull();
    expect(shop.seen.map((s) => s.operation)).toEqual(['SeamlineFindOrders']);
    // Omar, the owner, gets it.
    expect(await lookup().findOrder({ orderNumber: '1003', customerEmail: OMAR })).toMatchObject({
      orderNumber: '#1003',
      customer: { email: OMAR, name: 'Omar Haddad' },
    });
  });

  it('maps a split shipment: two fulfillments, two carriers, one line not shipped yet', async () => {
    const order = await lookup().findOrder({ orderNumber: '#1002', customerEmail: JANE });
    expect(order?.status).toBe('partially_shipped');
    expect(order?.lines.map((l) => l.sku)).toEqual(['BOOT-HK-42', 'SOCK-WL-3P', 'LACE-RD']);
    expect(order?.total).toBe(187.5);
    expect(order?.shipments).toEqual([
      {
        carrier: 'UPS',
        trackingNumber: '1Z999AA10123456791',
        status: 'delivered',
        items: ['BOOT-HK-42'],
        estimatedDelivery: null,
      },
      {
        carrier: 'USPS',
        trackingNumber: '9400111899223197428490',
        status: 'in_transit',
        items: ['SOCK-WL-3P'],
        estimatedDelivery: '2026-11-18T20:00:00Z',
      },
    ]);
  });

  it('maps a cancelled order and a cancelled, refunded one', async () => {
    expect(await lookup().findOrder({ orderNumber: '#1005', customerEmail: OMAR })).toMatchObject({
      orderNumber: '#1005',
      status: 'cancelled',
    });
    expect(await lookup().findOrder({ orderNumber: '#1006', customerEmail: OMAR })).toMatchObject({
      orderNumber: '#1006',
      status: 'refunded',
    });
  });

  it('marks a VIP by the configured customer tag, without regard to case', async () => {
    const priya = 'priya.raman@example.org';
    // Her tags are ["Wholesale", "vip "].
    expect(await lookup().findOrder({ orderNumber: '#1007', customerEmail: priya })).toMatchObject({
      status: 'delivered',
      total: 1240,
      customer: { vip: true, name: 'Priya Raman' },
    });
    expect(
      (await lookup({ vipTag: 'Gold' }).findOrder({ orderNumber: '#1007', customerEmail: priya }))?.customer.vip,
    ).toBe(false);
    expect((await lookup().findOrder({ orderNumber: '#1001', customerEmail: JANE }))?.customer.vip).toBe(false);
  });

  it("tells an international order by the shop's home country", async () => {
    const lucie = 'lucie.tremblay@example.ca';
    expect(await lookup().findOrder({ orderNumber: '#1008', customerEmail: lucie })).toMatchObject({
      shippingCountry: 'CA',
      international: true,
      currency: 'CAD',
      total: 112.4,
      status: 'shipped',
      shipments: [{ carrier: 'Canada Post', trackingNumber: 'LX123456789CA', status: 'in_transit' }],
    });
    expect(
      (await lookup({ homeCountry: 'CA' }).findOrder({ orderNumber: '#1008', customerEmail: lucie }))?.international,
    ).toBe(false);
  });

  it('reads customs from the carrier events: a parcel held for duties is customs_issue for the router', async () => {
    const order = await lookup({ homeCountry: 'US' }).findOrder({
      orderNumber: '#1009',
      customerEmail: 'jonas.becker@example.de',
    });
    expect(order).toMatchObject({
      shippingCountry: 'DE',
      international: true,
      shipments: [
        {
          carrier: 'DHL Express',
          trackingNumber: 'JD014600006281230101',
          status: 'in_transit',
          customs: {
            status: 'duties_unpaid',
            detail: 'Held by customs: import duties and taxes to be paid by the recipient',
            since: '2026-11-17T07:12:00Z',
          },
        },
      ],
    });
    // An order whose carrier events say nothing of customs has no customs state.
    const plain = await lookup().findOrder({ orderNumber: '#1008', customerEmail: 'lucie.tremblay@example.ca' });
    expect(plain?.shipments[0]).not.toHaveProperty('customs');
  });

  it('answers null when there is no such order, or no order of this customer', async () => {
    expect(await lookup().findOrder({ orderNumber: '#9999', customerEmail: JANE })).toBeNull();
    expect(await lookup().findOrder({ orderNumber: null, customerEmail: 'nobody@example.com' })).toBeNull();
    expect(await lookup().findOrder({ orderNumber: '#1001', customerEmail: '' })).toBeNull();
    expect(shop.seen.map((s) => s.operation)).toEqual(['SeamlineFindOrders', 'SeamlineFindOrders']);
  });

  describe('failures, as the adapter throws them and as the fetchOrder activity hands them to Temporal', () => {
    it('429 with Retry-After: retryable after the wait Shopify asked for', async () => {
      const rateLimited = { status: 429, headers: { 'retry-after': '2.0' }, body: fixture('rate-limited-429.json') };
      shop.script(rateLimited, rateLimited);
      const error = await failure(lookup().findOrder({ orderNumber: '#1001', customerEmail: JANE }));
      expect(error).toBeInstanceOf(RetryableOrderLookupError);
      expect(error).toMatchObject({ status: 429, retryAfterMs: 2_000 });
      expectNoSecrets(error);

      const activity = await failure(fetchOrder(lookup(), '#1001'));
      expect(activity).toBeInstanceOf(ApplicationFailure);
      expect(activity).toMatchObject({ type: 'RetryableOrderLookupError', nonRetryable: false, nextRetryDelay: 2_000 });
    });

    it('200 with a THROTTLED error: retryable after the time the cost bucket needs to refill', async () => {
      const throttled = { status: 200, body: fixture('throttled.json') };
      shop.script(throttled, throttled);
      // requested 652, available 52, restoring 100 points a second: 6 s.
      const error = await failure(lookup().findOrder({ orderNumber: null, customerEmail: JANE }));
      expect(error).toBeInstanceOf(RetryableOrderLookupError);
      expect(error).toMatchObject({ retryAfterMs: 6_000 });
      expect(error.message).toMatch(/THROTTLED/);

      const activity = await failure(fetchOrder(lookup(), null));
      expect(activity).toMatchObject({ type: 'RetryableOrderLookupError', nonRetryable: false, nextRetryDelay: 6_000 });
    });

    it('401: permanent, a non-retryable failure that names the setting and not the token', async () => {
      const wrongToken = 'shpat_revoked_ffffffffffffffffffffffff';
      const error = await failure(
        lookup({ accessToken: wrongToken }).findOrder({ orderNumber: '#1001', customerEmail: JANE }),
      );
      expect(error).toBeInstanceOf(PermanentOrderLookupError);
      expect(error).toMatchObject({ status: 401 });
      expect(error.message).toMatch(/SHOPIFY_ACCESS_TOKEN/);
      expect(error.message).not.toContain(wrongToken);
      expectNoSecrets(error);

      const activity = await failure(fetchOrder(lookup({ accessToken: wrongToken }), '#1001'));
      expect(activity).toBeInstanceOf(ApplicationFailure);
      expect(activity).toMatchObject({ type: 'PermanentOrderLookupError', nonRetryable: true });
      expect(activity.message).not.toContain(wrongToken);
    });

    it('403 and an ACCESS_DENIED answer: permanent, with the customer data masked', async () => {
      shop.script({ status: 403, body: { errors: 'Forbidden' } });
      const forbidden = await failure(lookup().findOrder({ orderNumber: '#1001', customerEmail: JANE }));
      expect(forbidden).toBeInstanceOf(PermanentOrderLookupError);
      expect(forbidden).toMatchObject({ status: 403 });

      shop.script({ status: 200, body: fixture('access-denied.json') });
      const denied = await failure(lookup().findOrder({ orderNumber: '#1001', customerEmail: JANE }));
      expect(denied).toBeInstanceOf(PermanentOrderLookupError);
      expect(denied.message).toMatch(/ACCESS_DENIED/);
      expectNoSecrets(denied);
    });

    it('500: retryable, with Temporal backoff (no wait given); a 503 Retry-After is kept', async () => {
      shop.script(
        { status: 500, body: fixture('internal-error-500.json') },
        { status: 500, body: fixture('internal-error-500.json') },
      );
      const error = await failure(lookup().findOrder({ orderNumber: '#1001', customerEmail: JANE }));
      expect(error).toBeInstanceOf(RetryableOrderLookupError);
      expect(error).toMatchObject({ status: 500, retryAfterMs: undefined });
      // The activity rethrows it as it is: Temporal retries it as a retryable failure with its own backoff.
      expect(await failure(fetchOrder(lookup(), '#1001'))).toBeInstanceOf(RetryableOrderLookupError);

      shop.script({ status: 503, headers: { 'retry-after': '30' }, body: { errors: 'Service Unavailable' } });
      expect(await failure(lookup().findOrder({ orderNumber: '#1001', customerEmail: JANE }))).toMatchObject({
        status: 503,
        retryAfterMs: 30_000,
      });
    });

    it('a shop that does not answer in time: retryable, within the timeout', async () => {
      shop.script({ status: 200, body: { data: { orders: { nodes: [] } } }, delayMs: 1_500 });
      const started = Date.now();
      const error = await failure(lookup({ timeoutMs: 300 }).findOrder({ orderNumber: '#1001', customerEmail: JANE }));
      expect(Date.now() - started).toBeLessThan(1_400);
      expect(error).toBeInstanceOf(RetryableOrderLookupError);
      expect(error.message).toMatch(/no answer within 300 ms/);
    });

    it('bounds the whole lookup, both requests together, by the timeout', async () => {
      const candidate = {
        id: 'gid://shopify/Order/5829461001001',
        name: '#1001',
        email: JANE,
        customer: { email: JANE },
      };
      shop.script(
        { status: 200, body: { data: { orders: { nodes: [candidate] } } }, delayMs: 300 },
        { status: 200, body: { data: { order: null } }, delayMs: 1_500 },
      );
      const started = Date.now();
      const error = await failure(lookup({ timeoutMs: 600 }).findOrder({ orderNumber: '#1001', customerEmail: JANE }));
      expect(Date.now() - started).toBeLessThan(1_400);
      expect(error).toBeInstanceOf(RetryableOrderLookupError);
      expect(shop.seen.map((s) => s.operation)).toEqual(['SeamlineFindOrders', 'SeamlineOrder']);
    });

    it('a shop that cannot be reached: retryable', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const error = await failure(
        lookup({ baseUrl: `http://127.0.0.1:${port}` }).findOrder({ orderNumber: '#1001', customerEmail: JANE }),
      );
      expect(error).toBeInstanceOf(RetryableOrderLookupError);
      expect(error.message).toMatch(/unreachable/);
    });

    it('a redirect: permanent, never followed (it would carry the token elsewhere)', async () => {
      shop.script({ status: 301, headers: { location: 'https://shop.example.com/admin' }, body: {} });
      const error = await failure(lookup().findOrder({ orderNumber: '#1001', customerEmail: JANE }));
      expect(error).toBeInstanceOf(PermanentOrderLookupError);
      expect(error).toMatchObject({ status: 301 });
      expect(error.message).toMatch(/redirected/);
      expect(shop.seen).toHaveLength(1);
    });

    it('a wrong API version or shop address (404): permanent, naming the settings', async () => {
      const error = await failure(
        lookup({ apiVersion: '2019-04' }).findOrder({ orderNumber: '#1001', customerEmail: JANE }),
      );
      expect(error).toBeInstanceOf(PermanentOrderLookupError);
      expect(error.message).toMatch(/SHOPIFY_SHOP and SHOPIFY_API_VERSION/);
    });
  });
});

describe('ORDER_SOURCE=shopify end to end', () => {
  let stack: E2eStack;

  beforeAll(async () => {
    shop = await FakeShopify.start();
    stack = await startE2eStack({
      ORDER_SOURCE: 'shopify',
      SHOPIFY_SHOP: 'seamline-test.myshopify.com',
      SHOPIFY_ACCESS_TOKEN: TOKEN,
      SHOPIFY_API_VERSION: VERSION,
      SHOPIFY_BASE_URL: shop.baseUrl,
      SHOPIFY_TIMEOUT_MS: '2000',
    });
  });
  afterAll(async () => {
    await stack?.close();
    await shop?.close();
  });

  it("shows the shop's order in the briefing of a customer's e-mail", async () => {
    const res = await stack.post('/tickets', {
      messageId: `<${randomUUID()}@mail.example.com>`,
      from: { email: JANE, name: 'Jane Doe' },
      subject: 'Where is my order?',
      text: 'Hi, where is my order #1002? One parcel arrived, the socks did not. Thanks, Jane',
    });
    expect(res.status).toBe(201);
    const { ticketId } = await json(res);

    const ticket: Json = await eventually(async () => {
      const current = await stack.ticket(ticketId);
      expect(current.route).not.toBeNull();
      return current;
    }, 60_000);
    expect(ticket.order).toMatchObject({
      orderNumber: '#1002',
      status: 'partially_shipped',
      customer: { customerId: 'gid://shopify/Customer/7301000000001', email: JANE },
    });
    expect(ticket.order.shipments.map((s: Json) => s.trackingNumber)).toEqual([
      '1Z999AA10123456791',
      '9400111899223197428490',
    ]);
    expect(shop.seen.map((s) => s.operation)).toEqual(['SeamlineFindOrders', 'SeamlineOrder']);
    expect(shop.seen[0]?.headers['x-shopify-access-token']).toBe(TOKEN);
    // The worker logged neither the token nor the customer's address.
    expect(stack.apps.worker.output()).not.toContain(TOKEN);
    expect(stack.apps.worker.output()).not.toContain(JANE);
  });
});
