/**
 * jest globalSetup (integration project): starts ONE Temporal dev server
 * (in-memory, headless, free ports) and ONE PostgreSQL (throwaway directory,
 * free port; DATABASE_URL is used instead if set), runs the migrations, and
 * exports SEAMLINE_TEST_TEMPORAL_ADDRESS, SEAMLINE_TEST_DATABASE_URL and
 * TEMPORAL_CLI for the test workers. Temporal's output: test-output/temporal-dev-server.log.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTemporalCli, getFreePort, startTemporalDevServer } from './launchers';
import { TEST_ENV_VARS, setStackHandle } from './stack';

type LogFn = (line: string) => void;

// The launch helpers are the plain CommonJS files that `npm start` uses (scripts/lib).
/* eslint-disable @typescript-eslint/no-require-imports */
const { startPostgres } = require('../../scripts/lib/postgres') as {
  startPostgres(options: {
    port: number;
    persistent: false;
    log?: LogFn;
  }): Promise<{ url: string; stop(): Promise<void> }>;
};
const { runToCompletion, onShutdownSignal } = require('../../scripts/lib/processes') as {
  runToCompletion(options: {
    name: string;
    command: string;
    args: string[];
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    output?: LogFn | null;
  }): Promise<void>;
  onShutdownSignal(handler: (signal: NodeJS.Signals) => void, log?: LogFn): () => void;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const ROOT = join(__dirname, '..', '..');
const MIGRATE = join(ROOT, 'dist', 'libs', 'persistence', 'src', 'migrate.js');
const TEMPORAL_LOG = join(ROOT, 'test-output', 'temporal-dev-server.log');

const log: LogFn = (line) => process.stderr.write(`[test stack] ${line}\n`);

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  if (!existsSync(MIGRATE)) {
    throw new Error(`${MIGRATE} is missing. Run the tests with \`npm test\`, which builds before running jest.`);
  }
  const cli = await ensureTemporalCli({ log });

  rmSync(TEMPORAL_LOG, { force: true });
  const temporalPort = await getFreePort();
  const metricsPort = await getFreePort();
  const postgresPort = await getFreePort();
  const [temporal, postgres] = await Promise.allSettled([
    startTemporalDevServer({
      cli,
      port: temporalPort,
      uiPort: null,
      metricsPort,
      log: () => {},
      logFile: TEMPORAL_LOG,
    }),
    startPostgres({ port: postgresPort, persistent: false, log: () => {} }),
  ]);
  const stopAll = async (): Promise<void> => {
    await Promise.all([
      temporal.status === 'fulfilled' ? temporal.value.stop() : undefined,
      postgres.status === 'fulfilled' ? postgres.value.stop() : undefined,
    ]);
  };
  if (temporal.status === 'rejected' || postgres.status === 'rejected') {
    await stopAll();
    throw temporal.status === 'rejected' ? temporal.reason : (postgres as PromiseRejectedResult).reason;
  }

  const temporalAddress = temporal.value.address;
  const databaseUrl = postgres.value.url;
  try {
    await runToCompletion({
      name: 'migrations',
      command: process.execPath,
      args: [MIGRATE],
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      output: null, // a failure reports the last lines
    });
  } catch (error) {
    await stopAll();
    throw error;
  }

  // Ctrl-C or SIGTERM during the run: stop the stack before exiting.
  const removeSignalHandler = onShutdownSignal((signal) => {
    void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  }, log);
  setStackHandle({
    stop: async () => {
      removeSignalHandler();
      await stopAll();
    },
  });

  process.env[TEST_ENV_VARS.temporalAddress] = temporalAddress;
  process.env[TEST_ENV_VARS.databaseUrl] = databaseUrl;
  process.env.TEMPORAL_CLI = cli;
  const shownUrl = databaseUrl.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  log(`Temporal ${temporalAddress}, PostgreSQL ${shownUrl}; ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
