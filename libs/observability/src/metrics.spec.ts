import { BoundedLabel, SeamlineMetrics, seamlineSeriesNames } from './metrics';

describe('metrics', () => {
  it('bounds label values: odd shapes and values past the limit read `other`', () => {
    const label = new BoundedLabel(2);
    expect(label.of('review')).toBe('review');
    expect(label.of('someone@example.com')).toBe('other');
    expect(label.of('has spaces in it')).toBe('other');
    expect(label.of('escalate')).toBe('escalate');
    expect(label.of('auto')).toBe('other');
    expect(label.of('review')).toBe('review');
    expect(label.of(null)).toBe('none');
  });

  it('counts escalations once per reason code, only for escalated routes', async () => {
    const metrics = new SeamlineMetrics('worker');
    metrics.routed({ route: 'escalate', queue: 'risk', reasons: [{ code: 'fraud_claim' }, { code: 'fraud_claim' }] });
    metrics.routed({ route: 'review', queue: 'standard', reasons: [{ code: 'low_confidence' }] });
    const text = await metrics.text();
    expect(text).toContain('seamline_escalations_total{reason="fraud_claim",app="worker"} 1');
    expect(text).not.toContain('low_confidence');
    expect(text).toContain('seamline_tickets_routed_total{route="review",queue="standard",app="worker"} 1');
  });

  it('names every series a histogram derives', () => {
    expect(seamlineSeriesNames()).toEqual(
      expect.arrayContaining(['seamline_http_request_duration_seconds_bucket', 'seamline_outbox_backlog']),
    );
  });
});
