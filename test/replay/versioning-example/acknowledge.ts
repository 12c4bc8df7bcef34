/** The example change itself: one more activity before triage (it reuses the audit activity). */
import { proxyActivities } from '@temporalio/workflow';
import type { TicketActivities } from '../../../activities';

const { recordDecision } = proxyActivities<Pick<TicketActivities, 'recordDecision'>>({ startToCloseTimeout: '15s' });

export async function acknowledgeReceipt(ticketId: string): Promise<void> {
  await recordDecision({
    ticketId,
    key: `ticket:${ticketId}:receipt`,
    actor: 'system',
    action: 'receipt_acknowledged',
    before: null,
    after: null,
  });
}
