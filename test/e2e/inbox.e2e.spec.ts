import { randomUUID } from 'node:crypto';
import { SmtpSink } from '../../libs/integrations';
import { createIngestKey, createTestUser, startApps, type RunningApps, type TestUser } from '../support/apps';
import { eventually } from '../support/eventually';
import { json, type Json } from '../support/http';
import {
  api,
  customerMessage,
  isolatedDatabase,
  placeInQueue,
  ticketAwaitingAgent,
  type IsolatedDatabase,
} from '../support/inbox';

/** The inbox API over HTTP: listing, filters, keyset pagination, the live stream, the briefing, actions. */
describe('inbox API', () => {
  let apps: RunningApps;
  let db: IsolatedDatabase;
  let sink: SmtpSink;
  let ingest: Record<string, string>;
  let agent: TestUser;
  let colleague: TestUser;
  let supervisor: TestUser;

  beforeAll(async () => {
    db = await isolatedDatabase('inbox');
    sink = new SmtpSink();
    const smtpPort = await sink.listen(0);
    apps = await startApps({
      DATABASE_URL: db.url,
      SMTP_PORT: String(smtpPort),
      AUTO_SEND_ENABLED: 'false',
      INBOX_STREAM_HEARTBEAT_SECONDS: '1',
    });
    ingest = await createIngestKey(apps);
    agent = await createTestUser(apps, 'agent', ['standard', 'priority'], 'Ava Agent');
    colleague = await createTestUser(apps, 'agent', ['standard'], 'Cole Colleague');
    supervisor = await createTestUser(apps, 'supervisor', [], 'Sam Supervisor');
  });

  afterAll(async () => {
    await apps?.stop();
    await sink?.close();
    await db?.drop();
  });

  /** Read-model rows without workflows: the inbox reads only the read model. */
  async function insertTickets(
    rows: {
      queue: string;
      status?: string;
      deadline: Date | null;
      priority?: string;
      slaState?: string;
      intent?: string;
    }[],
  ) {
    const ids: string[] = [];
    for (const r of rows) {
      const id = randomUUID();
      ids.push(id);
      await db.client.query(
        `INSERT INTO tickets (id, workflow_id, status, customer_email, subject, queue, priority, sla_state, sla_deadline, route, draft_version, triage)
         VALUES ($1::uuid, 'ticket-' || $1::text, $2, 'list@example.com', 'Listed', $3, $4, $5, $6, 'review', 1, $7)`,
        [
          id,
          r.status ?? 'awaiting_review',
          r.queue,
          r.priority ?? 'normal',
          r.slaState ?? 'ok',
          r.deadline,
          JSON.stringify({ classification: { primaryIntent: r.intent ?? 'order_status' } }),
        ],
      );
    }
    return ids;
  }

  const list = async (user: TestUser, query = '') => {
    const res = await api(apps, `/inbox${query}`, user.headers);
    expect(res.status).toBe(200);
    return (await json(res)) as { items: Json[]; nextCursor: string | null; queues: string[] };
  };

  describe('listing', () => {
    const minutes = (m: number) => new Date(Date.now() + m * 60_000);
    let ids: Record<string, string>;

    beforeAll(async () => {
      await db.client.query('DELETE FROM tickets WHERE customer_email = $1', ['list@example.com']);
      const [late, soon, later, none, risky, resolved, pending, urgent] = await insertTickets([
        { queue: 'standard', deadline: minutes(-30), slaState: 'breached', priority: 'high' },
        { queue: 'priority', deadline: minutes(10), intent: 'refund_request' },
        { queue: 'standard', deadline: minutes(90) },
        { queue: 'standard', deadline: null },
        { queue: 'risk', deadline: minutes(-60), priority: 'urgent', status: 'escalated' },
        { queue: 'standard', deadline: minutes(-90), status: 'resolved' },
        { queue: 'standard', deadline: minutes(5), status: 'auto_send_pending' },
        { queue: 'priority', deadline: minutes(20), priority: 'urgent', status: 'escalated' },
      ]);
      ids = { late, soon, later, none, risky, resolved, pending, urgent } as Record<string, string>;
    });

    it('shows an agent the waiting tickets of their queues, most urgent deadline first, none last', async () => {
      const page = await list(agent);
      expect(page.queues).toEqual(['priority', 'standard']);
      expect(page.items.map((i) => i.ticketId)).toEqual([ids.late, ids.soon, ids.urgent, ids.later, ids.none]);
      expect(page.items[0]).toMatchObject({
        queue: 'standard',
        priority: 'high',
        sla: { state: 'breached' },
        status: 'awaiting_review',
      });
      expect(page.nextCursor).toBeNull();
    });

    it('shows supervisors every queue', async () => {
      const page = await list(supervisor);
      expect(page.items.map((i) => i.ticketId)).toEqual([
        ids.risky,
        ids.late,
        ids.soon,
        ids.urgent,
        ids.later,
        ids.none,
      ]);
    });

    it('filters by queue, status, priority, SLA state and intent', async () => {
      expect((await list(agent, '?queue=priority')).items.map((i) => i.ticketId)).toEqual([ids.soon, ids.urgent]);
      expect((await list(agent, '?queue=risk')).items).toEqual([]); // not the agent's queue: nothing, not someone else's tickets
      expect((await list(supervisor, '?queue=risk,priority&priority=urgent')).items.map((i) => i.ticketId)).toEqual([
        ids.risky,
        ids.urgent,
      ]);
      expect((await list(agent, '?status=escalated')).items.map((i) => i.ticketId)).toEqual([ids.urgent]);
      expect((await list(agent, '?status=auto_send_pending')).items.map((i) => i.ticketId)).toEqual([ids.pending]);
      expect((await list(agent, '?slaState=breached')).items.map((i) => i.ticketId)).toEqual([ids.late]);
      expect((await list(agent, '?intent=refund_request')).items.map((i) => i.ticketId)).toEqual([ids.soon]);
      expect(
        (await list(agent, '?queue=standard&queue=priority&priority=high,urgent')).items.map((i) => i.ticketId),
      ).toEqual([ids.late, ids.urgent]);
    });

    it('rejects bad queries with stable codes', async () => {
      for (const query of [
        '?queue=vip',
        '?status=closed',
        '?limit=101',
        '?limit=0',
        '?cursor=not_a_cursor',
        '?sort=newest',
        '?cursor=' + 'a'.repeat(201),
      ]) {
        const res = await api(apps, `/inbox${query}`, agent.headers);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect((await json(res)).error.code).toBe('VALIDATION_FAILED');
      }
      const forged = Buffer.from(JSON.stringify(['2020-01-01T00:00:00.000Z', "x' OR 1=1 --"])).toString('base64url');
      expect((await api(apps, `/inbox?cursor=${forged}`, agent.headers)).status).toBe(400);
    });

    it('counts waiting and breached tickets per visible queue', async () => {
      const counts = (await json(await api(apps, '/inbox/counts', agent.headers))) as Json[];
      expect(counts).toEqual([
        { queue: 'priority', waiting: 2, breached: 0 },
        { queue: 'standard', waiting: 3, breached: 1 },
      ]);
    });
  });

  it('pages with a cursor that stays stable while tickets arrive and deadlines tie', async () => {
    await db.client.query(`UPDATE tickets SET status = 'closed' WHERE customer_email = 'list@example.com'`);
    const base = Date.now() + 3_600_000;
    const tie = new Date(base + 30 * 60_000);
    const initial = await insertTickets(
      Array.from({ length: 40 }, (_, i) => ({
        queue: i % 2 ? 'standard' : 'priority',
        deadline: i % 5 === 0 ? tie : new Date(base + i * 60_000),
      })),
    );
    const seen: Json[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: Json[]; nextCursor: string | null } = await list(
        agent,
        `?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
      // Meanwhile, new tickets arrive before and after the reader's position (and on the tied deadline).
      await insertTickets([
        { queue: 'standard', deadline: new Date(base - 60_000 * pages) },
        { queue: 'priority', deadline: new Date(base + 100 * 60_000 + pages) },
        { queue: 'standard', deadline: tie },
      ]);
    } while (cursor && pages < 50);

    const seenIds = seen.map((i) => i.ticketId);
    expect(new Set(seenIds).size).toBe(seenIds.length); // nothing twice
    expect(seenIds).toEqual(expect.arrayContaining(initial)); // nothing that existed is skipped
    const keys = seen.map((i) => `${i.sla.deadline ?? '9999'}|${i.ticketId}`);
    expect(keys).toEqual([...keys].sort()); // one consistent order across pages
  });

  describe('live stream', () => {
    it('tells an open inbox about changes in its queues only, and when a ticket leaves them', async () => {
      const [mine, foreign] = await insertTickets([
        { queue: 'standard', deadline: new Date(Date.now() + 3_600_000) },
        { queue: 'risk', deadline: new Date(Date.now() + 3_600_000) },
      ]);
      const controller = new AbortController();
      const res = await fetch(`${apps.baseUrl}/inbox/stream`, { headers: agent.headers, signal: controller.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events: { event: string; data: Json }[] = [];
      let comments = 0;
      const reading = (async () => {
        const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
          if (done) return;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.startsWith(':')) comments += 1;
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event) events.push({ event, data: data ? JSON.parse(data) : null });
          }
        }
      })();
      try {
        await eventually(() =>
          expect(events[0]).toEqual({ event: 'ready', data: { queues: ['priority', 'standard'] } }),
        );
        await db.client.query(`UPDATE tickets SET priority = 'urgent' WHERE id = $1`, [foreign]);
        await db.client.query(`UPDATE tickets SET claimed_by = 'someone' WHERE id = $1`, [mine]);
        await eventually(() =>
          expect(events.filter((e) => e.event === 'ticket')).toEqual([
            { event: 'ticket', data: { ticketId: mine, status: 'awaiting_review', queue: 'standard' } },
          ]),
        );
        await db.client.query(`UPDATE tickets SET queue = 'risk' WHERE id = $1`, [mine]); // leaves the agent's queues
        await eventually(() =>
          expect(events.at(-1)).toEqual({
            event: 'ticket',
            data: { ticketId: mine, status: 'awaiting_review', queue: null },
          }),
        );
        await db.client.query(`UPDATE tickets SET updated_at = now() WHERE id = $1`, [mine]); // nothing the inbox shows
        await eventually(() => expect(comments).toBeGreaterThanOrEqual(1), 5000); // heartbeats keep proxies from closing it
        expect(events.filter((e) => e.event === 'ticket')).toHaveLength(2);
        expect(JSON.stringify(events)).not.toContain(foreign);
      } finally {
        controller.abort();
        await reading;
      }
    });
  });

  describe('briefing and actions', () => {
    let ticket: Json;
    let email: string;

    beforeAll(async () => {
      const message = await customerMessage(db.client, {
        html:
          '<p>Hi, the <b>T-shirts</b> are too small.</p><script>fetch("http://127.0.0.1:9/steal")</script>' +
          '<img src="x" onerror="alert(1)"><img src="https://tracker.example/pixel.gif" width="1" height="1">' +
          '<a href="javascript:alert(1)" onclick="alert(2)">click</a><a href="https://shop.example/returns">returns</a>' +
          '<div style="background:url(https://tracker.example/bg.png)">styled</div><iframe src="https://evil.example"></iframe>',
      });
      email = message.email;
      ticket = await placeInQueue(
        apps,
        supervisor.headers,
        await ticketAwaitingAgent(apps, ingest, supervisor.headers, message),
        'standard',
      );
    });

    it('briefs the agent: summary, intents, sentiment, order, draft, confidence in words, reasons, SLA, audit', async () => {
      await api(apps, `/tickets/${ticket.ticketId}/actions/note`, supervisor.headers, {
        body: { text: 'VIP? check the order history' },
      });
      const res = await api(apps, `/tickets/${ticket.ticketId}`, agent.headers);
      expect(res.status).toBe(200);
      const b = await json(res);
      expect(b).toMatchObject({
        ticketId: ticket.ticketId,
        queue: 'standard',
        draftVersion: 1,
        draft: { version: 1 },
        order: { orderNumber: expect.any(String) },
      });
      expect(b.sla.deadline).toEqual(expect.any(String));
      expect(b.briefing.summary.length).toBeGreaterThan(10);
      expect(b.briefing.primaryIntent).toBe('return_request');
      expect(b.briefing.suggestedOpening).toMatch(/^(Hi|Hello)/);
      expect(b.briefing.confidence.components.map((c: Json) => c.key)).toEqual([
        'classification',
        'dataCompleteness',
        'draftSelfCheck',
        'multiIssue',
        'sentiment',
      ]);
      for (const c of b.briefing.confidence.components) expect(c.meaning).toMatch(/\.$/);
      expect(b.briefing.reasons.length).toBeGreaterThan(0);
      expect(b.audit).toContainEqual(
        expect.objectContaining({
          action: 'note',
          actor: supervisor.id,
          actorName: 'Sam Supervisor',
          after: { text: 'VIP? check the order history' },
        }),
      );
    });

    it('sanitizes customer HTML on the server: no script, handler, image, style, frame or javascript: link', async () => {
      const b = await json(await api(apps, `/tickets/${ticket.ticketId}`, agent.headers));
      const html = b.thread[0].html as string;
      expect(html).toContain('<b>T-shirts</b>');
      expect(html).toContain('[image removed]');
      expect(html).toContain('href="https://shop.example/returns"');
      expect(html).toContain('styled');
      expect(html).not.toMatch(/<script|onerror|onclick|<img|style=|<iframe|javascript:|tracker\.example|fetch\(/i);
    });

    it('makes Idempotency-Key retries safe, per user', async () => {
      const key = `note-${randomUUID()}`;
      const first = await api(
        apps,
        `/tickets/${ticket.ticketId}/actions/note`,
        { ...agent.headers, 'idempotency-key': key },
        { body: { text: 'called the carrier' } },
      );
      const retry = await api(
        apps,
        `/tickets/${ticket.ticketId}/actions/note`,
        { ...agent.headers, 'idempotency-key': key },
        { body: { text: 'called the carrier' } },
      );
      const other = await api(
        apps,
        `/tickets/${ticket.ticketId}/actions/note`,
        { ...colleague.headers, 'idempotency-key': key },
        { body: { text: 'me too' } },
      );
      expect([first.status, retry.status, other.status]).toEqual([200, 200, 200]);
      expect(await json(retry)).toEqual(await json(first));
      const notes = await db.client.query(
        `SELECT actor FROM ticket_audit WHERE ticket_id = $1 AND action = 'note' ORDER BY id`,
        [ticket.ticketId],
      );
      expect(notes.rows).toEqual([{ actor: supervisor.id }, { actor: agent.id }, { actor: colleague.id }]);
      const bad = await api(
        apps,
        `/tickets/${ticket.ticketId}/actions/note`,
        { ...agent.headers, 'idempotency-key': 'no spaces allowed' },
        { body: { text: 'x' } },
      );
      expect(bad.status).toBe(400);
    });

    it('keeps a claim with its holder until a supervisor takes it over', async () => {
      const claim = (user: TestUser, body: Json = {}) =>
        api(apps, `/tickets/${ticket.ticketId}/actions/claim`, user.headers, { body });
      expect((await claim(agent)).status).toBe(200);
      const taken = await claim(colleague);
      expect(taken.status).toBe(409);
      expect((await json(taken)).error.code).toBe('TICKET_CLAIMED_BY_OTHER');
      expect((await claim(colleague, { takeOver: true })).status).toBe(409); // agents cannot take over
      expect((await claim(supervisor)).status).toBe(409);
      const takeOver = await claim(supervisor, { takeOver: true });
      expect(takeOver.status).toBe(200);
      expect((await json(takeOver)).claimedBy).toBe(supervisor.id);
      const audit = await db.client.query(`SELECT action FROM ticket_audit WHERE ticket_id = $1 AND actor = $2`, [
        ticket.ticketId,
        supervisor.id,
      ]);
      expect(audit.rows.map((r) => r.action)).toContain('take_over');
      // The agent can no longer decide; the supervisor hands the ticket back by claiming as the agent cannot.
      const blocked = await api(apps, `/tickets/${ticket.ticketId}/actions/approve`, agent.headers, {
        body: { draftVersion: 1 },
      });
      expect(blocked.status).toBe(409);
    });

    it('sends an edited reply once, whatever the retries', async () => {
      const key = randomUUID();
      const body = { draftVersion: 1, text: 'Hello Casey, here is your prepaid return label. Best, Sam' };
      const edit = () =>
        api(
          apps,
          `/tickets/${ticket.ticketId}/actions/edit`,
          { ...supervisor.headers, 'idempotency-key': key },
          { body },
        );
      const [a, b] = await Promise.all([edit(), edit()]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(await json(a)).toEqual(await json(b));
      await eventually(() => expect(sink.received.filter((m) => m.to.includes(email))).toHaveLength(1), 30_000);
      expect(sink.received.find((m) => m.to.includes(email))?.raw).toContain('prepaid return label');
      const page = await list(agent);
      expect(page.items.map((i) => i.ticketId)).not.toContain(ticket.ticketId);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(sink.received.filter((m) => m.to.includes(email))).toHaveLength(1);
    });
  });

  it('serves the web inbox at / from the build, with a strict content security policy', async () => {
    const origin = apps.baseUrl.replace('/api/v1', '');
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="app">');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const asset = await fetch(`${origin}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);
  });
});
