import { DEFAULT_SLA_CONFIG, US_EAST_BUSINESS_CALENDAR } from './default-config';
import { metricSlaFor, policyMatches, resolveMetricSla, selectSlaPolicy } from './policy';
import type { SlaConfig, SlaTicketFacts } from './sla.types';

const ticket = (over: Partial<SlaTicketFacts> = {}): SlaTicketFacts => ({
  queue: 'standard',
  priority: 'normal',
  tier: 'standard',
  intent: 'order_status',
  channel: 'email',
  ...over,
});

describe('selectSlaPolicy with the default config', () => {
  it.each([
    ['a standard customer in the standard queue', ticket(), 'default'],
    ['a VIP customer', ticket({ tier: 'vip' }), 'vip'],
    ['a VIP customer in the risk queue (the first match wins)', ticket({ tier: 'vip', queue: 'risk' }), 'vip'],
    ['a standard customer in the risk queue', ticket({ queue: 'risk' }), 'risk'],
    [
      'a ticket not triaged yet (no queue, priority or intent)',
      ticket({ queue: null, priority: null, intent: null }),
      'default',
    ],
  ])('%s → %s', (_name, facts, policyId) => {
    const selection = selectSlaPolicy(DEFAULT_SLA_CONFIG, facts);
    expect(selection.policyId).toBe(policyId);
    expect(selection.policyVersion).toBe(1);
  });
});

describe('policyMatches', () => {
  it('needs every listed condition to match, any of its values', () => {
    const when = { queue: ['risk' as const, 'priority' as const], channel: ['chat' as const] };
    expect(policyMatches(when, ticket({ queue: 'priority', channel: 'chat' }))).toBe(true);
    expect(policyMatches(when, ticket({ queue: 'priority', channel: 'email' }))).toBe(false);
    expect(policyMatches(when, ticket({ queue: 'standard', channel: 'chat' }))).toBe(false);
  });

  it('a null fact matches only a policy that does not ask about it', () => {
    expect(policyMatches({ intent: ['fraud_claim'] }, ticket({ intent: null }))).toBe(false);
    expect(policyMatches({ priority: ['urgent'] }, ticket({ priority: null }))).toBe(false);
    expect(policyMatches({}, ticket({ intent: null, priority: null, queue: null }))).toBe(true);
  });

  it('matches on priority and intent', () => {
    expect(
      policyMatches(
        { priority: ['urgent', 'high'], intent: ['legal_threat'] },
        ticket({ priority: 'high', intent: 'legal_threat' }),
      ),
    ).toBe(true);
  });
});

describe('resolveMetricSla', () => {
  it('gives the target for the priority, the business calendar and the ladder, with the policy id and version', () => {
    const sla = resolveMetricSla(DEFAULT_SLA_CONFIG, ticket({ tier: 'vip', priority: 'urgent' }), 'first_reply');
    expect(sla).toMatchObject({
      metric: 'first_reply',
      policyId: 'vip',
      policyVersion: 1,
      priority: 'urgent',
      targetSeconds: 30 * 60,
    });
    expect(sla?.time).toEqual({ kind: 'business', calendar: US_EAST_BUSINESS_CALENDAR });
    expect(sla?.levels.map((l) => l.id)).toEqual(['warn', 'breach', 'breach_plus_1h']);
  });

  it('a ticket without a priority uses the normal target', () => {
    expect(resolveMetricSla(DEFAULT_SLA_CONFIG, ticket({ priority: null }), 'next_reply')).toMatchObject({
      priority: 'normal',
      targetSeconds: 8 * 3_600,
    });
  });

  it('a metric the policy does not measure gives null', () => {
    const config: SlaConfig = {
      version: 'test',
      calendars: [],
      policies: [
        {
          id: 'lean',
          version: 3,
          when: {},
          time: 'calendar',
          targets: { first_reply: { low: 4, normal: 3, high: 2, urgent: 1 } },
          ladders: {},
        },
      ],
    };
    const selection = selectSlaPolicy(config, ticket());
    expect(metricSlaFor(config, selection, 'pending_approval', 'normal')).toBeNull();
    expect(metricSlaFor(config, selection, 'first_reply', 'high')).toMatchObject({
      targetSeconds: 2,
      time: { kind: 'calendar' },
      levels: [],
      policyVersion: 3,
    });
  });

  it('an unvalidated config without a catch-all fails loudly', () => {
    const config: SlaConfig = {
      version: 'broken',
      calendars: [],
      policies: [{ ...DEFAULT_SLA_CONFIG.policies[0]!, when: { tier: ['vip'] } }],
    };
    expect(() => selectSlaPolicy(config, ticket())).toThrow(/no SLA policy of config broken matches/);
  });
});
