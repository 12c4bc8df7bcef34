/** The offline triage pipeline as the evaluation and the training simulation run it on one labelled row. */
import {
  DEFAULT_ROUTING_POLICY,
  ORDER_INTENTS,
  draftOffline,
  routeTicket,
  scoreConfidence,
  type Classification,
  type OfflineClassify,
  type Route,
  type RoutingPolicy,
} from '../../libs/domain';
import { BENCH_POLICY, cleanOrder } from './fixtures';

export interface Outcome {
  c: Classification;
  route: Route;
  reasons: string[];
  score: number;
}

/**
 * classify -> (synthetic order) -> draftOffline -> scoreConfidence -> routeTicket with autoSendEnabled=true.
 * A synthetic CLEAN order (fixtures.ts: domestic, $59.90, not VIP, no earlier contacts, one UPS shipment in transit)
 * is supplied when the primary intent needs an order or the text names an order number (then the snapshot carries
 * that number), i.e. we assume the order system found the order; otherwise order = null. This measures the
 * classifier and router, not the order lookup.
 */
export function runPipeline(
  classify: OfflineClassify,
  text: string,
  policy: RoutingPolicy = DEFAULT_ROUTING_POLICY,
): Outcome {
  const c = classify({ text });
  const requested = c.entities.orderNumbers[0] ?? null;
  const wantsOrder = ORDER_INTENTS.includes(c.primaryIntent) || requested !== null;
  const order = wantsOrder ? cleanOrder(requested ? requested.replace(/^#/, '') : 'SL-10001') : null;
  const draft = draftOffline({ classification: c, order, policy: BENCH_POLICY, version: 1 });
  const confidence = scoreConfidence({ classification: c, order, draft, requestedOrderNumber: requested });
  const d = routeTicket({ classification: c, order, confidence, draft, policy, autoSendEnabled: true });
  return { c, route: d.route, reasons: d.reasons.map((r) => r.code), score: confidence.score };
}
