import { allHandlersFinished, condition, continueAsNew, setCurrentDetails } from '@temporalio/workflow';
import { FINISHED } from '../../libs/domain/workflow-rules';
import { registerHandlers } from './handlers';
import { awaitCustomerReply, awaitUndoWindow, carryOutDecision, handBackBounced, reopen } from './reply';
import { waitForAgent } from './sla';
import type { TicketWorkflowInput, TicketWorkflowResult } from './ticket.messages';
import { TicketRun } from './ticket-state';
import { triage } from './triage';

/**
 * One ticket, from the first customer message to the last reply. Triage (classify → fetch order → draft →
 * score → route), then an auto-send with an undo window, or a durable wait for an agent's decision under SLA
 * clocks whose deadlines escalate — never fail — when they pass. Customer follow-ups re-triage and make the old
 * draft stale; a resolved ticket stays open for a reply until its reopen window ends.
 */
export async function ticketWorkflow(input: TicketWorkflowInput): Promise<TicketWorkflowResult> {
  const run = new TicketRun(input);
  const { state } = run;
  registerHandlers(run);

  if (!input.carried) await triage(run);

  for (;;) {
    if (run.decision !== null) {
      await carryOutDecision(run);
      continue;
    }
    if (run.shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      // A decision accepted while handlers finished travels with the state; the next run applies it first.
      return continueAsNew<typeof ticketWorkflow>({ ...input, carried: run.carry() });
    }
    if (state.pendingMessages > 0) {
      if (FINISHED.includes(state.status)) reopen(run);
      await triage(run);
      continue;
    }
    switch (state.status) {
      case 'auto_send_pending':
        await awaitUndoWindow(run);
        continue;
      case 'awaiting_review':
      case 'escalated':
        await waitForAgent(run);
        continue;
      case 'waiting_on_customer':
        setCurrentDetails('Waiting on the customer; SLA clocks are paused until they reply.');
        await condition(() => state.pendingMessages > 0 || run.decision !== null || run.shouldContinueAsNew());
        continue;
      case 'resolved':
        if (await awaitCustomerReply(run)) {
          if (run.bounce) await handBackBounced(run);
          continue;
        }
        run.transition('closed');
        await run.publish();
        continue;
      case 'closed':
        setCurrentDetails('Closed.');
        await condition(allHandlersFinished);
        if (state.pendingMessages > 0) continue; // a message that arrived while closing reopens the ticket
        return { status: state.status, route: state.route, sentDraftVersion: run.sentDraftVersion };
      default:
        // Every other status is transient inside one step; reaching it here is a bug, not a state to spin in.
        throw new Error(`ticket workflow reached an unexpected status at rest: ${state.status}`);
    }
  }
}
