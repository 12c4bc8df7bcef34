/**
 * What Seamline asks of the Shopify Admin GraphQL API, and the shape it accepts back.
 *
 * Two small queries instead of one large one: the first finds candidate orders (id, name and the e-mail
 * addresses that say whose they are, nothing else), the second reads the one order that belongs to the customer.
 * So another customer's line items, address or tracking never leave the shop, and each query stays far below
 * the 1,000-point single-query cost limit (about 25 and 720 requested points).
 */
import { z } from 'zod';

/** Candidates, newest first. `$query` is Shopify search syntax (`name:"#1001"`, `email:"a@b.example"`). */
export const FIND_ORDERS = `query SeamlineFindOrders($query: String!, $first: Int!) {
  orders(first: $first, query: $query, sortKey: PROCESSED_AT, reverse: true) {
    nodes {
      id
      name
      email
      customer {
        email
      }
    }
  }
}`;

/** How many candidates one search looks at; the matching one is picked (and re-checked) on our side. */
export const CANDIDATES = 10;

/**
 * Lists are bounded: an order with more than 50 lines or 10 fulfillments is shown with the first ones, which
 * is what a support reply can use anyway.
 */
export const ORDER_DETAILS = `query SeamlineOrder($id: ID!) {
  order(id: $id) {
    id
    name
    email
    createdAt
    processedAt
    cancelledAt
    displayFinancialStatus
    displayFulfillmentStatus
    totalPriceSet {
      shopMoney {
        amount
        currencyCode
      }
    }
    shippingAddress {
      countryCodeV2
    }
    customer {
      id
      email
      firstName
      lastName
      displayName
      tags
    }
    lineItems(first: 50) {
      nodes {
        sku
        name
        quantity
        originalUnitPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
      }
    }
    fulfillments(first: 10) {
      status
      displayStatus
      inTransitAt
      deliveredAt
      estimatedDeliveryAt
      trackingInfo(first: 5) {
        number
        company
        url
      }
      fulfillmentLineItems(first: 20) {
        nodes {
          quantity
          lineItem {
            sku
            name
          }
        }
      }
      events(first: 5, sortKey: HAPPENED_AT, reverse: true) {
        nodes {
          status
          message
          happenedAt
        }
      }
    }
  }
}`;

const text = z.string().nullish();
const money = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) });

export const candidateSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: text,
  customer: z.object({ email: text }).nullish(),
});
export type ShopifyCandidate = z.output<typeof candidateSchema>;

export const findOrdersDataSchema = z.object({
  orders: z.object({ nodes: z.array(candidateSchema) }),
});

const fulfillmentSchema = z.object({
  status: text,
  displayStatus: text,
  inTransitAt: text,
  deliveredAt: text,
  estimatedDeliveryAt: text,
  trackingInfo: z.array(z.object({ number: text, company: text, url: text })).nullish(),
  fulfillmentLineItems: z
    .object({
      nodes: z.array(z.object({ quantity: z.number().nullish(), lineItem: z.object({ sku: text, name: text }) })),
    })
    .nullish(),
  /** The newest tracking events first: where the carrier writes that customs holds the parcel. */
  events: z.object({ nodes: z.array(z.object({ status: text, message: text, happenedAt: text })) }).nullish(),
});
export type ShopifyFulfillment = z.output<typeof fulfillmentSchema>;

export const orderSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: text,
  createdAt: z.string(),
  processedAt: text,
  cancelledAt: text,
  displayFinancialStatus: text,
  displayFulfillmentStatus: z.string(),
  totalPriceSet: money,
  shippingAddress: z.object({ countryCodeV2: text }).nullish(),
  customer: z
    .object({
      id: z.string(),
      email: text,
      firstName: text,
      lastName: text,
      displayName: text,
      tags: z.array(z.string()).nullish(),
    })
    .nullish(),
  lineItems: z.object({
    nodes: z.array(
      z.object({ sku: text, name: z.string(), quantity: z.number(), originalUnitPriceSet: money.nullish() }),
    ),
  }),
  fulfillments: z.array(fulfillmentSchema),
});
export type ShopifyOrder = z.output<typeof orderSchema>;

export const orderDataSchema = z.object({ order: orderSchema.nullable() });

/** The top level of every GraphQL answer: data, errors, and the query-cost report Shopify adds. */
export const graphqlEnvelopeSchema = z.object({
  data: z.unknown().optional(),
  errors: z
    .array(
      z.object({
        message: z.string().optional(),
        extensions: z.object({ code: z.string().optional() }).loose().optional(),
      }),
    )
    .optional(),
  extensions: z
    .object({
      cost: z
        .object({
          requestedQueryCost: z.number().optional(),
          throttleStatus: z
            .object({
              maximumAvailable: z.number().optional(),
              currentlyAvailable: z.number(),
              restoreRate: z.number(),
            })
            .optional(),
        })
        .optional(),
    })
    .loose()
    .optional(),
});
export type GraphqlEnvelope = z.output<typeof graphqlEnvelopeSchema>;
