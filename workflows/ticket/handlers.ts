/**
 * The ticket workflow's messages. Agents' decisions are Updates: a validator (a pure rule of libs/domain) refuses
 * a decision before anything is recorded, so the API gets a synchronous, stable answer; a handler then changes the
 * state, records the audit row and publishes. Customer follow-ups arrive by signal; the state by query.
 */
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import {
  validateApprove,
  validateAwaitCustomer,
  validateCancelAutoSend,
  validateClaim,
  validateEdit,
  validateNote,
  validateReassign,
  validateReject,
} from '../../libs/domain/workflow-rules';
import type { Actor, Rejection } from '../../libs/domain';
import {
  approveUpdate,
  awaitCustomerUpdate,
  cancelAutoSendUpdate,
  claimUpdate,
  customerMessageSignal,
  editUpdate,
  noteUpdate,
  reassignUpdate,
  rejectUpdate,
  replyBouncedSignal,
  stateQuery,
  type AgentDecision,
  type DecisionResult,
} from './ticket.messages';
import type { TicketRun } from './ticket-state';
import { workflowNow } from './workflow-clock';

export function registerHandlers(run: TicketRun): void {
  const { state, clocks } = run;
  const refuse = (rejection: Rejection | null): void => {
    if (rejection)
      throw ApplicationFailure.create({ type: rejection.code, message: rejection.message, nonRetryable: true });
  };

  setHandler(stateQuery, () => ({ ...state }));
  setHandler(customerMessageSignal, ({ messageId }) => run.receiveMessage(messageId));
  setHandler(replyBouncedSignal, (bounce) => {
    // Only a reply that was sent can bounce; once the ticket moved on (a new message, a person on it) the report
    // is in the audit trail already, written by intake.
    if (state.status === 'resolved') run.bounce = bounce;
  });

  setHandler(
    claimUpdate,
    async ({ actor, takeOver }) => {
      const before = state.claimedBy;
      state.claimedBy = actor.id;
      run.agentActed();
      const action = takeOver && before ? 'take_over' : 'claim';
      return commit(run, actor, action, { claimedBy: before }, { claimedBy: actor.id });
    },
    { validator: (input) => refuse(validateClaim(run.decisionView(), input)) },
  );

  setHandler(
    approveUpdate,
    async ({ actor, draftVersion }) => {
      const body = run.outcome?.draft?.body;
      if (body === undefined) throw new Error('approve accepted without a draft'); // the validator requires one
      return decide(run, { kind: 'send', actor, body, draftVersion, edited: false }, 'approve', { draftVersion });
    },
    { validator: (input) => refuse(validateApprove(run.decisionView(), input)) },
  );

  setHandler(
    editUpdate,
    async ({ actor, draftVersion, text }) => {
      const body = text.trim();
      const details = { draftVersion, chars: body.length };
      return decide(run, { kind: 'send', actor, body, draftVersion, edited: true }, 'edit', details);
    },
    { validator: (input) => refuse(validateEdit(run.decisionView(), input)) },
  );

  setHandler(
    rejectUpdate,
    async ({ actor, reason, reply }) => {
      const text = reply?.trim();
      const choice: AgentDecision = text
        ? { kind: 'send', actor, body: text, draftVersion: state.draftVersion, edited: true }
        : { kind: 'close', actor };
      return decide(run, choice, 'reject', { reason, withReply: Boolean(text) });
    },
    { validator: (input) => refuse(validateReject(run.decisionView(), input)) },
  );

  setHandler(
    reassignUpdate,
    async ({ actor, queue, reason }) => {
      const before = { queue: state.queue, claimedBy: state.claimedBy };
      state.queue = queue;
      state.claimedBy = null;
      run.agentActed();
      clocks.retarget(run.slaFacts());
      return commit(run, actor, 'reassign', before, { queue, reason });
    },
    { validator: (input) => refuse(validateReassign(run.decisionView(), input)) },
  );

  setHandler(
    noteUpdate,
    async ({ actor, text }) => {
      run.agentActed();
      const answer = run.result();
      await run.audit(actor, 'note', null, { text });
      return answer;
    },
    { validator: (input) => refuse(validateNote(run.decisionView(), input)) },
  );

  setHandler(
    cancelAutoSendUpdate,
    async ({ actor }) => {
      run.autoSendCancelled = true;
      state.route = 'review';
      state.claimedBy = actor.id;
      run.agentActed();
      run.startHandoff(workflowNow());
      run.transition('awaiting_review');
      return commit(run, actor, 'cancel_auto_send', { status: 'auto_send_pending' }, { status: 'awaiting_review' });
    },
    { validator: (_input) => refuse(validateCancelAutoSend(run.decisionView())) },
  );

  setHandler(
    awaitCustomerUpdate,
    async ({ actor, reason }) => {
      const before = { status: state.status };
      run.agentActed();
      clocks.pause(workflowNow());
      state.slaState = 'paused';
      run.transition('waiting_on_customer');
      return commit(run, actor, 'await_customer', before, { status: 'waiting_on_customer', reason });
    },
    { validator: (input) => refuse(validateAwaitCustomer(run.decisionView(), input)) },
  );
}

/** An agent's reply or close: accepted now, carried out by the main loop (so a send survives continue-as-new). */
async function decide(
  run: TicketRun,
  choice: AgentDecision,
  action: string,
  details: Record<string, unknown>,
): Promise<DecisionResult> {
  const now = workflowNow();
  run.decision = choice;
  run.agentActed();
  run.clocks.meet('pending_approval', now);
  if (choice.kind === 'close') run.clocks.meetAll(now);
  const before = { status: run.state.status, claimedBy: run.state.claimedBy };
  run.state.claimedBy = choice.actor.id;
  run.transition(choice.kind === 'send' ? 'sending' : 'closed');
  return commit(run, choice.actor, action, before, { ...details, status: run.state.status });
}

/** The answer reflects the state the decision made; the audit row and the read model follow, in that order. */
async function commit(
  run: TicketRun,
  actor: Actor,
  action: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): Promise<DecisionResult> {
  const answer = run.result();
  const snapshot = run.nextSnapshot();
  await run.audit(actor, action, before, after);
  await run.publish(snapshot);
  return answer;
}
