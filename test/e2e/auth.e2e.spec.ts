import { createHmac, randomUUID } from 'node:crypto';
import { createIngestKey, createTestUser, startApps, type RunningApps, type TestUser } from '../support/apps';
import { json, type Json } from '../support/http';
import { api, customerMessage, isolatedDatabase, type IsolatedDatabase } from '../support/inbox';

/** Identity and access over real HTTP: login, tokens, API keys, admin, rate limits. */
describe('authentication and access', () => {
  let apps: RunningApps;
  let db: IsolatedDatabase;
  let admin: TestUser;

  beforeAll(async () => {
    db = await isolatedDatabase('auth');
    apps = await startApps({ DATABASE_URL: db.url, AUTH_JWT_SECRET: 'x'.repeat(48) });
    admin = await createTestUser(apps, 'admin', [], 'Ada Admin');
  });

  afterAll(async () => {
    await apps?.stop();
    await db?.drop();
  });

  const login = (email: string, password: string) => api(apps, '/auth/login', {}, { body: { email, password } });

  describe('login', () => {
    it('answers a signed token for the right password, and the token says who you are', async () => {
      const agent = await createTestUser(apps, 'agent', ['standard', 'risk'], 'Ava Agent');
      const res = await login(agent.email.toUpperCase(), agent.password);
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body).toMatchObject({
        tokenType: 'Bearer',
        expiresIn: 8 * 3600,
        user: { id: agent.id, role: 'agent', queues: ['risk', 'standard'] },
      });
      const [header, payload] = (body.accessToken as string)
        .split('.')
        .slice(0, 2)
        .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Json);
      expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT' });
      expect(payload).toMatchObject({ sub: agent.id, role: 'agent', iss: 'seamline', aud: 'seamline-inbox' });
      expect(payload).not.toHaveProperty('email');

      const me = await api(apps, '/auth/me', { authorization: `Bearer ${body.accessToken}` });
      expect(me.status).toBe(200);
      expect(await json(me)).toEqual({
        id: agent.id,
        email: agent.email,
        displayName: 'Ava Agent',
        role: 'agent',
        queues: ['risk', 'standard'],
        visibleQueues: ['risk', 'standard'],
      });
    });

    it('stores passwords as argon2id hashes only', async () => {
      const { rows } = await db.client.query<{ password_hash: string }>(
        'SELECT password_hash FROM users WHERE id = $1',
        [admin.id],
      );
      expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(rows[0]?.password_hash).not.toContain(admin.password);
    });

    it('answers every failed login the same way, whichever part was wrong', async () => {
      const agent = await createTestUser(apps, 'agent', ['standard']);
      const disabled = await createTestUser(apps, 'agent', ['standard']);
      expect(
        (await api(apps, `/admin/users/${disabled.id}`, admin.headers, { method: 'PATCH', body: { active: false } }))
          .status,
      ).toBe(200);

      const attempts = [
        await login(`nobody.${randomUUID()}@example.com`, agent.password), // unknown email
        await login(agent.email, `${agent.password}x`), // wrong password
        await login(disabled.email, disabled.password), // right password, disabled account
      ];
      const answers = await Promise.all(
        attempts.map(async (r) => ({ status: r.status, body: await json(r), auth: r.headers.get('www-authenticate') })),
      );
      expect(answers[0]).toEqual({
        status: 401,
        body: { error: { code: 'INVALID_CREDENTIALS', message: 'email or password is incorrect' } },
        auth: 'Bearer realm="seamline"',
      });
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
    });

    it('rejects unknown fields and oversized input before any work', async () => {
      const res = await api(
        apps,
        '/auth/login',
        {},
        { body: { email: admin.email, password: admin.password, role: 'admin' } },
      );
      expect(res.status).toBe(400);
      expect((await json(res)).error.details.fields).toHaveProperty('role');
      expect((await login(admin.email, 'p'.repeat(257))).status).toBe(400);
    });
  });

  describe('tokens', () => {
    it('refuses requests without, with malformed, forged or unsigned tokens', async () => {
      const forge = (payload: object, secret: string, alg = 'HS256') => {
        const head = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
        const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
        const sig = alg === 'none' ? '' : createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
        return `${head}.${body}.${sig}`;
      };
      const claims = {
        sub: admin.id,
        ver: 0,
        role: 'admin',
        iss: 'seamline',
        aud: 'seamline-inbox',
        exp: Math.floor(Date.now() / 1000) + 600,
      };
      const cases: Record<string, string>[] = [
        {},
        { authorization: 'Basic YWRtaW46YWRtaW4=' },
        { authorization: 'Bearer not-a-token' },
        { authorization: `Bearer ${forge(claims, 'another-secret-that-is-long-enough-to-look-real')}` },
        { authorization: `Bearer ${forge(claims, '', 'none')}` },
        { authorization: `Bearer ${forge({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, 'x'.repeat(48))}` },
        { authorization: `Bearer ${forge({ ...claims, aud: 'someone-else' }, 'x'.repeat(48))}` },
        { 'x-actor-id': admin.id, 'x-actor-role': 'admin' }, // the old gateway headers mean nothing now
      ];
      for (const headers of cases) {
        const res = await api(apps, '/inbox', headers);
        expect({ headers, status: res.status }).toEqual({ headers, status: 401 });
        expect((await json(res)).error.code).toBe('UNAUTHENTICATED');
      }
      // The same claims signed with the configured secret are accepted: the cases above failed for their flaw.
      expect((await api(apps, '/inbox', { authorization: `Bearer ${forge(claims, 'x'.repeat(48))}` })).status).toBe(
        200,
      );
    });

    it('stops working after logout, and after a role or password change', async () => {
      const user = await createTestUser(apps, 'agent', ['standard']);
      const second = await json(await login(user.email, user.password));
      expect((await api(apps, '/auth/logout', user.headers, { body: {} })).status).toBe(204);
      expect((await api(apps, '/auth/me', user.headers)).status).toBe(401);
      expect((await api(apps, '/auth/me', { authorization: `Bearer ${second.accessToken}` })).status).toBe(401);

      const fresh = await json(await login(user.email, user.password));
      const headers = { authorization: `Bearer ${fresh.accessToken}` };
      expect((await api(apps, '/auth/me', headers)).status).toBe(200);
      expect(
        (await api(apps, `/admin/users/${user.id}`, admin.headers, { method: 'PATCH', body: { role: 'supervisor' } }))
          .status,
      ).toBe(200);
      expect((await api(apps, '/auth/me', headers)).status).toBe(401);
      const promoted = await json(await login(user.email, user.password));
      expect(promoted.user.role).toBe('supervisor');
    });

    it('applies queue changes to the next request without a new login', async () => {
      const agent = await createTestUser(apps, 'agent', ['standard']);
      expect((await json(await api(apps, '/inbox', agent.headers))).queues).toEqual(['standard']);
      await api(apps, `/admin/users/${agent.id}`, admin.headers, {
        method: 'PATCH',
        body: { queues: ['risk', 'accessibility'] },
      });
      expect((await json(await api(apps, '/inbox', agent.headers))).queues).toEqual(['risk', 'accessibility']);
    });
  });

  describe('API keys', () => {
    it('lets an ingest key ingest, and nothing else', async () => {
      const key = await createIngestKey(apps);
      const message = await customerMessage(db.client);
      const created = await api(apps, '/tickets', key, { body: message.body });
      expect(created.status).toBe(201);
      const { ticketId } = await json(created);
      const bearer = { authorization: `Bearer ${key['x-api-key']}` };
      expect((await api(apps, '/tickets', bearer, { body: message.body })).status).toBe(200); // same message, either header

      for (const [path, init] of [
        ['/inbox', {}],
        ['/inbox/stream', {}],
        ['/auth/me', {}],
        [`/tickets/${ticketId}`, {}],
        [`/tickets/${ticketId}/actions/note`, { body: { text: 'hi' } }],
        [`/tickets/${ticketId}/actions/approve`, { body: { draftVersion: 1 } }],
        ['/admin/users', {}],
        ['/admin/api-keys', { body: { name: 'escalate-me' } }],
      ] as const) {
        const res = await api(apps, path, key, init);
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
        expect((await json(res)).error.code).toBe('FORBIDDEN');
      }
    });

    it('is created by an admin, shown once, listed without its secret, and dead once revoked', async () => {
      const agent = await createTestUser(apps, 'agent', ['standard']);
      expect((await api(apps, '/admin/api-keys', agent.headers, { body: { name: 'nope' } })).status).toBe(403);

      const created = await api(apps, '/admin/api-keys', admin.headers, {
        body: { name: `mail-bridge-${randomUUID()}` },
      });
      expect(created.status).toBe(201);
      const key = await json(created);
      expect(key.token).toMatch(/^slk_[a-z0-9]{12}\.[A-Za-z0-9_-]{43}$/);
      expect(key.scopes).toEqual(['ingest']);
      const listed = (await json(await api(apps, '/admin/api-keys', admin.headers))) as Json[];
      const entry = listed.find((k) => k.id === key.id);
      expect(entry).toMatchObject({ keyId: key.keyId, revokedAt: null });
      expect(JSON.stringify(listed)).not.toContain(key.token.split('.')[1]);
      const { rows } = await db.client.query('SELECT secret_hash FROM api_keys WHERE id = $1', [key.id]);
      expect((rows[0].secret_hash as Buffer).length).toBe(32);

      const message = await customerMessage(db.client);
      expect((await api(apps, '/tickets', { 'x-api-key': key.token }, { body: message.body })).status).toBe(201);
      expect((await api(apps, `/admin/api-keys/${key.id}`, admin.headers, { method: 'DELETE' })).status).toBe(204);
      const revoked = await api(apps, '/tickets', { 'x-api-key': key.token }, { body: message.body });
      expect(revoked.status).toBe(401);
      expect(
        (await api(apps, '/tickets', { 'x-api-key': `${key.token.slice(0, -1)}A` }, { body: message.body })).status,
      ).toBe(401);
    });

    it('lets an admin ingest; agents and supervisors may not', async () => {
      const message = await customerMessage(db.client);
      const agent = await createTestUser(apps, 'agent', ['standard']);
      const supervisor = await createTestUser(apps, 'supervisor');
      expect((await api(apps, '/tickets', agent.headers, { body: message.body })).status).toBe(403);
      expect((await api(apps, '/tickets', supervisor.headers, { body: message.body })).status).toBe(403);
      expect((await api(apps, '/tickets', admin.headers, { body: message.body })).status).toBe(201);
    });
  });

  describe('administration', () => {
    it('creates users with validated input and refuses duplicates', async () => {
      const email = `new.${randomUUID()}@example.com`;
      const body = {
        email,
        displayName: 'Nia New',
        role: 'agent',
        password: 'a-long-enough-password',
        queues: ['accessibility'],
      };
      const created = await api(apps, '/admin/users', admin.headers, { body });
      expect(created.status).toBe(201);
      expect(await json(created)).toMatchObject({ email, role: 'agent', queues: ['accessibility'], active: true });
      expect(JSON.stringify(await json(await api(apps, '/admin/users', admin.headers)))).not.toMatch(/password|argon2/);

      const duplicate = await api(apps, '/admin/users', admin.headers, {
        body: { ...body, email: email.toUpperCase() },
      });
      expect(duplicate.status).toBe(409);
      expect((await json(duplicate)).error.code).toBe('USER_EXISTS');
      const invalid = await api(apps, '/admin/users', admin.headers, {
        body: {
          ...body,
          email: `x.${randomUUID()}@example.com`,
          role: 'root',
          password: 'short',
          queues: ['vip'],
          tokenVersion: 9,
        },
      });
      expect(invalid.status).toBe(400);
      expect(Object.keys((await json(invalid)).error.details.fields).sort()).toEqual([
        'password',
        'queues',
        'role',
        'tokenVersion',
      ]);
      expect((await login(email, body.password)).status).toBe(200);
    });

    it('never leaves the system without an active admin', async () => {
      const { rows } = await db.client.query<{ id: string }>(
        `SELECT id FROM users WHERE role = 'admin' AND active AND id <> $1`,
        [admin.id],
      );
      for (const other of rows)
        await api(apps, `/admin/users/${other.id}`, admin.headers, { method: 'PATCH', body: { active: false } });
      const res = await api(apps, `/admin/users/${admin.id}`, admin.headers, {
        method: 'PATCH',
        body: { role: 'agent' },
      });
      expect(res.status).toBe(409);
      expect((await json(res)).error.code).toBe('LAST_ADMIN');
      expect(
        (
          await api(apps, `/admin/users/${randomUUID()}`, admin.headers, {
            method: 'PATCH',
            body: { displayName: 'x' },
          })
        ).status,
      ).toBe(404);
    });

    it('shows queues with members, and the routing configuration, to admins only', async () => {
      const member = await createTestUser(apps, 'agent', ['escalations'], 'Esme Escalations');
      const queues = (await json(await api(apps, '/admin/queues', admin.headers))) as Json[];
      expect(queues.map((q) => q.queue)).toEqual(['risk', 'priority', 'accessibility', 'standard', 'escalations']);
      expect(queues.find((q) => q.queue === 'escalations').members).toContainEqual({
        id: member.id,
        displayName: 'Esme Escalations',
        role: 'agent',
      });
      const routing = await json(await api(apps, '/admin/routing', admin.headers));
      expect(routing.policyVersion).toMatch(/^routing-/);
      expect(routing.queues.fraud_claim).toEqual({ queue: 'risk', priority: 'urgent' });
      const supervisor = await createTestUser(apps, 'supervisor');
      expect((await api(apps, '/admin/queues', supervisor.headers)).status).toBe(403);
      expect((await api(apps, '/admin/routing', member.headers)).status).toBe(403);
    });
  });

  it('documents the API with its security schemes', async () => {
    const doc = (await json(await fetch(`${apps.baseUrl.replace('/api/v1', '')}/docs-json`))) as Json;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/inbox',
        '/api/v1/inbox/stream',
        '/api/v1/tickets/{ticketId}',
        '/api/v1/tickets/{ticketId}/actions/edit',
        '/api/v1/admin/users',
        '/api/v1/admin/api-keys',
      ]),
    );
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'bearer', 'codecCookie', 'postmark']);
    expect(doc.components.securitySchemes.codecCookie).toMatchObject({ type: 'apiKey', in: 'cookie' });
    // the codec cookie is a credential of the codec routes only
    const cookieRoutes = Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, ops]) =>
      Object.values(ops).some((op) => (op.security ?? []).some((s: Json) => 'codecCookie' in s)) ? [path] : [],
    );
    expect(cookieRoutes.sort()).toEqual(['/api/v1/codec/decode', '/api/v1/codec/encode']);
    expect(doc.components.schemas.TicketBriefingDto.properties).toHaveProperty('briefing');
    expect(doc.components.schemas.InboxPageDto.properties).toHaveProperty('nextCursor');
    expect(doc.paths['/api/v1/inbox'].get.parameters.map((p: Json) => p.name)).toEqual(
      expect.arrayContaining(['queue', 'status', 'priority', 'slaState', 'intent', 'cursor', 'limit']),
    );
  });
});

/** Rate limits, on an API of their own with small limits. */
describe('rate limits', () => {
  let apps: RunningApps;
  let db: IsolatedDatabase;

  beforeAll(async () => {
    db = await isolatedDatabase('limits');
    apps = await startApps({
      DATABASE_URL: db.url,
      AUTH_LOGIN_LIMIT_PER_MINUTE: '3',
      AUTH_ACTION_LIMIT_PER_MINUTE: '5',
    });
  });

  afterAll(async () => {
    await apps?.stop();
    await db?.drop();
  });

  it('limits login attempts per account, without saying whether the account exists', async () => {
    const user = await createTestUser(apps, 'agent', ['standard']); // one login
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await api(apps, '/auth/login', {}, { body: { email: user.email, password: 'wrong-password' } })).status,
      );
    }
    const blocked = await api(apps, '/auth/login', {}, { body: { email: user.email, password: user.password } });
    expect(statuses).toEqual([401, 401, 429]);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(blocked)).error.code).toBe('RATE_LIMITED');
    // Another account from the same address is not blocked by this one's limit.
    const other = await createTestUser(apps, 'agent', ['standard']);
    expect((await api(apps, '/auth/me', other.headers)).status).toBe(200);
  });

  it('limits ticket actions per user', async () => {
    const a = await createTestUser(apps, 'supervisor');
    const b = await createTestUser(apps, 'supervisor');
    const act = (user: TestUser) =>
      api(apps, `/tickets/${randomUUID()}/actions/note`, user.headers, { body: { text: 'hello' } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await act(a)).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429]);
    expect((await act(b)).status).toBe(404);
    // Reading is not an action: still allowed.
    expect((await api(apps, '/inbox', a.headers)).status).toBe(200);
  });
});
