import type { ClassifyResult } from '../../activities';
import type { Classification, Confidence, Draft, Intent, RoutingDecision } from '../../libs/domain';

export function classificationOf(intent: Intent): Classification {
  return {
    intents: [{ intent, confidence: 0.9, evidence: [intent] }],
    primaryIntent: intent,
    sentiment: { score: 0, frustration: false, urgency: false, evidence: [] },
    language: 'en',
    entities: { orderNumbers: ['SL-10001'], amounts: [], trackingNumbers: [], emails: [] },
    source: 'test',
  };
}

export function classifyResult(intent: Intent = 'order_status'): ClassifyResult {
  return {
    classification: classificationOf(intent),
    customerText: 'Where is my order SL-10001?',
    customerEmail: 'customer@example.com',
    customerName: 'Casey',
    requestedOrderNumber: 'SL-10001',
    subject: 'Where is my order?',
    latestMessageId: '<m1@example.com>',
  };
}

export function draftOf(version: number): Draft {
  return {
    version,
    subject: 'Re: Where is my order?',
    body: `Hello Casey, your order SL-10001 is on its way. (draft ${version})`,
    source: 'test',
    selfCheck: { passed: true, findings: [] },
  };
}

export function confidenceOf(score: number): Confidence {
  return {
    score,
    components: { classification: score, dataCompleteness: 1, draftSelfCheck: 1, multiIssue: 1, sentiment: 1 },
    concerns: [],
  };
}

export function decisionOf(route: RoutingDecision['route']): RoutingDecision {
  return {
    route,
    queue: route === 'escalate' ? 'risk' : 'standard',
    priority: route === 'escalate' ? 'high' : 'normal',
    reasons: [{ code: `test_${route}`, detail: `routed ${route} by the test`, evidence: [] }],
    explanation: `The test routed this ticket to ${route}.`,
    policyVersion: 'test',
  };
}
