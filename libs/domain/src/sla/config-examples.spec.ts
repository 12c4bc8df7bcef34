// This spec reads docs/sla.md so the config examples there stay valid; the shipped SLA code never does I/O.
/* eslint-disable no-restricted-imports */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
/* eslint-enable no-restricted-imports */
import { DEFAULT_SLA_CONFIG } from './default-config';
import { clockDeadline } from './metric-clock';
import { resolveMetricSla, selectSlaPolicy } from './policy';
import type { BusinessCalendar, SlaConfig, SlaPolicy, SlaTicketFacts } from './sla.types';
import { local, wallClock } from './test-fixtures';
import { validateBusinessCalendar, validateSlaConfig } from './validate-config';

const DOC = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'sla.md'), 'utf8');

/** The JSON block that follows `<!-- example: <name> -->` in docs/sla.md. */
function docExample<T>(name: string): T {
  const match = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(DOC);
  if (!match) throw new Error(`docs/sla.md has no example "${name}"`);
  return JSON.parse(match[1] as string) as T;
}

const facts = (over: Partial<SlaTicketFacts>): SlaTicketFacts => ({
  queue: 'standard',
  priority: 'normal',
  tier: 'standard',
  intent: null,
  channel: 'email',
  ...over,
});

describe('docs/sla.md config examples', () => {
  const vipChat = docExample<SlaPolicy>('policy vip-chat');
  const berlin = docExample<BusinessCalendar>('calendar eu-berlin');

  /** The default config with both doc changes applied, as the doc describes them. */
  const config: SlaConfig = JSON.parse(JSON.stringify(DEFAULT_SLA_CONFIG));
  config.policies.unshift(vipChat);
  config.calendars.push(berlin);
  const risk = config.policies.find((p) => p.id === 'risk') as SlaPolicy;
  Object.assign(risk, { version: 2, calendar: 'eu-berlin' });

  it('the calendar and the resulting config validate', () => {
    expect(validateBusinessCalendar(berlin).ok).toBe(true);
    expect(validateSlaConfig(config)).toEqual({ ok: true, value: config });
  });

  it('“add an SLA tier”: VIP chat tickets get the new policy, other VIP tickets keep theirs', () => {
    expect(selectSlaPolicy(config, facts({ tier: 'vip', channel: 'chat' })).policyId).toBe('vip-chat');
    expect(selectSlaPolicy(config, facts({ tier: 'vip', channel: 'email' })).policyId).toBe('vip');
    expect(
      resolveMetricSla(config, facts({ tier: 'vip', channel: 'chat', priority: 'urgent' }), 'first_reply'),
    ).toMatchObject({
      policyId: 'vip-chat',
      targetSeconds: 300,
      time: { kind: 'calendar' },
    });
    expect(resolveMetricSla(config, facts({ tier: 'vip', channel: 'chat' }), 'human_pickup')).toBeNull();
  });

  it('“add a calendar”: the risk queue runs on Berlin hours, skipping Good Friday and Easter Monday', () => {
    const sla = resolveMetricSla(config, facts({ queue: 'risk', priority: 'high' }), 'first_reply');
    expect(sla).toMatchObject({ policyId: 'risk', policyVersion: 2, targetSeconds: 2 * 3_600 });
    const startedAt = local('2026-04-02T16:00', 'Europe/Berlin'); // Thursday before Easter
    const deadline = clockDeadline({ startedAt, pauses: [] }, sla!.targetSeconds, sla!.time);
    expect(wallClock(deadline as Date, 'Europe/Berlin')).toBe('2026-04-07T09:00 Tue');
  });
});
