import type { Client as PgClient } from 'pg';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmtpSink } from '../../libs/integrations';
import { authHeaders, spawnApp, startApps, type RunningApps } from '../support/apps';
import { connectDb, insertCustomerWithOrder } from '../support/db';
import { eventually } from '../support/eventually';
import { json, type Json } from '../support/http';
import { getFreePort, startTemporalDevServer } from '../support/launchers';
import { quickSlaConfig } from '../support/sla';

/**
 * Crashes and restarts with real processes: the worker killed mid-pipeline and mid-send, the Temporal server
 * restarted on its database file while tickets wait for agents and deadlines. Nothing is lost, nothing is sent twice.
 */
describe('recovery from crashes and restarts', () => {
  let dir: string;
  let temporalPort: number;
  let temporal: { address: string; stop(): Promise<void> } | undefined;
  let sink: SmtpSink;
  let apps: RunningApps;
  let db: PgClient;
  let ingest: Record<string, string>;
  let supervisor: Record<string, string>;

  const startTemporal = async () => {
    const cli = process.env.TEMPORAL_CLI;
    if (!cli) throw new Error('TEMPORAL_CLI is not set: run the tests through npm test (its global setup provides it)');
    temporal = await startTemporalDevServer({
      cli,
      dbFile: join(dir, 'temporal.db'),
      port: temporalPort,
      uiPort: null,
      log: () => {},
    });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seamline-recovery-'));
    temporalPort = await getFreePort();
    await startTemporal();
    sink = new SmtpSink({ recipientDelayMs: 1500 });
    const smtpPort = await sink.listen(0);
    apps = await startApps({
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      SMTP_PORT: String(smtpPort),
      AUTO_SEND_UNDO_SECONDS: '2',
      REOPEN_WINDOW_SECONDS: '3600',
      SLA_CONFIG: JSON.stringify(quickSlaConfig(8, ['first_reply'], 3600)),
    });
    db = await connectDb();
    ingest = await authHeaders(apps, 'ingest');
    supervisor = await authHeaders(apps, 'supervisor');
  });

  afterAll(async () => {
    await apps?.stop();
    await temporal?.stop();
    await sink?.close();
    await db?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown) =>
    fetch(`${apps.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(path === '/tickets' ? ingest : supervisor) },
      body: JSON.stringify(body),
    });
  const getTicket = async (ticketId: string): Promise<Json> =>
    json(await fetch(`${apps.baseUrl}/tickets/${ticketId}`, { headers: supervisor }));

  async function newTicket(kind: 'status' | 'return'): Promise<{ ticketId: string; email: string }> {
    const email = `r.${randomUUID()}@example.com`;
    const orderNumber = `SL-${Math.floor(Math.random() * 1e9)}`;
    await insertCustomerWithOrder(db, { email, orderNumber });
    const text =
      kind === 'status'
        ? `Hi, where is my order ${orderNumber}? Thanks!`
        : `Hello, I would like to return the shirts from order ${orderNumber}, they do not fit. How do I send them back?`;
    const res = await post('/tickets', {
      messageId: `<${randomUUID()}@example.com>`,
      from: { email },
      subject: 'Order',
      text,
      orderNumber,
    });
    expect(res.status).toBe(201);
    return { ticketId: (await json(res)).ticketId, email };
  }

  const mailsTo = (email: string) => sink.received.filter((m) => m.to.includes(email));

  async function restartWorker(): Promise<void> {
    await apps.worker.stop('SIGKILL');
    apps.worker = spawnApp('worker', apps.env);
  }

  it('finishes every ticket and sends each reply once when the worker dies mid-pipeline and mid-send', async () => {
    const tickets = await Promise.all([
      ...Array.from({ length: 6 }, () => newTicket('status')),
      ...Array.from({ length: 6 }, () => newTicket('return')),
    ]);
    await restartWorker(); // killed while the pipelines run

    const routed = await eventually(async () => {
      const views = await Promise.all(tickets.map((t) => getTicket(t.ticketId)));
      for (const view of views)
        expect(['auto_send_pending', 'sending', 'resolved', 'awaiting_review', 'escalated']).toContain(view.status);
      return views;
    }, 60_000);

    // One approval whose send is held by a slow mail server, and a worker killed while it is in flight.
    const review = routed.find((v: Json) => v.status === 'awaiting_review' || v.status === 'escalated');
    expect(review).toBeDefined();
    const approved = await post(`/tickets/${review.ticketId}/actions/approve`, { draftVersion: review.draft.version });
    expect(approved.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 700));
    await restartWorker();

    const autoSent = tickets.filter((_, i) => routed[i].route === 'auto');
    expect(autoSent.length).toBeGreaterThan(0);
    const reviewEmail = tickets.find((t) => t.ticketId === review.ticketId)?.email as string;
    await eventually(
      async () => {
        for (const t of [...autoSent, { ticketId: review.ticketId, email: reviewEmail }]) {
          expect((await getTicket(t.ticketId)).status).toBe('resolved');
          expect(mailsTo(t.email)).toHaveLength(1);
        }
      },
      90_000,
      250,
    );
    const outbox = await db.query(
      `SELECT count(*)::int AS n, count(sent_at)::int AS sent FROM outbox WHERE ticket_id = ANY($1::uuid[])`,
      [[...autoSent.map((t) => t.ticketId), review.ticketId]],
    );
    expect(outbox.rows[0]).toEqual({ n: autoSent.length + 1, sent: autoSent.length + 1 });
  });

  it('continues after a Temporal server restart: waiting tickets survive and overdue deadlines fire', async () => {
    const waiting = await newTicket('return');
    const view = await eventually(async () => {
      const ticket = await getTicket(waiting.ticketId);
      expect(ticket.status).toBe('awaiting_review');
      expect(ticket.sla.deadline).not.toBeNull();
      return ticket;
    }, 30_000);

    await temporal?.stop();
    const deadline = Date.parse(view.sla.deadline);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()) + 1000)); // the deadline passes while the server is down
    await startTemporal();

    const escalated = await eventually(
      async () => {
        const ticket = await getTicket(waiting.ticketId);
        expect(ticket.status).toBe('escalated');
        expect(ticket.sla.state).toBe('breached');
        return ticket;
      },
      90_000,
      250,
    );
    const breach = escalated.audit.find((a: Json) => a.action === 'sla_breach');
    expect(Date.parse(breach.after.breachedAt)).toBeGreaterThanOrEqual(deadline);
    // Overdue levels fire on recovery, in order, once each.
    expect(escalated.audit.filter((a: Json) => a.action === 'sla_escalation').map((a: Json) => a.after.level)).toEqual([
      'warn',
      'breach',
    ]);

    const approved = await post(`/tickets/${waiting.ticketId}/actions/approve`, {
      draftVersion: escalated.draft.version,
    });
    expect(approved.status).toBe(200);
    await eventually(() => expect(mailsTo(waiting.email)).toHaveLength(1), 60_000);
  });
});
