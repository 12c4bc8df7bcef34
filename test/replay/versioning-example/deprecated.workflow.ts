/**
 * Step 2: every run that could still be on the old path has finished. The step is unconditional now;
 * `deprecatePatch()` keeps the runs that recorded the marker in step 1 replaying.
 */
import { deprecatePatch } from '@temporalio/workflow';
import type { TicketWorkflowInput, TicketWorkflowResult } from '../../../workflows/ticket/ticket.messages';
import { ticketWorkflow as v1 } from '../../../workflows/ticket/ticket.workflow';
import { acknowledgeReceipt } from './acknowledge';

export async function ticketWorkflow(input: TicketWorkflowInput): Promise<TicketWorkflowResult> {
  if (!input.carried) {
    deprecatePatch('acknowledge-receipt');
    await acknowledgeReceipt(input.ticketId);
  }
  return v1(input);
}
