import type { LadderLevel, PriorityTargets, SlaConfig, SlaMetric } from '../../libs/domain';

const every = (seconds: number): PriorityTargets => ({ urgent: seconds, high: seconds, normal: seconds, low: seconds });

/** A ladder in seconds: warn at half the target, escalate at the deadline, hand to a supervisor `afterSeconds` later. */
export function quickLadder(afterSeconds: number): LadderLevel[] {
  return [
    {
      id: 'warn',
      at: { percentOfTarget: 50 },
      actions: [{ type: 'notify', channel: 'webhook', target: 'sla-alerts' }],
    },
    {
      id: 'breach',
      at: { atDeadline: true },
      actions: [
        { type: 'raise_priority' },
        { type: 'move_to_queue', queue: 'escalations' },
        { type: 'notify', channel: 'webhook', target: 'sla-alerts' },
      ],
    },
    { id: 'breach_plus', at: { afterDeadlineSeconds: afterSeconds }, actions: [{ type: 'reassign_to_supervisor' }] },
  ];
}

/** An SLA config on calendar time with targets of a few seconds, so tests never wait long. */
export function quickSlaConfig(
  targetSeconds: number,
  metrics: SlaMetric[] = ['first_reply'],
  afterSeconds = 2,
): SlaConfig {
  return {
    version: `test-${targetSeconds}s`,
    calendars: [],
    policies: [
      {
        id: 'test',
        version: 1,
        when: {},
        time: 'calendar',
        targets: Object.fromEntries(metrics.map((m) => [m, every(targetSeconds)])),
        ladders: Object.fromEntries(metrics.map((m) => [m, quickLadder(afterSeconds)])),
      },
    ],
  };
}
