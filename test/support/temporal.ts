import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { TicketActivities } from '../../activities';
import type { PayloadKey } from '../../libs/config';
import { seamlineDataConverter } from '../../libs/temporal';
import { testEnv, testPayloadKeys } from './stack';

export const WORKFLOWS_PATH = require.resolve('../../workflows');

// Test workers log warnings and errors only; a failing test prints what matters.
Runtime.install({ logger: new DefaultLogger('WARN') });

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The real workflow bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  return bundle;
}

export interface TemporalTestContext {
  client: Client;
  nativeConnection: NativeConnection;
  /** The payload codec of the client and of test workers: the apps' test key unless told otherwise. */
  dataConverter: DataConverter;
  close(): Promise<void>;
}

/**
 * A client and a native connection to the test server. Payloads are encrypted with the same test key as the apps
 * that startApps runs (PAYLOAD_KEYS), so tests read what the apps wrote; `payloadKeys: null` for plain payloads
 * (recording the replay fixtures, which stay readable).
 */
export async function connectTemporal(
  options: { payloadKeys?: PayloadKey[] | null } = {},
): Promise<TemporalTestContext> {
  const { temporalAddress } = testEnv();
  const connection = await Connection.connect({ address: temporalAddress });
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const dataConverter = seamlineDataConverter(
    options.payloadKeys === undefined ? testPayloadKeys() : options.payloadKeys,
  );
  return {
    client: new Client({ connection, dataConverter }),
    nativeConnection,
    dataConverter,
    async close() {
      await nativeConnection.close();
      await connection.close();
    },
  };
}

/** Runs `fn` while a real Worker with the real bundle polls a task queue of its own. */
export async function withWorker<T>(
  ctx: TemporalTestContext,
  activities: Partial<TicketActivities>,
  fn: (taskQueue: string) => Promise<T>,
  taskQueue = `test-${randomUUID()}`,
): Promise<T> {
  const worker = await Worker.create({
    connection: ctx.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
    dataConverter: ctx.dataConverter,
  });
  return worker.runUntil(fn(taskQueue));
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
