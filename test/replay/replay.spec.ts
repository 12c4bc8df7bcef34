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
        'auto-send-cancelled',
        'review-approved',
        'rejected-closed',
        'escalated-sla-breach',
        'sla-ladder-paused',
        'follow-up-retriaged',
        'resolved-reopened',
        'delivery-failed',
        'continued-as-new-first-run',
        'continued-as-new',
        // since an SLA pass writes everything in one local activity (patch `sla-pass-one-write`)
        'sla-levels-one-write',
        // since acknowledgements at handoff
        'acknowledged-handoff',
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
