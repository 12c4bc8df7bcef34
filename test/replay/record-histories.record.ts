/**
 * Records one history per ticket workflow scenario into test/fixtures/histories/.
 * Run with `npm run record:histories` only to ADD scenarios: existing files are the compatibility contract
 * and are never overwritten (delete one by hand only when its scenario is truly gone from production).
 */
import type { Client } from '@temporalio/client';
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
import { connectTemporal, withWorker, type TemporalTestContext } from '../support/temporal';
import { exportHistory, HISTORIES_DIR } from './histories';

const agent: Actor = { id: 'agent-1', role: 'agent' };
const lead: Actor = { id: 'lead', role: 'supervisor' };
const settings = {
  autoSendUndoSeconds: 1,
  reopenWindowSeconds: 1,
  slaConfig: quickSlaConfig(3600, ['first_reply', 'human_pickup', 'pending_approval'], 60),
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ScenarioContext {
  tickets: TicketWorkflowClient;
  client: Client;
  id: string;
  waitFor(status: string): Promise<void>;
  /** Also record this earlier run of the workflow (e.g. the one that continued as new) under `name`. */
  alsoRecord(name: string, runId: string): void;
}

interface Scenario {
  routes: Parameters<typeof fakeActivities>[0];
  options?: Parameters<typeof fakeActivities>[1];
  input?: Partial<TicketWorkflowInput>;
  run(ctx: ScenarioContext): Promise<void>;
}

const scenarios: Record<string, Scenario> = {
  'auto-sent': { routes: 'auto', run: async () => undefined },
  'auto-send-cancelled': {
    routes: 'auto',
    input: { autoSendUndoSeconds: 30 },
    run: async ({ tickets, id, waitFor }) => {
      await waitFor('auto_send_pending');
      await tickets.decide(id, 'cancel-auto-send', { actor: agent });
      await tickets.decide(id, 'approve', { actor: agent, draftVersion: 1 });
    },
  },
  'review-approved': {
    routes: 'review',
    run: async ({ tickets, id, waitFor }) => {
      await waitFor('awaiting_review');
      await tickets.decide(id, 'claim', { actor: agent });
      await tickets.decide(id, 'note', { actor: agent, text: 'checked the order' });
      await tickets.decide(id, 'approve', { actor: agent, draftVersion: 1 });
    },
  },
  'rejected-closed': {
    routes: 'review',
    run: async ({ tickets, id, waitFor }) => {
      await waitFor('awaiting_review');
      await tickets.decide(id, 'reject', { actor: agent, reason: 'not a support request' });
    },
  },
  /** Every level of a ladder fires (warn, breach, after the breach), a supervisor reassigns, an agent edits. */
  'escalated-sla-breach': {
    routes: 'escalate',
    input: { slaConfig: quickSlaConfig(1, ['first_reply'], 1) },
    run: async ({ tickets, id, waitFor }) => {
      await waitFor('escalated');
      await pause(2500);
      await tickets.decide(id, 'reassign', { actor: lead, queue: 'priority', reason: 'breach' });
      await tickets.decide(id, 'edit', { actor: agent, draftVersion: 1, text: 'Sorry for the wait: here it is.' });
    },
  },
  /** Since each pass writes everything in one local activity (`sla-pass-one-write`): every level of a ladder. */
  'sla-levels-one-write': {
    routes: 'escalate',
    input: { slaConfig: quickSlaConfig(1, ['first_reply'], 1) },
    run: async ({ tickets, id, waitFor }) => {
      await waitFor('escalated');
      await pause(2500);
      await tickets.decide(id, 'approve', { actor: lead, draftVersion: 1 });
    },
  },
  /** Since acknowledgements at handoff (the input's acknowledgeAfterSeconds): acknowledged, then answered. */
  'acknowledged-handoff': {
    routes: 'review',
    input: { acknowledgeAfterSeconds: 1 },
    run: async ({ tickets, id, waitFor }) => {
      await waitFor('awaiting_review');
      await pause(2500);
      await tickets.decide(id, 'approve', { actor: agent, draftVersion: 1 });
    },
  },
  /** Levels fire on two clocks, the customer is awaited (clocks pause), replies (they resume), an agent approves. */
  'sla-ladder-paused': {
    routes: 'review',
    input: { slaConfig: quickSlaConfig(2, ['first_reply', 'human_pickup'], 1) },
    run: async ({ tickets, id, waitFor }) => {
      await waitFor('escalated');
      await pause(2500);
      await tickets.decide(id, 'await-customer', { actor: agent, reason: 'photos of the damage' });
      await tickets.appendMessage(id, '<photos@example.com>');
      await waitFor('escalated');
      await tickets.decide(id, 'approve', { actor: agent, draftVersion: 2 });
    },
  },
  'follow-up-retriaged': {
    routes: ['review', 'escalate'],
    run: async ({ tickets, id, waitFor }) => {
      await waitFor('awaiting_review');
      await tickets.appendMessage(id, '<follow-up@example.com>');
      await pause(500);
      await waitFor('escalated');
      await tickets.decide(id, 'approve', { actor: agent, draftVersion: 2 });
    },
  },
  /** The customer writes again while the resolved ticket is still open: a second triage and a second reply. */
  'resolved-reopened': {
    routes: 'review',
    input: { reopenWindowSeconds: 30 },
    run: async ({ tickets, id, waitFor }) => {
      await waitFor('awaiting_review');
      await tickets.decide(id, 'approve', { actor: agent, draftVersion: 1 });
      await waitFor('resolved');
      await tickets.appendMessage(id, '<one-more-question@example.com>');
      await waitFor('awaiting_review');
      await tickets.decide(id, 'reject', { actor: agent, reason: 'answered by phone' });
    },
  },
  /** SMTP refuses the reply for good: the ticket goes back to a human, who closes it. */
  'delivery-failed': {
    routes: 'review',
    options: { failSend: true },
    run: async ({ tickets, id, waitFor }) => {
      await waitFor('awaiting_review');
      await tickets.decide(id, 'approve', { actor: agent, draftVersion: 1 });
      await waitFor('escalated');
      await tickets.decide(id, 'reject', { actor: lead, reason: 'customer address bounces' });
    },
  },
  /** A long thread continues as new with its state; both runs are recorded. */
  'continued-as-new': {
    routes: 'review',
    input: { continueAsNewAfterEvents: 40 },
    run: async ({ tickets, client, id, waitFor, alsoRecord }) => {
      await waitFor('awaiting_review');
      const firstRun = (await client.workflow.getHandle(ticketWorkflowId(id)).describe()).runId;
      for (let i = 0; i < 8; i++) await tickets.decide(id, 'note', { actor: agent, text: `note ${i}` });
      await eventually(async () =>
        expect((await client.workflow.getHandle(ticketWorkflowId(id)).describe()).runId).not.toBe(firstRun),
      );
      alsoRecord('continued-as-new-first-run', firstRun);
      await waitFor('awaiting_review');
      await tickets.decide(id, 'approve', { actor: agent, draftVersion: 1 });
    },
  },
};

describe('record ticket workflow histories', () => {
  let ctx: TemporalTestContext;
  beforeAll(async () => {
    // Plain payloads: the fixtures stay readable, and replay passes them through the codec unchanged.
    ctx = await connectTemporal({ payloadKeys: null });
  });
  afterAll(async () => {
    await ctx.close();
  });

  for (const [name, scenario] of Object.entries(scenarios)) {
    const file = join(HISTORIES_DIR, `${name}.json`);
    it(`${name}${existsSync(file) ? ' (kept: already recorded)' : ''}`, async () => {
      if (existsSync(file)) return;
      const rec = fakeActivities(scenario.routes, scenario.options);
      await withWorker(ctx, rec.activities, async (taskQueue) => {
        const ticketId = `00000000-0000-4000-8000-${String(Object.keys(scenarios).indexOf(name)).padStart(12, '0')}`;
        const input: TicketWorkflowInput = { ticketId, ...settings, ...scenario.input };
        const handle = await ctx.client.workflow.start(TICKET_WORKFLOW_TYPE, {
          workflowId: ticketWorkflowId(ticketId),
          taskQueue,
          args: [input],
        });
        const tickets = new TicketWorkflowClient(ctx.client, { taskQueue, ...settings });
        const latest = () => ctx.client.workflow.getHandle(handle.workflowId);
        const extra: Record<string, string> = {};
        await scenario.run({
          tickets,
          client: ctx.client,
          id: ticketId,
          waitFor: (status) => eventually(async () => expect((await latest().query(stateQuery)).status).toBe(status)),
          alsoRecord: (extraName, runId) => void (extra[extraName] = runId),
        });
        await latest().result();
        writeFileSync(file, exportHistory(handle.workflowId));
        for (const [extraName, runId] of Object.entries(extra)) {
          writeFileSync(join(HISTORIES_DIR, `${extraName}.json`), exportHistory(handle.workflowId, runId));
        }
      });
    });
  }
});
