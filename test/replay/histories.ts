import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testEnv } from '../support/stack';

export const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');

export type RecordedHistory = { workflowId: string; history: ReturnType<typeof historyFromJSON> };

/** Recorded ticket workflow histories, one file per scenario: `<scenario>.json`. */
export function loadHistories(dir = HISTORIES_DIR): RecordedHistory[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      workflowId: name.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(dir, name), 'utf8'))),
    }));
}

/**
 * A workflow's history as `temporal workflow show --output json` exports it: the format Temporal UI downloads
 * too, so ops can add a real ticket's history to the fixtures.
 */
export function exportHistory(workflowId: string, runId?: string): Buffer {
  return execFileSync(process.env.TEMPORAL_CLI ?? 'temporal', [
    'workflow',
    'show',
    '--workflow-id',
    workflowId,
    ...(runId ? ['--run-id', runId] : []),
    '--address',
    testEnv().temporalAddress,
    '--output',
    'json',
  ]);
}
