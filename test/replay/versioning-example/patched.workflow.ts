/**
 * Step 1 of the worked example in docs/sla.md ("Ship a workflow change"): a new step before triage, gated by
 * `patched()`. Runs started before the change replay without it; new runs record the patch marker and take it.
 */
import { patched } from '@temporalio/workflow';
import type { TicketWorkflowInput, TicketWorkflowResult } from '../../../workflows/ticket/ticket.messages';
import { ticketWorkflow as v1 } from '../../../workflows/ticket/ticket.workflow';
import { acknowledgeReceipt } from './acknowledge';

export async function ticketWorkflow(input: TicketWorkflowInput): Promise<TicketWorkflowResult> {
  if (!input.carried && patched('acknowledge-receipt')) await acknowledgeReceipt(input.ticketId);
  return v1(input);
}
