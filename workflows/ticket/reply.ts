/**
 * Replies to the customer: an agent's accepted decision, or an auto-send after its undo window. A reply that
 * cannot be delivered goes back to a human with the error; the ticket never silently fails.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  patched,
  setCurrentDetails,
  TimeoutFailure,
} from '@temporalio/workflow';
import { replySubject, SYSTEM_ACTOR } from '../../libs/domain/workflow-rules';
import { activities, DELIVERY } from './activities';
import { escalateWhileSending } from './sla';
import type { AgentDecision } from './ticket.messages';
import type { TicketRun } from './ticket-state';
import { workflowNow } from './workflow-clock';

/** A reply still failing to go out after this long goes back to an agent with the error. */
const DEFAULT_SEND_TIMEOUT_SECONDS = 30 * 60;

/** Carries out the decision an Update accepted: a reply to send, or a close. */
export async function carryOutDecision(run: TicketRun): Promise<void> {
  const chosen = run.decision;
  run.decision = null;
  if (chosen?.kind === 'send') return deliver(run, chosen);
  run.endHandoff();
  run.transition('closed');
  await run.publish();
}

/** The auto-send's undo window; sends the draft unless an agent cancels or the customer writes again. */
export async function awaitUndoWindow(run: TicketRun): Promise<void> {
  const { autoSendUndoSeconds } = run.input;
  setCurrentDetails(`Auto-reply queued: sends in ${autoSendUndoSeconds}s unless an agent cancels it.`);
  const interrupted = await condition(
    () => run.autoSendCancelled || run.state.pendingMessages > 0 || run.shouldContinueAsNew(),
    autoSendUndoSeconds * 1000,
  );
  if (interrupted) return;
  const body = run.outcome?.draft?.body;
  if (body === undefined) throw new Error('auto-send without a draft'); // routing never auto-sends without one
  await deliver(run, { kind: 'send', actor: SYSTEM_ACTOR, body, draftVersion: run.state.draftVersion, edited: false });
}

/**
 * A resolved ticket waits for the customer; true when something woke it (they wrote back, the reply bounced, the
 * history needs a fresh run), false when the reopen window ended.
 */
export async function awaitCustomerReply(run: TicketRun): Promise<boolean> {
  const { reopenWindowSeconds } = run.input;
  setCurrentDetails(`Resolved; open for a customer reply for ${reopenWindowSeconds}s.`);
  return condition(
    () => run.state.pendingMessages > 0 || run.bounce !== null || run.shouldContinueAsNew(),
    reopenWindowSeconds * 1000,
  );
}

/** The reply did not reach the customer: the ticket goes back to people with what the delivery report said. */
export async function handBackBounced(run: TicketRun): Promise<void> {
  const bounce = run.bounce;
  if (!bounce) return;
  run.bounce = null;
  run.state.escalated = true;
  run.startHandoff(workflowNow());
  run.transition('escalated');
  await run.audit(SYSTEM_ACTOR, 'delivery_failed', { messageId: bounce.messageId }, { error: bounce.reason });
  await run.publish();
}

/** The customer answered a finished ticket: the next-reply clock starts at their message. */
export function reopen(run: TicketRun): void {
  run.clocks.start('next_reply', workflowNow(), run.slaFacts());
}

async function deliver(run: TicketRun, choice: Extract<AgentDecision, { kind: 'send' }>): Promise<void> {
  const { state, context } = run;
  if (!context) throw new Error('deliver() before triage');
  run.transition('sending');
  setCurrentDetails(`Sending reply (draft v${choice.draftVersion}${choice.edited ? ', edited by an agent' : ''}).`);
  try {
    const replyNumber = run.nextReplyNumber();
    const sendTimeoutSeconds = run.input.sendTimeoutSeconds ?? DEFAULT_SEND_TIMEOUT_SECONDS;
    const options = { ...DELIVERY, scheduleToCloseTimeout: sendTimeoutSeconds * 1000 };
    const sending = activities.sendReply.executeWithOptions({ ...options, summary: `Send reply ${replyNumber}` }, [
      {
        ticketId: run.ticketId,
        replyNumber,
        draftVersion: choice.draftVersion,
        to: context.customerEmail,
        subject: replySubject(context.subject, run.ticketId),
        body: choice.body,
        inReplyTo: context.latestMessageId,
        sentBy: choice.actor.role === 'system' ? 'auto' : 'agent',
      },
    ]);
    // Histories from before the ladder ran during delivery wait for the send alone.
    if (patched('sla-while-sending')) await escalateWhileSending(run, sending);
    await sending;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause =
      error.cause instanceof ApplicationFailure
        ? error.cause.message
        : error.cause instanceof TimeoutFailure
          ? `the reply could not be delivered within ${run.input.sendTimeoutSeconds ?? DEFAULT_SEND_TIMEOUT_SECONDS} s`
          : 'delivery failed';
    state.escalated = true;
    run.transition('escalated');
    await run.audit(SYSTEM_ACTOR, 'delivery_failed', { draftVersion: choice.draftVersion }, { error: cause });
    await run.publish();
    return;
  }
  run.sentDraftVersion = choice.draftVersion;
  const sentAt = workflowNow();
  for (const metric of ['first_reply', 'next_reply', 'pending_approval', 'human_pickup'] as const) {
    run.clocks.meet(metric, sentAt);
  }
  state.slaState = 'met';
  state.slaDeadline = null;
  state.claimedBy = null;
  run.endHandoff();
  run.transition('resolved');
  await run.publish();
}
