/**
 * The launch helpers of `npm start` and `npm test` (plain CommonJS in scripts/lib), typed once for the tests that
 * start a Temporal dev server of their own or need a free loopback port.
 */
type LogFn = (line: string) => void;

export interface DevServerOptions {
  cli: string;
  port: number;
  /** null: no Web UI */
  uiPort: number | null;
  /** the remote payload codec Temporal UI decodes with (only with a UI) */
  uiCodecEndpoint?: string;
  /** SQLite file for persistent state; in memory when absent */
  dbFile?: string;
  metricsPort?: number;
  log?: LogFn;
  logFile?: string;
}

export interface DevServer {
  address: string;
  /** `http://ip:uiPort`, or null without a UI */
  uiUrl: string | null;
  stop(): Promise<void>;
}

/* eslint-disable @typescript-eslint/no-require-imports */
export const { ensureTemporalCli } = require('../../scripts/lib/temporal-cli') as {
  ensureTemporalCli(options: { log?: LogFn }): Promise<string>;
};
export const { startTemporalDevServer } = require('../../scripts/lib/temporal-dev-server') as {
  startTemporalDevServer(options: DevServerOptions): Promise<DevServer>;
};
export const { getFreePort } = require('../../scripts/lib/ports') as { getFreePort(): Promise<number> };
/* eslint-enable @typescript-eslint/no-require-imports */
