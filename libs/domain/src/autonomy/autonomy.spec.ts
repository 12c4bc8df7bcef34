import fc from 'fast-check';
import { DEFAULT_ROUTING_POLICY, intentMode, routeTicket } from '../triage/routing';
import type { Intent } from '../triage/triage.types';
import {
  DEFAULT_AUTONOMY_SETTINGS,
  clopperPearsonUpper,
  computeAutonomy,
  sameAutonomy,
  type AutonomySample,
  type AutonomySettings,
} from './autonomy';
import { normalisedEditDistance, wouldHaveBeenWrong } from './outcome';
import { order } from '../triage/test-fixtures';

const SETTINGS: AutonomySettings = { ...DEFAULT_AUTONOMY_SETTINGS, minOutcomes: 50 };
const conf = fc.integer({ min: 300, max: 1000 }).map((x) => x / 1000);
const sample = (intent: Intent) =>
  fc.record({ intent: fc.constant(intent), confidence: conf, wrong: fc.boolean() }) as fc.Arbitrary<AutonomySample>;
/** Mostly right, sometimes wrong, wrong ones more likely at low confidence: the shape real outcomes have. */
const realistic = (intent: Intent) =>
  fc.tuple(conf, fc.double({ min: 0, max: 1, noNaN: true })).map(([confidence, u]): AutonomySample => ({
    intent,
    confidence,
    wrong: u < 0.002 + 0.3 * Math.max(0, 0.8 - confidence),
  }));

/** A clean run of confident outcomes plus realistic noise: usually enough to earn autonomy. */
const promotable = (intent: Intent) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 850, max: 1000 }), { minLength: 160, maxLength: 250 }),
      fc.array(realistic(intent), { maxLength: 200 }),
    )
    .map(([clean, noise]) => [...clean.map((c) => ({ intent, confidence: c / 1000, wrong: false })), ...noise]);

function upperOf(list: readonly AutonomySample[], t: number): { n: number; bound: number } {
  const above = list.filter((s) => s.confidence >= t);
  const wrong = above.filter((s) => s.wrong).length;
  return { n: above.length, bound: clopperPearsonUpper(wrong, above.length, SETTINGS.confidence) };
}

describe('clopperPearsonUpper', () => {
  it('matches the closed form with no failures and known tabulated values', () => {
    expect(clopperPearsonUpper(0, 50)).toBeCloseTo(1 - Math.pow(0.05, 1 / 50), 12);
    expect(clopperPearsonUpper(0, 149)).toBeLessThanOrEqual(0.02);
    expect(clopperPearsonUpper(0, 148)).toBeGreaterThan(0.02);
    // one-sided 95 % upper limits (e.g. Clopper & Pearson 1934; any exact binomial table)
    expect(clopperPearsonUpper(1, 100)).toBeCloseTo(0.0466, 4);
    expect(clopperPearsonUpper(5, 100)).toBeCloseTo(0.1024, 3);
    expect(clopperPearsonUpper(10, 10)).toBe(1);
    expect(clopperPearsonUpper(0, 0)).toBe(1);
  });
  it('lies above the observed rate, grows with failures and shrinks with trials (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.nat(), (n, w) => {
        const k = w % (n + 1);
        const u = clopperPearsonUpper(k, n);
        expect(u).toBeGreaterThanOrEqual(k / n);
        expect(u).toBeLessThanOrEqual(1);
        if (k < n) expect(clopperPearsonUpper(k + 1, n)).toBeGreaterThanOrEqual(u);
        expect(clopperPearsonUpper(k, n + 1)).toBeLessThanOrEqual(u + 1e-12);
      }),
      { numRuns: 60 },
    );
  });
});

describe('computeAutonomy: promotion', () => {
  it('grants auto only where the bound holds over at least minOutcomes, at the lowest such confidence (property)', () => {
    fc.assert(
      fc.property(fc.array(realistic('order_status'), { maxLength: 600 }), (list) => {
        const r = computeAutonomy(DEFAULT_ROUTING_POLICY, list, [], SETTINGS);
        const e = r.intents.find((i) => i.intent === 'order_status')!;
        const distinct = [...new Set(list.map((s) => s.confidence))];
        const feasible = distinct.filter((t) => {
          const u = upperOf(list, t);
          return u.n >= SETTINGS.minOutcomes && u.bound <= SETTINGS.targetRisk;
        });
        if (feasible.length === 0) {
          expect(e.mode).not.toBe('auto');
          expect(r.policy.thresholds.order_status).toEqual(DEFAULT_ROUTING_POLICY.thresholds.order_status);
          return;
        }
        const lowest = Math.min(...feasible);
        expect(e.mode).toBe('auto');
        expect(e.threshold).toBe(Math.max(lowest, DEFAULT_ROUTING_POLICY.thresholds.order_status.review));
        expect(r.policy.thresholds.order_status.auto).toBe(e.threshold);
        expect(e.upperBound).toBeLessThanOrEqual(SETTINGS.targetRisk);
        expect(e.outcomes).toBeGreaterThanOrEqual(SETTINGS.minOutcomes);
      }),
      { numRuns: 150 },
    );
  });
  it('promotes a shadow intent once enough clean outcomes arrive, and the router then sends on its own', () => {
    const clean = Array.from({ length: 160 }, (_, i) => ({
      intent: 'order_status' as const,
      confidence: 0.9 + (i % 10) / 100,
      wrong: false,
    }));
    const before = computeAutonomy(DEFAULT_ROUTING_POLICY, clean.slice(0, 100), [], SETTINGS);
    expect(before.intents.find((i) => i.intent === 'order_status')!.mode).toBe('shadow');
    const after = computeAutonomy(DEFAULT_ROUTING_POLICY, clean, [], SETTINGS);
    const e = after.intents.find((i) => i.intent === 'order_status')!;
    expect(e.mode).toBe('auto');
    expect(e.threshold).toBe(0.9);
    expect(intentMode(after.policy, 'order_status')).toBe('auto');
    expect(intentMode(after.policy, 'account')).toBe('shadow');
    expect(sameAutonomy(before.policy, after.policy)).toBe(false);
  });
  it('adding a right outcome at or above the threshold never takes autonomy away (property)', () => {
    fc.assert(
      fc.property(promotable('account'), conf, (list, c) => {
        const a = computeAutonomy(DEFAULT_ROUTING_POLICY, list, [], SETTINGS).intents.find(
          (i) => i.intent === 'account',
        )!;
        fc.pre(a.mode === 'auto' && a.threshold !== null && c >= a.threshold);
        const b = computeAutonomy(DEFAULT_ROUTING_POLICY, [
          ...list,
          { intent: 'account', confidence: c, wrong: false },
        ]);
        const e = b.intents.find((i) => i.intent === 'account')!;
        expect(e.mode).toBe('auto');
        expect(e.threshold!).toBeLessThanOrEqual(a.threshold);
      }),
      { numRuns: 40 },
    );
  });
});

describe('computeAutonomy: demotion and limits', () => {
  it('demotes when new wrong outcomes break the bound at every confidence (property)', () => {
    fc.assert(
      fc.property(promotable('order_status'), (list) => {
        const wrongs = Array.from({ length: 40 }, () => ({
          intent: 'order_status' as const,
          confidence: 1,
          wrong: true,
        }));
        const r = computeAutonomy(DEFAULT_ROUTING_POLICY, [...list, ...wrongs], [], SETTINGS);
        const e = r.intents.find((i) => i.intent === 'order_status')!;
        const u = upperOf([...list, ...wrongs], e.threshold ?? 0);
        if (e.mode === 'auto') expect(u.bound).toBeLessThanOrEqual(SETTINGS.targetRisk);
        else expect(e.mode).toBe('shadow');
      }),
      { numRuns: 25 },
    );
    const clean = Array.from({ length: 200 }, () => ({
      intent: 'order_status' as const,
      confidence: 0.95,
      wrong: false,
    }));
    const promoted = computeAutonomy(DEFAULT_ROUTING_POLICY, clean, [], SETTINGS);
    expect(promoted.intents.find((i) => i.intent === 'order_status')!.mode).toBe('auto');
    const broken = [...clean, ...Array.from({ length: 6 }, () => ({ ...clean[0], wrong: true }))];
    const demoted = computeAutonomy(DEFAULT_ROUTING_POLICY, broken, [], SETTINGS);
    const e = demoted.intents.find((i) => i.intent === 'order_status')!;
    expect(e.mode).toBe('shadow');
    expect(e.reason).toMatch(/no confidence level/);
    const routed = routeTicket({
      classification: {
        intents: [{ intent: 'order_status', confidence: 0.99, evidence: [] }],
        primaryIntent: 'order_status',
        sentiment: { score: 0, frustration: false, urgency: false, evidence: [] },
        language: 'en',
        entities: { orderNumbers: [], amounts: [], trackingNumbers: [], emails: [] },
        source: 'offline',
      },
      order: order(),
      confidence: { score: 0.99, components: {} as never, concerns: [] },
      draft: {
        version: 1,
        subject: 'Re: x',
        body: 'x',
        source: 'offline',
        selfCheck: { passed: true, findings: [] },
        answers: true,
      },
      policy: demoted.policy,
      autoSendEnabled: true,
    });
    expect(routed.route).toBe('review');
    expect(routed.reasons.map((r) => r.code)).toContain('shadow_mode');
    expect(routed.autonomy).toEqual({ mode: 'shadow', candidate: true });
  });
  it('keeps hard-rule intents, intents outside the allow-list and pinned intents with people, whatever the evidence', () => {
    const policy = { ...DEFAULT_ROUTING_POLICY, autoSendAllowlist: [...DEFAULT_ROUTING_POLICY.autoSendAllowlist] };
    policy.autoSendAllowlist.push('fraud_claim');
    fc.assert(
      fc.property(fc.array(sample('fraud_claim'), { maxLength: 300 }), fc.array(sample('account')), (a, b) => {
        const clean = Array.from({ length: 300 }, () => ({ intent: 'account' as const, confidence: 1, wrong: false }));
        const r = computeAutonomy(
          policy,
          [...a, ...b, ...clean],
          [{ intent: 'account', pinnedHuman: true, targetRisk: null }],
        );
        expect(r.intents.find((i) => i.intent === 'fraud_claim')!.mode).toBe('human');
        expect(r.intents.find((i) => i.intent === 'account')!.mode).toBe('human');
        expect(intentMode(r.policy, 'refund_request')).toBe('human');
      }),
      { numRuns: 30 },
    );
  });
  it("honours an intent's own target risk", () => {
    const list = Array.from({ length: 100 }, (_, i) => ({ intent: 'account' as const, confidence: 0.9, wrong: i < 1 }));
    const strict = computeAutonomy(DEFAULT_ROUTING_POLICY, list, [], SETTINGS);
    expect(strict.intents.find((i) => i.intent === 'account')!.mode).toBe('shadow');
    const lax = computeAutonomy(DEFAULT_ROUTING_POLICY, list, [
      { intent: 'account', pinnedHuman: false, targetRisk: 0.05 },
    ]);
    expect(lax.intents.find((i) => i.intent === 'account')!.mode).toBe('auto');
  });
  it('starts intents short of evidence in the configured initial mode', () => {
    const shadow = computeAutonomy(DEFAULT_ROUTING_POLICY, [], [], SETTINGS);
    expect(shadow.intents.map((i) => i.mode)).toEqual(['shadow', 'shadow', 'shadow']);
    const auto = computeAutonomy(DEFAULT_ROUTING_POLICY, [], [], { ...SETTINGS, initialMode: 'auto' });
    expect(auto.intents.map((i) => i.mode)).toEqual(['auto', 'auto', 'auto']);
    expect(auto.policy.thresholds).toEqual(DEFAULT_ROUTING_POLICY.thresholds);
  });
});

describe('outcome verdicts', () => {
  const base = {
    intent: 'order_status' as const,
    finalAction: 'sent_as_is' as const,
    editDistance: 0,
    reassigned: false,
    unhappy: false,
    correctedIntent: null,
  };
  it('counts rejections, cancelled auto-sends, large edits, reassignments, unhappy customers and wrong intents', () => {
    expect(wouldHaveBeenWrong(base)).toBe(false);
    expect(wouldHaveBeenWrong({ ...base, finalAction: 'edited', editDistance: 0.05 })).toBe(false);
    expect(wouldHaveBeenWrong({ ...base, finalAction: 'edited', editDistance: 0.5 })).toBe(true);
    expect(wouldHaveBeenWrong({ ...base, finalAction: 'rejected' })).toBe(true);
    expect(wouldHaveBeenWrong({ ...base, finalAction: 'auto_cancelled' })).toBe(true);
    expect(wouldHaveBeenWrong({ ...base, reassigned: true })).toBe(true);
    expect(wouldHaveBeenWrong({ ...base, unhappy: true })).toBe(true);
    expect(wouldHaveBeenWrong({ ...base, correctedIntent: 'refund_request' })).toBe(true);
    expect(wouldHaveBeenWrong({ ...base, correctedIntent: 'order_status' })).toBe(false);
  });
  it('measures edits as a normalised edit distance', () => {
    expect(normalisedEditDistance('Hello  there', 'Hello there')).toBe(0);
    expect(normalisedEditDistance('abcd', 'abce')).toBe(0.25);
    expect(normalisedEditDistance('', '')).toBe(0);
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const d = normalisedEditDistance(a, b);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
        expect(normalisedEditDistance(b, a)).toBe(d);
      }),
    );
  });
});
