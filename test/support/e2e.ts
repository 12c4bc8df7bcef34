import type { Client as PgClient } from 'pg';
import { SmtpSink } from '../../libs/integrations';
import { authHeaders, createTestUser, startApps, type RunningApps, type TestUser } from './apps';
import { connectDb } from './db';
import { json, type Json } from './http';
import { connectTemporal, type TemporalTestContext } from './temporal';

/** Everything an end-to-end test talks to: the built apps, an SMTP sink for replies, the database and Temporal. */
export interface E2eStack {
  apps: RunningApps;
  sink: SmtpSink;
  db: PgClient;
  temporal: TemporalTestContext;
  /** `X-Api-Key` headers of an ingest-only key. */
  ingest: Record<string, string>;
  /** A signed-in supervisor (sees every queue). */
  supervisor: TestUser;
  /** POST as the ingest key for `/tickets`, as the supervisor elsewhere (or with `headers`). */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** The ticket's briefing, read as the supervisor. */
  ticket(ticketId: string): Promise<Json>;
  close(): Promise<void>;
}

export async function startE2eStack(
  env: Record<string, string> = {},
  sinkOptions: ConstructorParameters<typeof SmtpSink>[0] = {},
): Promise<E2eStack> {
  const sink = new SmtpSink(sinkOptions);
  const smtpPort = await sink.listen(0);
  const apps = await startApps({ SMTP_PORT: String(smtpPort), ...env });
  const [db, temporal, ingest, supervisor] = await Promise.all([
    connectDb(),
    connectTemporal(),
    authHeaders(apps, 'ingest'),
    createTestUser(apps, 'supervisor'),
  ]);
  return {
    apps,
    sink,
    db,
    temporal,
    ingest,
    supervisor,
    post: (path, body, headers) =>
      fetch(`${apps.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(headers ?? (path === '/tickets' ? ingest : supervisor.headers)),
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    ticket: async (ticketId) =>
      json(await fetch(`${apps.baseUrl}/tickets/${ticketId}`, { headers: supervisor.headers })),
    async close() {
      await apps.stop();
      await sink.close();
      await db.end();
      await temporal.close();
    },
  };
}
