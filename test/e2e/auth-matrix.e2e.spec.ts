import type { Client as PgClient } from 'pg';
import { randomUUID } from 'node:crypto';
import { SmtpSink } from '../../libs/integrations';
import { createIngestKey, createTestUser, startApps, type RunningApps, type TestUser } from '../support/apps';
import { eventually } from '../support/eventually';
import type { Json } from '../support/http';
import {
  api,
  customerMessage,
  isolatedDatabase,
  placeInQueue,
  ticketAwaitingAgent,
  type IsolatedDatabase,
} from '../support/inbox';
import { connectTemporal, type TemporalTestContext } from '../support/temporal';

/**
 * The authorization matrix: every route × every kind of caller × a ticket in the agent's queue ("own") and one
 * outside it ("foreign"). Asserts each status code, and that refused attempts changed nothing: no workflow
 * Update, no audit row, no read-model change, no email.
 */
type Who = 'anonymous' | 'ingest' | 'agent' | 'supervisor' | 'admin';
const WHO: Who[] = ['anonymous', 'ingest', 'agent', 'supervisor', 'admin'];
const ACTIONS = [
  'claim',
  'note',
  'cancel-auto-send',
  'await-customer',
  'reassign',
  'approve',
  'edit',
  'reject',
] as const;

describe('authorization matrix', () => {
  let apps: RunningApps;
  let db: IsolatedDatabase;
  let sink: SmtpSink;
  let temporal: TemporalTestContext;
  const headers = {} as Record<Who, Record<string, string>>;
  const users = {} as Record<'agent' | 'supervisor' | 'admin', TestUser>;

  beforeAll(async () => {
    db = await isolatedDatabase('matrix');
    sink = new SmtpSink();
    const smtpPort = await sink.listen(0);
    apps = await startApps({
      DATABASE_URL: db.url,
      SMTP_PORT: String(smtpPort),
      AUTO_SEND_ENABLED: 'false',
      AUTH_ACTION_LIMIT_PER_MINUTE: '10000',
    });
    temporal = await connectTemporal();
    users.agent = await createTestUser(apps, 'agent', ['standard'], 'Ava Agent');
    users.supervisor = await createTestUser(apps, 'supervisor', [], 'Sam Supervisor');
    users.admin = await createTestUser(apps, 'admin', [], 'Ada Admin');
    Object.assign(headers, {
      anonymous: {},
      ingest: await createIngestKey(apps),
      agent: users.agent.headers,
      supervisor: users.supervisor.headers,
      admin: users.admin.headers,
    });
  });

  afterAll(async () => {
    await apps?.stop();
    await sink?.close();
    await temporal?.close();
    await db?.drop();
  });

  /** A ticket waiting for a person in `queue`, with its customer's address. */
  async function waitingTicket(queue: 'standard' | 'risk'): Promise<{ ticket: Json; email: string }> {
    const message = await customerMessage(db.client);
    const ticket = await ticketAwaitingAgent(apps, headers.ingest, users.supervisor.headers, message);
    return { ticket: await placeInQueue(apps, users.supervisor.headers, ticket, queue), email: message.email };
  }

  /** Everything a refused request must leave exactly as it was. */
  async function footprint(ticketId: string, email: string, client: PgClient = db.client) {
    const history = await temporal.client.workflow.getHandle(`ticket-${ticketId}`).fetchHistory();
    const events = history.events ?? [];
    const row = await client.query(
      'SELECT status, queue, claimed_by, state_seq, draft_version FROM tickets WHERE id = $1',
      [ticketId],
    );
    const audit = await client.query('SELECT count(*)::int AS n FROM ticket_audit WHERE ticket_id = $1', [ticketId]);
    return {
      historyLength: events.length,
      updates: events.filter(
        (e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateCompletedEventAttributes,
      ).length,
      row: row.rows[0],
      auditRows: audit.rows[0].n,
      emails: sink.received.filter((m) => m.to.includes(email)).length,
    };
  }

  /** A valid request for each action: if authorization failed open, it would change the ticket. */
  function validBody(action: (typeof ACTIONS)[number], ticket: Json): Record<string, unknown> {
    switch (action) {
      case 'claim':
      case 'cancel-auto-send':
        return {};
      case 'note':
        return { text: 'matrix note' };
      case 'await-customer':
        return { reason: 'matrix: waiting for photos' };
      case 'reassign':
        return { queue: ticket.queue === 'standard' ? 'priority' : 'standard', reason: 'matrix' };
      case 'approve':
        return { draftVersion: ticket.draftVersion };
      case 'edit':
        return { draftVersion: ticket.draftVersion, text: 'An edited reply from the matrix.' };
      case 'reject':
        return { reason: 'matrix' };
    }
  }

  it('refuses foreign and unauthorised ticket requests, with no side effect at all', async () => {
    const own = await waitingTicket('standard');
    const foreign = await waitingTicket('risk');
    const before = {
      own: await footprint(own.ticket.ticketId, own.email),
      foreign: await footprint(foreign.ticket.ticketId, foreign.email),
    };

    const refused: [Who, 'own' | 'foreign'][] = [
      ['anonymous', 'own'],
      ['anonymous', 'foreign'],
      ['ingest', 'own'],
      ['ingest', 'foreign'],
      ['agent', 'foreign'],
    ];
    const expected = { anonymous: 401, ingest: 403, agent: 404 } as Record<Who, number>;
    const actual: Record<string, number> = {};
    const wanted: Record<string, number> = {};
    const unknownTicket = (await (await api(apps, `/tickets/${randomUUID()}`, headers.agent)).json()) as Json;
    for (const [who, kind] of refused) {
      const { ticket } = kind === 'own' ? own : foreign;
      const routes: [string, Record<string, unknown> | undefined][] = [
        [`/tickets/${ticket.ticketId}`, undefined],
        ...ACTIONS.map((a): [string, Record<string, unknown>] => [
          `/tickets/${ticket.ticketId}/actions/${a}`,
          validBody(a, ticket),
        ]),
      ];
      for (const [path, body] of routes) {
        const res = await api(
          apps,
          path,
          { ...headers[who], 'idempotency-key': randomUUID() },
          body === undefined ? {} : { body },
        );
        const key = `${who} ${kind} ${body === undefined ? 'GET' : 'POST'} ${path.replace(ticket.ticketId, ':id')}`;
        actual[key] = res.status;
        wanted[key] = expected[who] as number;
        const error = ((await res.json()) as Json).error;
        if (who === 'agent') {
          // A foreign ticket is indistinguishable from one that does not exist.
          expect(error.code).toBe('TICKET_NOT_FOUND');
          expect(error.message.replace(ticket.ticketId, 'ID')).toBe(
            unknownTicket.error.message.replace(/[0-9a-f-]{36}/, 'ID'),
          );
        }
      }
    }
    expect(actual).toEqual(wanted);

    // Nothing happened: no Update in the workflow history, no audit row, no read-model change, no email.
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a wrongly accepted Update would land by now
    expect(await footprint(own.ticket.ticketId, own.email)).toEqual(before.own);
    expect(await footprint(foreign.ticket.ticketId, foreign.email)).toEqual(before.foreign);
    expect(before.own.row.claimed_by).toBeNull();
  });

  it.each([
    ['agent', 'standard'],
    ['supervisor', 'standard'],
    ['supervisor', 'risk'],
    ['admin', 'standard'],
    ['admin', 'risk'],
  ] as const)('lets %s act on a ticket in %s through the workflow Updates', async (who, queue) => {
    const { ticket, email } = await waitingTicket(queue);
    const id = ticket.ticketId as string;
    const version = ticket.draftVersion as number;
    const steps: [string, Record<string, unknown> | undefined, number, string?][] = [
      [`/tickets/${id}`, undefined, 200],
      [`/tickets/${id}/actions/claim`, {}, 200],
      [`/tickets/${id}/actions/note`, { text: `note by ${who}` }, 200],
      [`/tickets/${id}/actions/cancel-auto-send`, {}, 409, 'NO_AUTO_SEND_PENDING'],
      [`/tickets/${id}/actions/reassign`, { queue, reason: 'same queue' }, 422, 'INVALID_DECISION'],
      [`/tickets/${id}/actions/approve`, { draftVersion: version + 5 }, 409, 'STALE_DRAFT_VERSION'],
      [`/tickets/${id}/actions/approve`, { draftVersion: version }, 200],
      [`/tickets/${id}/actions/edit`, { draftVersion: version, text: 'too late' }, 409],
      [`/tickets/${id}/actions/reject`, { reason: 'too late' }, 409],
    ];
    const auditBefore = await db.client.query('SELECT coalesce(max(id), 0)::bigint AS id FROM ticket_audit');
    const results: [string, number, string | undefined][] = [];
    for (const [path, body] of steps) {
      const res = await api(
        apps,
        path,
        { ...headers[who], 'idempotency-key': randomUUID() },
        body === undefined ? {} : { body },
      );
      const payload = (await res.json()) as Json;
      results.push([path.replace(id, ':id'), res.status, payload.error?.code]);
    }
    expect(results.map(([path, status]) => [path, status])).toEqual(
      steps.map(([path, , status]) => [path.replace(id, ':id'), status]),
    );
    for (const [i, [, , , code]] of steps.entries()) if (code) expect(results[i]?.[2]).toBe(code);

    const actor = users[who].id;
    const audit = await db.client.query(
      'SELECT actor, action FROM ticket_audit WHERE ticket_id = $1 AND id > $2 ORDER BY id',
      [id, auditBefore.rows[0].id],
    );
    expect(audit.rows).toEqual(['claim', 'note', 'approve'].map((action) => ({ actor, action })));
    await eventually(() => expect(sink.received.filter((m) => m.to.includes(email))).toHaveLength(1), 30_000);
  });

  it('answers every other route by role', async () => {
    type Route = { name: string; run: (h: Record<string, string>) => Promise<Response> };
    const freshUser = () => ({
      email: `u.${randomUUID()}@example.com`,
      displayName: 'Matrix User',
      role: 'agent',
      password: 'matrix-password-1',
      queues: ['standard'],
    });
    const throwawayKey = async () => {
      const res = await api(apps, '/admin/api-keys', headers.admin, { body: { name: `k-${randomUUID()}` } });
      return ((await res.json()) as Json).id as string;
    };
    const message = async () => (await customerMessage(db.client)).body;
    const routes: Route[] = [
      { name: 'GET /health', run: (h) => api(apps, '/health', h) },
      {
        name: 'POST /auth/login (wrong password)',
        run: (h) => api(apps, '/auth/login', h, { body: { email: 'nobody@example.com', password: 'x' } }),
      },
      { name: 'GET /auth/me', run: (h) => api(apps, '/auth/me', h) },
      { name: 'POST /tickets', run: async (h) => api(apps, '/tickets', h, { body: await message() }) },
      { name: 'GET /inbox', run: (h) => api(apps, '/inbox', h) },
      { name: 'GET /inbox/counts', run: (h) => api(apps, '/inbox/counts', h) },
      {
        name: 'GET /inbox/stream',
        run: async (h) => {
          const controller = new AbortController();
          const res = await fetch(`${apps.baseUrl}/inbox/stream`, { headers: h, signal: controller.signal });
          controller.abort();
          return res;
        },
      },
      { name: 'GET /admin/users', run: (h) => api(apps, '/admin/users', h) },
      { name: 'POST /admin/users', run: (h) => api(apps, '/admin/users', h, { body: freshUser() }) },
      {
        name: 'PATCH /admin/users/:id',
        run: (h) =>
          api(apps, `/admin/users/${users.agent.id}`, h, { method: 'PATCH', body: { displayName: 'Ava Agent' } }),
      },
      { name: 'GET /admin/queues', run: (h) => api(apps, '/admin/queues', h) },
      { name: 'GET /admin/routing', run: (h) => api(apps, '/admin/routing', h) },
      { name: 'GET /admin/api-keys', run: (h) => api(apps, '/admin/api-keys', h) },
      {
        name: 'POST /admin/api-keys',
        run: (h) => api(apps, '/admin/api-keys', h, { body: { name: `k-${randomUUID()}` } }),
      },
      {
        name: 'DELETE /admin/api-keys/:id',
        run: async (h) => api(apps, `/admin/api-keys/${await throwawayKey()}`, h, { method: 'DELETE' }),
      },
      { name: 'POST /auth/logout', run: (h) => api(apps, '/auth/logout', h, { body: {} }) }, // last: it ends the session
    ];
    const admin = (ok: number) => ({ anonymous: 401, ingest: 403, agent: 403, supervisor: 403, admin: ok });
    const signedIn = (ok: number) => ({ anonymous: 401, ingest: 403, agent: ok, supervisor: ok, admin: ok });
    const expected: Record<string, Record<Who, number>> = {
      'GET /health': { anonymous: 200, ingest: 200, agent: 200, supervisor: 200, admin: 200 },
      'POST /auth/login (wrong password)': { anonymous: 401, ingest: 401, agent: 401, supervisor: 401, admin: 401 },
      'GET /auth/me': signedIn(200),
      'POST /tickets': { anonymous: 401, ingest: 201, agent: 403, supervisor: 403, admin: 201 },
      'GET /inbox': signedIn(200),
      'GET /inbox/counts': signedIn(200),
      'GET /inbox/stream': signedIn(200),
      'GET /admin/users': admin(200),
      'POST /admin/users': admin(201),
      'PATCH /admin/users/:id': admin(200),
      'GET /admin/queues': admin(200),
      'GET /admin/routing': admin(200),
      'GET /admin/api-keys': admin(200),
      'POST /admin/api-keys': admin(201),
      'DELETE /admin/api-keys/:id': admin(204),
      'POST /auth/logout': signedIn(204),
    };
    const actual: Record<string, Record<string, number>> = {};
    for (const route of routes) {
      actual[route.name] = {};
      for (const who of WHO)
        (actual[route.name] as Record<string, number>)[who] = (await route.run(headers[who])).status;
    }
    expect(actual).toEqual(expected);
    // Refused admin calls created nothing: exactly one user and one key per admin call.
    const created = await db.client.query(`SELECT count(*)::int AS n FROM users WHERE display_name = 'Matrix User'`);
    expect(created.rows[0].n).toBe(1);
  });
});
