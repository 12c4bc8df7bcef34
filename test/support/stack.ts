/**
 * The test stack: ONE Temporal dev server and ONE PostgreSQL for the whole jest
 * run, started by global-setup.ts and stopped by global-teardown.ts (both in
 * the jest parent process). Tests find them through environment variables,
 * which jest's worker processes inherit.
 */

export const TEST_ENV_VARS = {
  temporalAddress: 'SEAMLINE_TEST_TEMPORAL_ADDRESS',
  databaseUrl: 'SEAMLINE_TEST_DATABASE_URL',
} as const;

export interface TestEnv {
  /** "127.0.0.1:<port>" of the Temporal frontend; namespace "default". */
  temporalAddress: string;
  /** PostgreSQL URL of a migrated database (DATABASE_URL if it was set, else an embedded PostgreSQL). */
  databaseUrl: string;
}

/** Where the test stack runs. Throws if the tests were not started through jest's global setup. */
export function testEnv(): TestEnv {
  const temporalAddress = process.env[TEST_ENV_VARS.temporalAddress];
  const databaseUrl = process.env[TEST_ENV_VARS.databaseUrl];
  if (!temporalAddress || !databaseUrl) {
    throw new Error(
      `${TEST_ENV_VARS.temporalAddress} / ${TEST_ENV_VARS.databaseUrl} are not set: the test stack is not running. ` +
        "Run the tests through `npm test` (or jest with this repository's jest.config.js, whose global setup test/support/global-setup.ts starts Temporal and PostgreSQL).",
    );
  }
  return { temporalAddress, databaseUrl };
}

/** What global setup leaves for global teardown (both run in the jest parent process). */
export interface TestStackHandle {
  stop(): Promise<void>;
}

type GlobalWithStack = typeof globalThis & { __SEAMLINE_STACK__?: TestStackHandle };

export function setStackHandle(handle: TestStackHandle): void {
  (globalThis as GlobalWithStack).__SEAMLINE_STACK__ = handle;
}

/** Returns the handle (if any) and forgets it. */
export function takeStackHandle(): TestStackHandle | undefined {
  const holder = globalThis as GlobalWithStack;
  const handle = holder.__SEAMLINE_STACK__;
  delete holder.__SEAMLINE_STACK__;
  return handle;
}

/**
 * The payload key of every app and test client of a test run (PAYLOAD_KEYS of startApps): tests run with the
 * payloads encrypted, as production does. A fixed test-only key; never a deployment's.
 */
export const TEST_PAYLOAD_KEYS = `test-1:${Buffer.from('seamline-test-payload-key-000001').toString('base64')}`;

export function testPayloadKeys(): Array<{ id: string; key: Buffer }> {
  return TEST_PAYLOAD_KEYS.split(',').map((entry) => {
    const [id, key] = entry.split(':') as [string, string];
    return { id, key: Buffer.from(key, 'base64') };
  });
}
