/** The SLA benchmarks' ticket: triaged, waiting for an agent, its first-reply clock due at a given instant. */
import type { SlaConfig } from '../../libs/domain';
import type { SearchAttributePair } from '@temporalio/common';
import type { TicketState, TicketWorkflowInput } from '../../workflows/ticket/ticket.messages';
import { ticketSearchAttributes } from '../../workflows/ticket/ticket.search-attributes';

/** One level at the deadline: raise the priority, move to escalations, notify a webhook. */
export const BENCH_SLA: SlaConfig = {
  version: 'bench',
  calendars: [],
  policies: [
    {
      id: 'bench',
      version: 1,
      when: {},
      time: 'calendar',
      targets: { first_reply: { urgent: 3600, high: 3600, normal: 3600, low: 3600 } },
      ladders: {
        first_reply: [
          {
            id: 'breach',
            at: { atDeadline: true },
            actions: [
              { type: 'raise_priority' },
              { type: 'move_to_queue', queue: 'escalations' },
              { type: 'notify', channel: 'webhook', target: 'sla-alerts' },
            ],
          },
        ],
      },
    },
  ],
};

/**
 * A ticket already triaged and waiting for an agent, its first-reply clock started so it is due at `deadline`: the
 * input of a run its earlier run continued as new, after publishing its state (the bench inserts that read-model
 * row) and setting its search attributes (the server carries them over; `waitingTicketSearchAttributes`).
 */
export function waitingTicket(ticketId: string, deadline: number): TicketWorkflowInput {
  const now = Date.now();
  const state: TicketState = {
    seq: 1,
    status: 'awaiting_review',
    route: 'review',
    queue: 'standard',
    priority: 'normal',
    draftVersion: 1,
    escalated: false,
    claimedBy: null,
    slaState: 'ok',
    slaDeadline: new Date(deadline).toISOString(),
    pendingMessages: 0,
  };
  return {
    ticketId,
    autoSendUndoSeconds: 120,
    reopenWindowSeconds: 3600,
    slaConfig: BENCH_SLA,
    carried: {
      state,
      outcome: null,
      context: null,
      seenMessageIds: [],
      sentDraftVersion: null,
      decision: null,
      slaClocks: [
        {
          metric: 'first_reply',
          startedAt: new Date(now).toISOString(),
          pauses: [],
          policyId: 'bench',
          policyVersion: 1,
          targetSeconds: (deadline - now) / 1000,
          firedLevelIds: [],
          breachRecorded: false,
          metAt: null,
        },
      ],
      published: true,
    },
  };
}

/** The search attributes a waiting ticket's run starts with (what its earlier run set). */
export function waitingTicketSearchAttributes(input: TicketWorkflowInput): SearchAttributePair[] {
  const state = input.carried?.state;
  if (!state) throw new Error('a waiting ticket carries its state');
  return ticketSearchAttributes(state, null).filter((pair): pair is SearchAttributePair => pair.value !== null);
}
