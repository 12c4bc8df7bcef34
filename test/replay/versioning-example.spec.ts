import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { TICKET_WORKFLOW_TYPE, ticketWorkflowId } from '../../workflows/ticket/ticket.messages';
import { fakeActivities } from '../support/fake-activities';
import { quickSlaConfig } from '../support/sla';
import { connectTemporal, type TemporalTestContext } from '../support/temporal';
import { exportHistory, loadHistories, type RecordedHistory } from './histories';

/**
 * The worked example of docs/sla.md ("Ship a workflow change to running tickets"), run for real: a change to the
 * ticket workflow goes patched → deprecatePatch → removed, and at each step the histories of the step before
 * keep replaying; skipping the patch breaks every recorded history.
 */
describe('versioning a ticket workflow change', () => {
  const variants = ['patched', 'deprecated', 'removed'] as const;
  type Variant = (typeof variants)[number];
  const bundles = new Map<Variant, WorkflowBundleWithSourceMap>();
  const baseline = loadHistories().filter((h) => !h.workflowId.startsWith('continued-as-new'));
  let ctx: TemporalTestContext;

  beforeAll(async () => {
    ctx = await connectTemporal();
    for (const variant of variants) {
      const workflowsPath = join(__dirname, 'versioning-example', `${variant}.workflow.ts`);
      bundles.set(variant, await bundleWorkflowCode({ workflowsPath, logger: silent }));
    }
  }, 120_000);
  afterAll(async () => {
    await ctx.close();
  });

  async function replay(variant: Variant, histories: RecordedHistory[]): Promise<Record<string, string | null>> {
    const outcome: Record<string, string | null> = {};
    const workflowBundle = bundles.get(variant) as WorkflowBundleWithSourceMap;
    for await (const result of Worker.runReplayHistories(
      { workflowBundle, dataConverter: ctx.dataConverter },
      histories,
    )) {
      outcome[result.workflowId] = result.error ? result.error.name : null;
    }
    return outcome;
  }

  /** Runs one auto-sent ticket on `variant` against the dev server and returns its history. */
  async function record(variant: Variant): Promise<RecordedHistory> {
    const rec = fakeActivities('auto');
    const taskQueue = `versioning-${variant}-${randomUUID()}`;
    const worker = await Worker.create({
      connection: ctx.nativeConnection,
      taskQueue,
      workflowBundle: bundles.get(variant) as WorkflowBundleWithSourceMap,
      activities: rec.activities,
      // the test client's payload codec: its workers read what it writes
      dataConverter: ctx.dataConverter,
    });
    const ticketId = randomUUID();
    await worker.runUntil(async () => {
      const handle = await ctx.client.workflow.start(TICKET_WORKFLOW_TYPE, {
        workflowId: ticketWorkflowId(ticketId),
        taskQueue,
        args: [{ ticketId, autoSendUndoSeconds: 1, reopenWindowSeconds: 1, slaConfig: quickSlaConfig(3600) }],
      });
      await handle.result();
    });
    expect(rec.audit.map((a) => a.action)).toContain('receipt_acknowledged');
    const json = JSON.parse(exportHistory(ticketWorkflowId(ticketId)).toString('utf8'));
    return { workflowId: `${variant}-${ticketId}`, history: historyFromJSON(json) };
  }

  it('needs the patch: the change without it fails every history recorded before it', async () => {
    const outcome = await replay('removed', baseline);
    expect(Object.keys(outcome)).toHaveLength(baseline.length);
    for (const [workflowId, error] of Object.entries(outcome)) {
      expect({ workflowId, error }).toEqual({ workflowId, error: 'DeterminismViolationError' });
    }
  });

  it('step 1, patched: histories from before the change replay', async () => {
    const outcome = await replay('patched', baseline);
    expect(Object.values(outcome)).toEqual(baseline.map(() => null));
  });

  it('step 2, deprecatePatch: histories recorded by step 1 replay', async () => {
    const fromStep1 = await record('patched');
    expect(await replay('deprecated', [fromStep1])).toEqual({ [fromStep1.workflowId]: null });
  });

  it('step 3, removed: histories recorded by step 2 replay', async () => {
    const fromStep2 = await record('deprecated');
    expect(await replay('removed', [fromStep2])).toEqual({ [fromStep2.workflowId]: null });
  });
});

const silent = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
