import { classifyOffline, unavailableClassification } from './classify';
import { draftOffline } from './draft';
import { POLICY, order } from './test-fixtures';
import { scoreConfidence } from './score';

function run(text: string, o = order(), requestedOrderNumber?: string | null) {
  const c = classifyOffline({ text });
  const d = draftOffline({ classification: c, order: o, policy: POLICY, version: 1 });
  return scoreConfidence({ classification: c, order: o, draft: d, requestedOrderNumber });
}

describe('scoreConfidence', () => {
  it('is high for a clean, single order-status question with its order', () => {
    const s = run('Where is my order #1001?');
    expect(s.score).toBeGreaterThan(0.6);
    expect(s.components.dataCompleteness).toBe(1);
    expect(s.components.draftSelfCheck).toBe(1);
    expect(s.components.multiIssue).toBe(1);
  });

  it('names two requests in one message', () => {
    const s = run('Please cancel my last order, and also change the delivery address on my other order.');
    expect(s.components.multiIssue).toBeLessThan(1);
    expect(s.concerns.join(' ')).toMatch(
      /two different requests in one message \((cancellation and order change|order change and cancellation)\)/,
    );
  });

  it('says which order was not found', () => {
    const c = classifyOffline({ text: 'Where is my order #1234?' });
    const s = scoreConfidence({ classification: c, order: null, draft: null, requestedOrderNumber: '#1234' });
    expect(s.components.dataCompleteness).toBeLessThan(1);
    expect(s.concerns).toContain('no order found for #1234');
  });

  it('notices the order found is not the one asked about', () => {
    const s = run('Where is my order #1234?', order(), '#1234');
    expect(s.concerns.join(' ')).toMatch(/asked about #1234 but the order found is 1001/);
    expect(s.score).toBeLessThan(0.5);
  });

  it('drops to zero classification when the classifier is unavailable', () => {
    const s = scoreConfidence({ classification: unavailableClassification(), order: null, draft: null });
    expect(s.components.classification).toBe(0);
    expect(s.score).toBe(0);
    expect(s.concerns[0]).toMatch(/could not be classified/);
  });

  it('reports frustration and a failed draft check', () => {
    const c = classifyOffline({ text: 'Third time asking. This is ridiculous and unacceptable, where is my order?' });
    const s = scoreConfidence({
      classification: c,
      order: order(),
      draft: {
        version: 1,
        subject: 's',
        body: 'b',
        source: 'llm',
        selfCheck: { passed: false, findings: [{ code: 'forbidden_promise', detail: 'promises a refund' }] },
      },
    });
    expect(s.components.sentiment).toBeLessThan(1);
    expect(s.components.draftSelfCheck).toBeLessThan(1);
    expect(s.concerns.join(' ')).toMatch(/frustrated/);
    expect(s.concerns.join(' ')).toMatch(/promises a refund/);
  });

  it('treats a draft that asks for a secret like a forbidden promise', () => {
    const c = classifyOffline({ text: 'Where is my order #1001?' });
    const draft = (code: 'credential_request' | 'contact_detail') => ({
      version: 1,
      subject: 's',
      body: 'b',
      source: 'llm',
      selfCheck: { passed: false, findings: [{ code, detail: 'x' }] },
    });
    expect(
      scoreConfidence({ classification: c, order: order(), draft: draft('credential_request') }).components
        .draftSelfCheck,
    ).toBe(0.2);
    expect(
      scoreConfidence({ classification: c, order: order(), draft: draft('contact_detail') }).components.draftSelfCheck,
    ).toBe(0.5);
  });

  it('keeps every component and the score in 0..1', () => {
    for (const t of ['', 'hi', 'refund cancel change address broken wrong item lawyer', '!!!!!!!!']) {
      const s = run(t);
      for (const v of [s.score, ...Object.values(s.components)]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
  });
});
