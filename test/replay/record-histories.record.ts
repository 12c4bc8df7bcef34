/**
 * Records one history per ticket workflow scenario into test/fixtures/histories/.
 * Run with `npm run record:histories` only to ADD scenarios: existing files are the compatibility contract
 * and are never overwritten (delete one by hand only when its scenario is truly gone from production).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TicketWorkflowClient } from '../../libs/temporal';
import {
  stateQuery,
  TICKET_WORKFLOW_TYPE,
  ticketWorkflowId,
  type Actor,
  type TicketWorkflowInput,
} from '../../workflows/ticket/ticket.messages';
import { eventually } from '../support/eventually';
import { fakeActivities } from '../support/fake-activities';
import { quickSlaConfig } from '../support/sla';
import { testEnv } from '../support/stack';
import { connectTemporal, withWorker, type TemporalTestContext } from '../support/temporal';
import { HISTORIES_DIR } from './histories';

const agent: Actor = { id: 'agent-1', role: 'agent' };
const settings = {
  autoSendUndoSeconds: 1,
  reopenWindowSeconds: 1,
  sla: [{ firstResponseSeconds: 3600, nextResponseSeconds: 3600 }],
};

/** Levels fire on two clocks, the customer is awaited (clocks pause), replies (they resume), an agent approves. */
const ladderEscalation = {
  routes: 'review',
  input: { sla: undefined, slaConfig: quickSlaConfig(2, ['first_reply', 'human_pickup'], 1) },
  run: async (tickets: TicketWorkflowClient, id: string, waitFor: (status: string) => Promise<void>) => {
    await waitFor('escalated');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await tickets.decide(id, 'await-customer', { actor: agent, reason: 'photos of the damage' });
    await tickets.appendMessage(id, '<photos@example.com>');
    await waitFor('escalated');
    await tickets.decide(id, 'approve', { actor: agent, draftVersion: 2 });
  },
} as const;

type Scenario = (
  tickets: TicketWorkflowClient,
  ticketId: string,
  waitFor: (status: string) => Promise<void>,
) => Promise<void>;

const scenarios: Record<
  string,
  { routes: Parameters<typeof fakeActivities>[0]; input?: Partial<TicketWorkflowInput>; run: Scenario }
> = {
  'auto-sent': { routes: 'auto', run: async () => undefined },
  'auto-send-cancelled': {
    routes: 'auto',
    input: { autoSendUndoSeconds: 30 },
    run: async (tickets, id, waitFor) => {
      await waitFor('auto_send_pending');
      await tickets.decide(id, 'cancel-auto-send', { actor: agent });
      await tickets.decide(id, 'approve', { actor: agent, draftVersion: 1 });
    },
  },
  'review-approved': {
    routes: 'review',
    run: async (tickets, id, waitFor) => {
      await waitFor('awaiting_review');
      await tickets.decide(id, 'claim', { actor: agent });
      await tickets.decide(id, 'note', { actor: agent, text: 'checked the order' });
      await tickets.decide(id, 'approve', { actor: agent, draftVersion: 1 });
    },
  },
  'escalated-sla-breach': {
    routes: 'escalate',
    input: { sla: [{ firstResponseSeconds: 1, nextResponseSeconds: 1 }] },
    run: async (tickets, id, waitFor) => {
      await waitFor('escalated');
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await tickets.decide(id, 'reassign', {
        actor: { id: 'lead', role: 'supervisor' },
        queue: 'priority',
        reason: 'breach',
      });
      await tickets.decide(id, 'edit', {
        actor: agent,
        draftVersion: 1,
        text: 'Sorry for the wait: here is the answer.',
      });
    },
  },
  'follow-up-retriaged': {
    routes: ['review', 'escalate'],
    run: async (tickets, id, waitFor) => {
      await waitFor('awaiting_review');
      await tickets.appendMessage(id, '<follow-up@example.com>');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await waitFor('escalated');
      await tickets.decide(id, 'approve', { actor: agent, draftVersion: 2 });
    },
  },
  'sla-ladder-escalated': ladderEscalation,
  // after an SLA pass's audits and read-model write became local activities (patch `sla-local-writes`)
  'sla-ladder-local-writes': ladderEscalation,
  'review-approved-local-scoring': {
    routes: 'review',
    input: { sla: undefined, slaConfig: quickSlaConfig(3600, ['first_reply', 'human_pickup', 'pending_approval'], 60) },
    run: async (tickets, id, waitFor) => {
      await waitFor('awaiting_review');
      await tickets.decide(id, 'claim', { actor: agent });
      await tickets.decide(id, 'approve', { actor: agent, draftVersion: 1 });
    },
  },
  'rejected-closed': {
    routes: 'review',
    run: async (tickets, id, waitFor) => {
      await waitFor('awaiting_review');
      await tickets.decide(id, 'reject', { actor: agent, reason: 'not a support request' });
    },
  },
};

describe('record ticket workflow histories', () => {
  let ctx: TemporalTestContext;
  beforeAll(async () => {
    ctx = await connectTemporal();
  });
  afterAll(async () => {
    await ctx.close();
  });

  for (const [name, scenario] of Object.entries(scenarios)) {
    const file = join(HISTORIES_DIR, `${name}.json`);
    it(`${name}${existsSync(file) ? ' (kept: already recorded)' : ''}`, async () => {
      if (existsSync(file)) return;
      const rec = fakeActivities(scenario.routes);
      await withWorker(ctx, rec.activities, async (taskQueue) => {
        const ticketId = `00000000-0000-4000-8000-${String(Object.keys(scenarios).indexOf(name)).padStart(12, '0')}`;
        const handle = await ctx.client.workflow.start(TICKET_WORKFLOW_TYPE, {
          workflowId: ticketWorkflowId(ticketId),
          taskQueue,
          args: [{ ticketId, ...settings, ...scenario.input }],
        });
        const tickets = new TicketWorkflowClient(ctx.client, { taskQueue, ...settings });
        const waitFor = (status: string) =>
          eventually(async () => expect((await handle.query(stateQuery)).status).toBe(status));
        await scenario.run(tickets, ticketId, waitFor);
        await handle.result();
        // The CLI's JSON is the format Temporal UI and `temporal workflow show` export, so ops can add real histories too.
        const json = execFileSync(process.env.TEMPORAL_CLI ?? 'temporal', [
          'workflow',
          'show',
          '--workflow-id',
          handle.workflowId,
          '--address',
          testEnv().temporalAddress,
          '--output',
          'json',
        ]);
        writeFileSync(file, json);
      });
    });
  }
});
