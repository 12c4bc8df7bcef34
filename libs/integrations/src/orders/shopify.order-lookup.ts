/**
 * The shop's orders from Shopify, through the Admin GraphQL API with plain `fetch` (two small queries need no SDK).
 *
 * Retries live in Temporal only: one attempt per call, bounded by a timeout. What another attempt can fix (429,
 * a THROTTLED answer, 5xx, a timeout, a connection failure) is a `RetryableOrderLookupError`, with the wait when
 * Shopify says how long (Retry-After, or the query-cost bucket's refill time); what it cannot (a refused token, a
 * missing scope, an unknown shop, a query the API rejects) is a `PermanentOrderLookupError`. No order is `null`.
 *
 * Nothing here logs, and no error message carries the access token or customer data (e-mail addresses in
 * Shopify's messages are masked), so failures can go to Temporal's history and to logs as they are.
 */
import {
  PermanentOrderLookupError,
  RetryableOrderLookupError,
  type OrderLookup,
  type OrderSnapshot,
} from '../../../domain';
import { emailSearch, nameSearch, pickOrder, toOrderSnapshot } from './shopify.mapping';
import {
  CANDIDATES,
  FIND_ORDERS,
  findOrdersDataSchema,
  graphqlEnvelopeSchema,
  ORDER_DETAILS,
  orderDataSchema,
  type GraphqlEnvelope,
} from './shopify.queries';

/** The `shopify` variant of `SeamlineConfig['orders']`. */
export interface ShopifySettings {
  /** The shop's `*.myshopify.com` domain. */
  shop: string;
  /** Admin API access token of the shop's custom app (needs `read_orders` and `read_customers`). */
  accessToken: string;
  /** A stable Admin API version, e.g. `2026-10`. */
  apiVersion: string;
  /** Instead of `https://<shop>`: another origin speaking the same API (a loopback test server). */
  baseUrl?: string | null;
  vipTag: string;
  homeCountry: string;
  /** For one lookup, both of its requests together. */
  timeoutMs: number;
}

export interface ShopifyOrderLookupOptions {
  fetch?: typeof fetch;
  now?: () => number;
}

/** Longest wait honoured; anything longer is left to Temporal's own backoff. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;
const MAX_PROBLEM_CHARS = 300;

export class ShopifyOrderLookup implements OrderLookup {
  private readonly endpoint: string;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(
    private readonly settings: ShopifySettings,
    options: ShopifyOrderLookupOptions = {},
  ) {
    const origin = (settings.baseUrl ?? `https://${settings.shop}`).replace(/\/+$/, '');
    this.endpoint = `${origin}/admin/api/${settings.apiVersion}/graphql.json`;
    this.fetch = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  async findOrder(query: Parameters<OrderLookup['findOrder']>[0]): Promise<OrderSnapshot | null> {
    const customerEmail = query.customerEmail.trim().toLowerCase();
    // Without an address there is nobody the order could be shown to.
    if (!customerEmail) return null;
    const search = query.orderNumber ? nameSearch(query.orderNumber) : emailSearch(customerEmail);
    if (!search) return null;
    const deadline = Date.now() + this.settings.timeoutMs;
    const found = findOrdersDataSchema.safeParse(
      await this.graphql(FIND_ORDERS, { query: search, first: CANDIDATES }, deadline),
    );
    if (!found.success) throw shapeError('orders');
    const candidate = pickOrder(found.data.orders.nodes, { orderNumber: query.orderNumber, customerEmail });
    if (!candidate) return null;

    const read = orderDataSchema.safeParse(await this.graphql(ORDER_DETAILS, { id: candidate.id }, deadline));
    if (!read.success) throw shapeError('order');
    const order = read.data.order;
    // Checked again on the record itself: the order may have been reassigned between the two queries.
    if (!order || !pickOrder([order], { orderNumber: query.orderNumber, customerEmail })) return null;
    return toOrderSnapshot(order, this.settings);
  }

  /** One GraphQL request, answered by `deadline`: its `data`, or the error that says whether to try again. */
  private async graphql(document: string, variables: Record<string, unknown>, deadline: number): Promise<unknown> {
    const timeoutMs = this.settings.timeoutMs;
    let status: number;
    let headers: Headers;
    let body: string;
    try {
      const res = await this.fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-shopify-access-token': this.settings.accessToken,
        },
        body: JSON.stringify({ query: document, variables }),
        // A redirect would carry the token to wherever it points: never follow one.
        redirect: 'manual',
        signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
      });
      status = res.status;
      headers = res.headers;
      body = await res.text();
    } catch (error) {
      throw unreachable(error, timeoutMs);
    }
    const envelope = parseEnvelope(body);

    if (status === 429 || status >= 500 || status === 408) {
      const wait = retryAfterMs(headers.get('retry-after'), this.now()) ?? throttleWaitMs(envelope);
      throw new RetryableOrderLookupError(`Shopify Admin API answered ${status}${describe(envelope)}`, status, wait);
    }
    if (status !== 200) throw new PermanentOrderLookupError(refusal(status, envelope), status);
    if (!envelope) throw new PermanentOrderLookupError('Shopify Admin API answered 200 without a GraphQL body', 200);

    const errors = envelope.errors ?? [];
    if (errors.length > 0) {
      const codes = errors.map((e) => e.extensions?.code ?? '');
      const problem = `Shopify Admin API answered with errors${describe(envelope)}`;
      if (codes.includes('THROTTLED')) {
        throw new RetryableOrderLookupError(problem, 200, throttleWaitMs(envelope));
      }
      if (codes.every((code) => code === 'INTERNAL_SERVER_ERROR' || code === 'SERVICE_UNAVAILABLE')) {
        throw new RetryableOrderLookupError(problem, 200);
      }
      // ACCESS_DENIED (a scope or protected customer data access is missing), a query this API version rejects...
      throw new PermanentOrderLookupError(problem, 200);
    }
    return envelope.data;
  }
}

function parseEnvelope(body: string): GraphqlEnvelope | null {
  try {
    const parsed = graphqlEnvelopeSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function unreachable(error: unknown, timeoutMs: number): RetryableOrderLookupError {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new RetryableOrderLookupError(
      `Shopify Admin API gave no answer within ${timeoutMs} ms`,
      undefined,
      undefined,
      {
        cause: error,
      },
    );
  }
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return new RetryableOrderLookupError(`Shopify Admin API unreachable${code}`, undefined, undefined, { cause: error });
}

/** What a 4xx (or a redirect) means for the operator, naming the setting to check. */
function refusal(status: number, envelope: GraphqlEnvelope | null): string {
  const why =
    status === 401
      ? 'refused the access token: check SHOPIFY_ACCESS_TOKEN'
      : status === 403
        ? 'denied access: the app needs the read_orders and read_customers scopes'
        : status === 402
          ? 'says the shop is frozen (unpaid)'
          : status === 423
            ? 'says the shop is locked'
            : status === 404
              ? 'has no Admin API at this address: check SHOPIFY_SHOP and SHOPIFY_API_VERSION'
              : status >= 300 && status < 400
                ? 'redirected the request: check SHOPIFY_SHOP (the *.myshopify.com domain, not a custom domain)'
                : 'rejected the request';
  return `Shopify Admin API ${why} (${status})${describe(envelope)}`;
}

/** Shopify's error codes and messages, bounded, with any e-mail address masked. */
function describe(envelope: GraphqlEnvelope | null): string {
  const errors = envelope?.errors ?? [];
  if (errors.length === 0) return '';
  const parts = errors.slice(0, 3).map((e) => {
    const code = e.extensions?.code ? `${e.extensions.code}: ` : '';
    return `${code}${e.message ?? ''}`.replace(/[^\s@"'<>]+@[^\s@"'<>]+/g, '<email>');
  });
  const text = parts.join('; ');
  return `: ${text.length > MAX_PROBLEM_CHARS ? `${text.slice(0, MAX_PROBLEM_CHARS)}…` : text}`;
}

/** `Retry-After` in seconds (Shopify sends `2.0`) or as an HTTP date, in ms. */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return clamp(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : clamp(Math.max(0, at - nowMs));
}

/**
 * How long the query-cost bucket needs to hold this query again: the points missing over the restore rate.
 * Undefined when the answer does not say (or the throttle is not the bucket's): Temporal's backoff decides.
 */
export function throttleWaitMs(envelope: GraphqlEnvelope | null): number | undefined {
  const cost = envelope?.extensions?.cost;
  const bucket = cost?.throttleStatus;
  if (!bucket || cost?.requestedQueryCost === undefined || !(bucket.restoreRate > 0)) return undefined;
  const missing = cost.requestedQueryCost - bucket.currentlyAvailable;
  if (!(missing > 0)) return undefined;
  return clamp(Math.ceil((missing / bucket.restoreRate) * 1000));
}

function clamp(ms: number): number | undefined {
  return Number.isFinite(ms) && ms >= 0 ? Math.min(Math.round(ms), MAX_RETRY_AFTER_MS) : undefined;
}

function shapeError(what: string): PermanentOrderLookupError {
  return new PermanentOrderLookupError(
    `Shopify Admin API answered the ${what} query in a shape Seamline does not read (is SHOPIFY_API_VERSION supported?)`,
    200,
  );
}
