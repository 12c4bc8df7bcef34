import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client as PgClient } from 'pg';
import { authHeaders, spawnApp, type AppProcess, type RunningApps } from '../support/apps';
import { connectDb, insertCustomerWithOrder } from '../support/db';
import { eventually } from '../support/eventually';
import { getFreePort } from '../support/launchers';
import { testEnv } from '../support/stack';
import { makeTestPki, TEST_SERVER_NAME, type TestPki } from './support/certs';
import { LOG_DIR } from './support/scenario';

/* eslint-disable @typescript-eslint/no-require-imports */
const { ensureTemporalServer, startTemporalCluster } = require('../../scripts/lib/temporal-server') as {
  ensureTemporalServer(o: { log?: (line: string) => void }): Promise<{ server: string; sqlTool: string }>;
  startTemporalCluster(o: Record<string, unknown>): Promise<{ address: string; stop(): Promise<void> }>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The API and the worker against a Temporal server that speaks only mTLS (certificates made here with openssl,
 * on loopback): with the right CA and a client certificate they connect and a ticket flows; with a CA that did
 * not sign the server's certificate, without a client certificate, or in plaintext, they are refused at boot.
 */
describe('Temporal over TLS and mTLS', () => {
  let dir: string;
  let pki: TestPki;
  let wrong: TestPki;
  let temporal: { address: string; stop(): Promise<void> };
  let db: PgClient;
  const running: AppProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seamline-tls-'));
    pki = makeTestPki(join(dir, 'pki'));
    wrong = makeTestPki(join(dir, 'wrong'), 'Impostor');
    const cli = process.env.TEMPORAL_CLI;
    if (!cli) throw new Error('TEMPORAL_CLI is not set: run the tests through npm test (its global setup provides it)');
    const url = new URL(testEnv().databaseUrl);
    temporal = await startTemporalCluster({
      binaries: await ensureTemporalServer({ log: () => {} }),
      cli,
      postgres: { host: url.hostname, port: Number(url.port), user: url.username, password: url.password },
      database: `temporal_tls_${randomUUID().slice(0, 8)}`,
      dir: join(dir, 'temporal'),
      nodes: 1,
      balancer: false,
      maxConns: 3,
      tls: {
        cert: pki.server.cert,
        key: pki.server.key,
        ca: pki.ca.cert,
        serverName: TEST_SERVER_NAME,
        clientCa: pki.ca.cert,
      },
      cliConnectionArgs: [
        ...['--tls-ca-path', pki.ca.cert, '--tls-server-name', TEST_SERVER_NAME],
        ...['--tls-cert-path', pki.client.cert, '--tls-key-path', pki.client.key],
      ],
      logDir: join(LOG_DIR, 'tls'),
      log: () => {},
    });
    db = await connectDb();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await db?.end();
    await temporal?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const baseEnv = (): Record<string, string> => ({
    DATABASE_URL: testEnv().databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: `tls-${randomUUID()}`,
    API_HOST: '127.0.0.1',
    LOG_LEVEL: 'info', // the worker's connection line is at info
    AUTO_SEND_UNDO_SECONDS: '1',
    DATABASE_POOL_SIZE: '3',
    AUTH_JWT_SECRET: randomUUID() + randomUUID(),
  });
  const mtls = (ca: string): Record<string, string> => ({
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
    TEMPORAL_TLS_SERVER_NAME: TEST_SERVER_NAME,
    TEMPORAL_TLS_CLIENT_CERT_PATH: pki.client.cert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: pki.client.key,
  });

  /** Starts the app and answers whether it came up healthy, or how it failed. */
  async function boot(
    name: 'api' | 'worker',
    env: Record<string, string>,
  ): Promise<{ app: AppProcess; url: string; port: string }> {
    const port = String(await getFreePort());
    const full = { ...env, ...(name === 'api' ? { API_PORT: port } : { WORKER_HEALTH_PORT: port }) };
    const app = spawnApp(name, full);
    running.push(app);
    const url = name === 'api' ? `http://127.0.0.1:${port}/api/v1/health` : `http://127.0.0.1:${port}/readyz`;
    return { app, url, port };
  }

  async function healthy(
    name: 'api' | 'worker',
    env: Record<string, string>,
  ): Promise<{ app: AppProcess; port: string }> {
    const { app, url, port } = await boot(name, env);
    await eventually(
      async () => {
        if (app.child.exitCode !== null) throw new Error(`${name} exited:\n${app.output()}`);
        expect((await fetch(url)).status).toBe(200);
      },
      90_000,
      250,
    );
    return { app, port };
  }

  async function refused(name: 'api' | 'worker', env: Record<string, string>): Promise<string> {
    const { app } = await boot(name, env);
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(-1), 60_000);
      app.child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).not.toBe(-1); // it must give up by itself, not hang
    expect(code).not.toBe(0);
    return app.output();
  }

  it('connects the worker and the API with the right CA and a client certificate; a ticket flows', async () => {
    const env = { ...baseEnv(), ...mtls(pki.ca.cert), RECONCILE_INTERVAL_SECONDS: '1', RECONCILE_QUIET_SECONDS: '0' };
    const worker = await healthy('worker', env);
    const api = await healthy('api', env);
    expect(worker.app.output()).toMatch(/polling task queue tls-[\w-]+ on 127\.0\.0\.1:\d+, namespace default, mTLS/);

    const apps = { baseUrl: `http://127.0.0.1:${api.port}/api/v1`, env } as unknown as RunningApps;
    const email = `tls.${randomUUID()}@example.com`;
    const orderNumber = `SL-T${Math.floor(Math.random() * 1e8)}`;
    await insertCustomerWithOrder(db, { email, orderNumber });
    const res = await fetch(`${apps.baseUrl}/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await authHeaders(apps, 'ingest')) },
      body: JSON.stringify({
        messageId: `<${randomUUID()}@example.com>`,
        from: { email },
        subject: 'Order',
        text: `Hi, where is my order ${orderNumber}? Thanks!`,
        orderNumber,
      }),
    });
    expect(res.status).toBe(201);
    const { ticketId } = (await res.json()) as { ticketId: string };
    await eventually(
      async () => {
        const { rows } = await db.query('SELECT route FROM tickets WHERE id = $1', [ticketId]);
        expect(rows[0]?.route).toBeTruthy();
      },
      60_000,
      250,
    );
    // The worker's reconciler (its own client connection, every second here) got through as well.
    expect(worker.app.output()).not.toContain('reconciliation failed');
  });

  it('refuses to start against a server whose certificate another CA signed', async () => {
    const env = { ...baseEnv(), ...mtls(wrong.ca.cert) };
    const [workerOutput, apiOutput] = await Promise.all([refused('worker', env), refused('api', env)]);
    for (const output of [workerOutput, apiOutput]) {
      expect(output).toMatch(/could not connect to Temporal at 127\.0\.0\.1:\d+, namespace default, mTLS, own CA/);
      expect(output).toContain('TEMPORAL_TLS_* settings');
    }
  });

  it('is refused without a client certificate (the server requires mTLS) and in plaintext', async () => {
    const tlsOnly = {
      ...baseEnv(),
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.ca.cert,
      TEMPORAL_TLS_SERVER_NAME: TEST_SERVER_NAME,
    };
    const [noClientCert, plaintext] = await Promise.all([refused('worker', tlsOnly), refused('worker', baseEnv())]);
    expect(noClientCert).toMatch(/could not connect to Temporal at 127\.0\.0\.1:\d+, namespace default, TLS, own CA/);
    expect(plaintext).toMatch(/could not connect to Temporal at 127\.0\.0\.1:\d+, namespace default, plaintext/);
  });
});
