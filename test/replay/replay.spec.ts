import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';
import { loadHistories } from './histories';

/**
 * Determinism guard: every recorded history must replay against today's workflow code. A change that breaks
 * this needs `patched()` (see docs), never a re-recording of the old histories.
 */
describe('recorded ticket workflow histories', () => {
  const histories = loadHistories();

  it('has a history for every route and for the decision paths', () => {
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining([
        'auto-sent',
        'review-approved',
        'escalated-sla-breach',
        'follow-up-retriaged',
        'auto-send-cancelled',
        'rejected-closed',
        // recorded after SLA ladders arrived (patch `sla-ladders`); the ones above predate them and must still replay
        'sla-ladder-escalated',
        // after scoring and routing became local activities (patch `local-scoring`)
        'review-approved-local-scoring',
        // after an SLA pass's own writes became local activities (patch `sla-local-writes`)
        'sla-ladder-local-writes',
      ]),
    );
  });

  it('replays every history without a nondeterminism error', async () => {
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
