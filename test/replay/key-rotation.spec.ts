import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { randomBytes, randomUUID } from 'node:crypto';
import { seamlineDataConverter } from '../../libs/temporal';
import {
  TICKET_WORKFLOW_TYPE,
  ticketWorkflowId,
  type TicketWorkflowInput,
} from '../../workflows/ticket/ticket.messages';
import { fakeActivities } from '../support/fake-activities';
import { quickSlaConfig } from '../support/sla';
import { connectTemporal, withWorker, workflowBundle, type TemporalTestContext } from '../support/temporal';
import { exportHistory } from './histories';

/**
 * Key rotation: a ticket's history recorded under the old key (as `temporal workflow show --output json` exports
 * it) replays once a new key encrypts, as long as the old key is still configured; without it, it cannot.
 */
describe('payload key rotation', () => {
  const oldKey = { id: 'rotation-old', key: randomBytes(32) };
  const newKey = { id: 'rotation-new', key: randomBytes(32) };
  let ctx: TemporalTestContext;
  let recorded: { workflowId: string; history: ReturnType<typeof historyFromJSON> };

  beforeAll(async () => {
    ctx = await connectTemporal({ payloadKeys: [oldKey] });
    const ticketId = randomUUID();
    const rec = fakeActivities('review');
    await withWorker(ctx, rec.activities, async (taskQueue) => {
      const input: TicketWorkflowInput = {
        ticketId,
        autoSendUndoSeconds: 1,
        reopenWindowSeconds: 1,
        slaConfig: quickSlaConfig(3600),
      };
      const handle = await ctx.client.workflow.start(TICKET_WORKFLOW_TYPE, {
        workflowId: ticketWorkflowId(ticketId),
        taskQueue,
        args: [input],
      });
      // the workflow has triaged and waits for a person: a history with activity results in it
      for (let i = 0; i < 200 && rec.statuses.at(-1) !== 'awaiting_review'; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(rec.statuses).toContain('awaiting_review');
      await handle.terminate('recorded');
    });
    const exported = exportHistory(ticketWorkflowId(ticketId)).toString('utf8');
    expect(exported).toContain(Buffer.from('rotation-old').toString('base64'));
    recorded = { workflowId: ticketWorkflowId(ticketId), history: historyFromJSON(JSON.parse(exported)) };
  }, 60_000);
  afterAll(() => ctx?.close());

  async function replay(keys: Array<{ id: string; key: Buffer }>): Promise<string[]> {
    const failures: string[] = [];
    const options = { workflowBundle: await workflowBundle(), dataConverter: seamlineDataConverter(keys) };
    for await (const result of Worker.runReplayHistories(options, [recorded])) {
      if (result.error) failures.push(result.error.message);
    }
    return failures;
  }

  it('replays after rotation: the new key encrypts, the old one still decrypts', async () => {
    expect(await replay([oldKey, newKey])).toEqual([]);
  });

  it('cannot replay once the old key is gone (the history really is encrypted)', async () => {
    const failures = await replay([newKey]);
    expect(failures).toHaveLength(1);
  });
});
