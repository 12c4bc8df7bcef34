/**
 * Step 3: no run recorded by step 1 is left, so the patch call goes. Written without step 1 and 2, this same code
 * is the mistake the patch prevents: replayed against a history from before the change it fails.
 */
import type { TicketWorkflowInput, TicketWorkflowResult } from '../../../workflows/ticket/ticket.messages';
import { ticketWorkflow as v1 } from '../../../workflows/ticket/ticket.workflow';
import { acknowledgeReceipt } from './acknowledge';

export async function ticketWorkflow(input: TicketWorkflowInput): Promise<TicketWorkflowResult> {
  if (!input.carried) await acknowledgeReceipt(input.ticketId);
  return v1(input);
}
