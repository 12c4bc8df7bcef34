import { Worker } from '@temporalio/worker';
import { seamlineDataConverter } from '../../libs/temporal';
import { testPayloadKeys } from '../support/stack';
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

  it('replays every history without a nondeterminism error, with the payload codec on', async () => {
    const failures: string[] = [];
    // The histories were recorded with plain payloads; the codec passes them through, as it does in production
    // for workflows that were running before encryption was turned on.
    const options = { workflowBundle: await workflowBundle(), dataConverter: seamlineDataConverter(testPayloadKeys()) };
    for await (const result of Worker.runReplayHistories(options, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
