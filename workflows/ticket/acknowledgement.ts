/**
 * The customer is never left wondering: when a ticket goes to people and no reply has gone out
 * `acknowledgeAfterSeconds` later, the customer gets one acknowledgement — that a person has their request, and by
 * when to expect an answer. Once per handoff; not for a sender whose address failed authentication (the note would
 * confirm to a spoofer that the ticket exists); never after a reply. Tickets started without the setting (before
 * acknowledgements existed) never send one, which is what keeps their histories replaying.
 */
import { ActivityFailure } from '@temporalio/workflow';
import { SYSTEM_ACTOR } from '../../libs/domain/workflow-rules';
import { activities, ACKNOWLEDGEMENT } from './activities';
import type { TicketRun } from './ticket-state';
import { workflowNow } from './workflow-clock';

/** When the acknowledgement of the current handoff is due; null when there is none to send. */
export function acknowledgementDueAt(run: TicketRun): Date | null {
  const delaySeconds = run.input.acknowledgeAfterSeconds;
  const handoff = run.handoff;
  if (!delaySeconds || !handoff || handoff.acknowledged) return null;
  if (run.context?.senderTrust?.verified === false) return null;
  return new Date(Date.parse(handoff.startedAt) + delaySeconds * 1000);
}

/** Sends it; a failure is recorded for people to see and never tried again, nor held against the ticket. */
export async function acknowledge(run: TicketRun): Promise<void> {
  const { handoff, context } = run;
  if (!handoff || !context) return;
  handoff.acknowledged = true;
  const { deadline, timeZone } = run.clocks.replyDeadline(workflowNow());
  try {
    await activities.sendAcknowledgement.executeWithOptions(
      { ...ACKNOWLEDGEMENT, summary: 'Tell the customer a person has their request' },
      [
        {
          ticketId: run.ticketId,
          episode: handoff.number,
          to: context.customerEmail,
          customerName: context.customerName,
          subject: context.subject,
          inReplyTo: context.latestMessageId,
          queue: run.state.queue,
          expectedBy: deadline?.toISOString() ?? null,
          timeZone,
        },
      ],
    );
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const failure = { error: error.cause?.message ?? error.message };
    await run.audit(SYSTEM_ACTOR, 'acknowledgement_failed', { episode: handoff.number }, failure);
  }
}
