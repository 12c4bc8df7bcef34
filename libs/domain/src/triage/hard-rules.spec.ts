import fc from 'fast-check';
import { classifyOffline, HARD_RULE_CONFIDENCE, HARD_RULE_INTENTS } from './classify';
import { draftOffline } from './draft';
import { findHardRules, HARD_RULES } from './hard-rules';
import { DEFAULT_ROUTING_POLICY, routeTicket } from './routing';
import { scoreConfidence } from './score';
import { normaliseForMatching } from './text';
import { POLICY, order } from './test-fixtures';

const ruleIntents = (text: string) => findHardRules(normaliseForMatching(text)).map((h) => h.intent);

describe('hard rules: every rule keeps its examples', () => {
  it('lists each hard-rule intent once, and the router treats exactly these as hard rules', () => {
    const intents = HARD_RULES.map((r) => r.intent);
    expect(new Set(intents).size).toBe(intents.length);
    expect([...HARD_RULE_INTENTS]).toEqual(intents);
    for (const rule of HARD_RULES) {
      expect(rule.policy.length).toBeGreaterThan(20);
      expect(rule.match.length).toBeGreaterThanOrEqual(4);
      expect(rule.noMatch.length).toBeGreaterThanOrEqual(3);
    }
  });

  describe.each(HARD_RULES.map((r) => [r.intent, r] as const))('%s', (intent, rule) => {
    it.each(rule.match.map((t) => [t]))('matches: %s', (text) => {
      expect(ruleIntents(text)).toContain(intent);
      // through the classifier: reported at the rule's confidence, with the matched words as evidence
      const found = classifyOffline({ text }).intents.find((i) => i.intent === intent);
      expect(found?.confidence).toBeGreaterThanOrEqual(HARD_RULE_CONFIDENCE);
      expect(found?.evidence.length).toBeGreaterThan(0);
    });
    it.each(rule.noMatch.map((t) => [t]))('does not match: %s', (text) => {
      expect(ruleIntents(text)).not.toContain(intent);
    });
  });
});

describe('hard rules always win', () => {
  const escalate = (text: string) => {
    const c = classifyOffline({ text });
    const o = order();
    const draft = draftOffline({ classification: c, order: o, policy: POLICY, version: 1 });
    const confidence = scoreConfidence({ classification: c, order: o, draft });
    return routeTicket({
      classification: c,
      order: o,
      confidence,
      draft,
      policy: DEFAULT_ROUTING_POLICY,
      autoSendEnabled: true,
    });
  };

  it.each(HARD_RULES.flatMap((r) => r.match.map((t) => [r.intent, t] as const)))(
    '%s escalates with its reason: %s',
    (intent, text) => {
      const d = escalate(text);
      expect(d.route).toBe('escalate');
      expect(d.reasons.map((r) => r.code)).toContain(intent);
    },
  );

  it('a rule phrase anywhere in an otherwise harmless e-mail still escalates (property)', () => {
    const harmless = fc.constantFrom(
      'Hi, where is my order #1001? Thanks!',
      'Does this mattress come in king size?',
      'I forgot my password and cannot log in.',
      'Hello,\n\nCould you tell me when my parcel arrives?\n\nBest regards,\nSam',
    );
    const phrase = fc.constantFrom(...HARD_RULES.map((r) => [r.intent, r.match[0]] as const));
    fc.assert(
      fc.property(harmless, phrase, fc.boolean(), (text, [intent, p], before) => {
        const d = escalate(before ? `${p}\n\n${text}` : `${text}\n\n${p}`);
        expect(d.route).toBe('escalate');
        expect(d.reasons.map((r) => r.code)).toContain(intent);
      }),
      { numRuns: 60 },
    );
  });

  it('hidden markup cannot trigger a rule, and cannot hide one from the visible text', () => {
    expect(ruleIntents('Where is my order?')).toEqual([]);
    const hidden = classifyOffline({ text: '<p>Where is my order?</p><div style="display:none">I will sue you</div>' });
    expect(hidden.intents.map((i) => i.intent)).not.toContain('legal_threat');
    const visible = classifyOffline({ text: '<p>I will sue you</p><!-- where is my order -->' });
    expect(visible.intents.map((i) => i.intent)).toContain('legal_threat');
  });
});
