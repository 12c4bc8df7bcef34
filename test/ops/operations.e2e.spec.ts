/**
 * Operations end to end, on one stack of the built apps with everything on: encrypted payloads (PAYLOAD_KEYS),
 * the codec endpoint, /metrics on both apps, traces to a real OTLP/HTTP receiver on loopback, JSON logs. A
 * customer with canary personal data (address, name, a phrase of their text, the order number) goes through a
 * ticket's life and through failures (a refused recipient, a conflicting message id, a rejected body); none of
 * the canaries may reach a Temporal history, a search attribute, a metric label or a log line.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { insertCustomerWithOrder } from '../support/db';
import { createTestUser, type TestUser } from '../support/apps';
import { startE2eStack, type E2eStack } from '../support/e2e';
import { eventually } from '../support/eventually';
import { json, type Json } from '../support/http';
import { getFreePort } from '../support/launchers';
import { testEnv } from '../support/stack';
import { declaredSeries, metricNamesIn, OtlpReceiver, parsePrometheus, type Sample } from './support';

const UI_ORIGIN = 'http://127.0.0.1:8233';
const ENCRYPTED = Buffer.from('binary/encrypted').toString('base64');

describe('operations: encrypted payloads, codec endpoint, metrics, traces, logs', () => {
  let stack: E2eStack;
  let receiver: OtlpReceiver;
  let apiMetricsPort: number;
  let workerMetricsPort: number;
  let agent: TestUser;
  const tag = randomUUID().slice(0, 8);
  const canary = {
    email: `zebulon.canary.${tag}@example.com`,
    bouncing: `wilhelmina.canary.${tag}@example.com`,
    name: `Zebulon Canaryfield${tag}`,
    phrase: `my grandmother's teapot ${tag} arrived in pieces`,
    orderNumber: `SL-77${Math.floor(Math.random() * 1e7)}`,
    bouncingOrder: `SL-78${Math.floor(Math.random() * 1e7)}`,
  };
  const canaries = () => [
    canary.email,
    canary.bouncing,
    canary.name,
    canary.phrase,
    canary.orderNumber,
    canary.bouncingOrder,
  ];
  let ticketId: string;
  let bouncedTicketId: string;

  beforeAll(async () => {
    receiver = new OtlpReceiver();
    const otlp = await receiver.listen();
    [apiMetricsPort, workerMetricsPort] = [await getFreePort(), await getFreePort()];
    stack = await startE2eStack(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
        API_METRICS_PORT: String(apiMetricsPort),
        WORKER_HEALTH_PORT: String(workerMetricsPort),
        CODEC_CORS_ORIGINS: UI_ORIGIN,
        LOG_LEVEL: 'info',
        AUTO_SEND_ENABLED: 'false',
        // The ticket's workflow finishes soon after its reply, so its RunWorkflow span ends and is exported.
        REOPEN_WINDOW_SECONDS: '2',
      },
      // A relay that refuses one recipient for now, naming the address in its reply (as real relays do).
      {
        refuse: (address) =>
          address === canary.bouncing ? { code: 451, message: `<${address}>: try again later` } : null,
      },
    );
    agent = await createTestUser(stack.apps, 'agent', ['standard']);
    await insertCustomerWithOrder(stack.db, { email: canary.email, orderNumber: canary.orderNumber });
    await insertCustomerWithOrder(stack.db, { email: canary.bouncing, orderNumber: canary.bouncingOrder });

    ticketId = await ingestAndApprove(canary.email, canary.orderNumber);
    await eventually(() => expect(stack.sink.received.some((m) => m.to.includes(canary.email))).toBe(true), 30_000);
    const handle = stack.temporal.client.workflow.getHandle(`ticket-${ticketId}`);
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'), 30_000);

    // Failures carrying the canaries: a reply the relay refuses (retried by Temporal), a conflicting message id,
    // a body the API rejects.
    bouncedTicketId = await ingestAndApprove(canary.bouncing, canary.bouncingOrder);
    await eventually(() => expect(stack.apps.worker.fullOutput()).toMatch(/sendReply/), 30_000);
    const conflict = await stack.post('/tickets', message(canary.email, canary.orderNumber, 'fixed-id'));
    expect(conflict.status).toBe(201);
    const again = await stack.post('/tickets', {
      ...message(canary.email, canary.orderNumber, 'fixed-id'),
      text: `${canary.phrase}, again`,
    });
    expect(again.status).toBe(409);
    const rejected = await stack.post('/tickets', { ...message(canary.email, canary.orderNumber), extra: canary.name });
    expect(rejected.status).toBe(400);
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  function message(email: string, orderNumber: string, id: string = randomUUID()) {
    return {
      messageId: `<${id}.${tag}@mail.example.com>`,
      from: { email, name: canary.name },
      subject: `Return for order ${orderNumber}`,
      text: `Hello, ${canary.phrase}. I would like to return it, order ${orderNumber}. How do I send it back?`,
      orderNumber,
    };
  }

  /** A return request that waits for a person; a supervisor approves its draft, so a reply goes out by SMTP. */
  async function ingestAndApprove(email: string, orderNumber: string): Promise<string> {
    const res = await stack.post('/tickets', message(email, orderNumber));
    expect(res.status).toBe(201);
    const { ticketId: id } = (await json(res)) as { ticketId: string };
    const ticket = await eventually(async () => {
      const t = await stack.ticket(id);
      expect(['awaiting_review', 'escalated']).toContain(t.status);
      expect(t.draft).toBeTruthy();
      return t;
    }, 45_000);
    const approved = await stack.post(`/tickets/${id}/actions/approve`, { draftVersion: ticket.draftVersion });
    expect(approved.status).toBe(200);
    return id;
  }

  function history(workflowId: string): string {
    return execFileSync(process.env.TEMPORAL_CLI ?? 'temporal', [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--address',
      testEnv().temporalAddress,
      '--output',
      'json',
    ]).toString('utf8');
  }

  describe('payloads', () => {
    it('leave no canary in the histories, only ciphertext under the key id', () => {
      for (const id of [ticketId, bouncedTicketId]) {
        const text = history(`ticket-${id}`);
        expect(text).toContain(ENCRYPTED);
        expect(text).toContain(Buffer.from('test-1').toString('base64'));
        for (const value of canaries()) expect(text).not.toContain(value);
        // base64 hides nothing: no canary in any base64-decoded field either
        const decodedFields = [...text.matchAll(/"([A-Za-z0-9+/]{8,}={0,2})"/g)].map((m) =>
          Buffer.from(m[1] as string, 'base64').toString('latin1'),
        );
        for (const value of canaries()) expect(decodedFields.some((f) => f.includes(value))).toBe(false);
      }
    });

    it('carry no canary in search attributes', async () => {
      const described = await stack.temporal.client.workflow.getHandle(`ticket-${ticketId}`).describe();
      const attributes = JSON.stringify(described.typedSearchAttributes);
      expect(attributes).toContain('Queue');
      for (const value of canaries()) expect(attributes).not.toContain(value);
    });
  });

  describe('codec endpoint', () => {
    const codec = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${stack.apps.baseUrl}/codec/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
        body: JSON.stringify(body),
      });

    function startInput(): { metadata: Record<string, string>; data: string } {
      const events = (JSON.parse(history(`ticket-${ticketId}`)) as { events: Json[] }).events;
      const started = events.find((e) => e.workflowExecutionStartedEventAttributes);
      const payload = started?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      expect(payload).toBeDefined();
      return payload;
    }

    it('decodes for a supervisor', async () => {
      const res = await codec('decode', { payloads: [startInput()] }, stack.supervisor.headers);
      expect(res.status).toBe(200);
      const [decoded] = ((await res.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> })
        .payloads;
      expect(Buffer.from(decoded?.metadata.encoding ?? '', 'base64').toString()).toBe('json/plain');
      expect(JSON.parse(Buffer.from(decoded?.data ?? '', 'base64').toString())).toMatchObject({ ticketId });
    });

    it('encodes for a supervisor, and what it encodes decodes', async () => {
      const plain = {
        metadata: { encoding: Buffer.from('json/plain').toString('base64') },
        data: Buffer.from('"hi"').toString('base64'),
      };
      const encoded = (await json(await codec('encode', { payloads: [plain] }, stack.supervisor.headers))) as Json;
      expect(encoded.payloads[0].metadata.encoding).toBe(ENCRYPTED);
      const decoded = (await json(await codec('decode', encoded, stack.supervisor.headers))) as Json;
      expect(decoded.payloads).toEqual([plain]);
    });

    it('refuses an agent (403) and an anonymous caller (401) with the API error body', async () => {
      const body = { payloads: [startInput()] };
      const asAgent = await codec('decode', body, agent.headers);
      expect(asAgent.status).toBe(403);
      expect(((await asAgent.json()) as Json).error.code).toBe('FORBIDDEN');
      const anonymous = await codec('decode', body);
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as Json).error.code).toBe('UNAUTHENTICATED');
      expect((await codec('encode', body, agent.headers)).status).toBe(403);
    });

    it("takes a supervisor's codec cookie on the codec routes only; an agent gets none; sign-out ends it", async () => {
      const login = async (user: TestUser) => {
        const res = await fetch(`${stack.apps.baseUrl}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: user.email, password: user.password }),
        });
        expect(res.status).toBe(200);
        return { setCookie: res.headers.getSetCookie(), token: ((await res.json()) as Json).accessToken as string };
      };
      const supervisor = await createTestUser(stack.apps, 'supervisor');
      const signedIn = await login(supervisor);
      expect(signedIn.setCookie).toHaveLength(1);
      const setCookie = signedIn.setCookie[0] as string;
      expect(setCookie).toMatch(/^seamline_codec=[^;]+;/);
      for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Path=/api/v1/codec', 'Max-Age='])
        expect(setCookie).toContain(attribute);
      const cookie = { cookie: setCookie.split(';')[0] as string };
      const body = { payloads: [startInput()] };

      const decoded = await codec('decode', body, { ...cookie, origin: UI_ORIGIN });
      expect(decoded.status).toBe(200);
      expect(decoded.headers.get('access-control-allow-credentials')).toBe('true');
      const [payload] = ((await decoded.json()) as Json).payloads;
      expect(JSON.parse(Buffer.from(payload.data, 'base64').toString())).toMatchObject({ ticketId });
      // the cookie opens nothing else, not even for its supervisor
      const elsewhere = await fetch(`${stack.apps.baseUrl}/tickets/${ticketId}`, { headers: cookie });
      expect(elsewhere.status).toBe(401);
      // a forged or foreign value is refused
      expect((await codec('decode', body, { cookie: 'seamline_codec=forged.token.value' })).status).toBe(401);

      // an agent's sign-in sets no usable cookie, and an agent's token in the cookie decodes nothing
      const agentLogin = await login(agent);
      expect(agentLogin.setCookie.join(';')).toMatch(/seamline_codec=;.*Max-Age=0/);
      expect((await codec('decode', body, { cookie: `seamline_codec=${agentLogin.token}` })).status).toBe(403);

      // signing out clears the cookie, and the old value stops working
      const logout = await fetch(`${stack.apps.baseUrl}/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${signedIn.token}` },
      });
      expect(logout.status).toBe(204);
      expect(logout.headers.getSetCookie().join(';')).toMatch(/seamline_codec=;.*Max-Age=0/);
      expect((await codec('decode', body, cookie)).status).toBe(401);
    });

    it('answers the Temporal UI origin with CORS, and no other origin', async () => {
      const preflight = await fetch(`${stack.apps.baseUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin: UI_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-namespace',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      const other = await codec(
        'decode',
        { payloads: [] },
        { ...stack.supervisor.headers, origin: 'http://evil.example' },
      );
      expect(other.status).toBe(200);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('names an undecodable payload by its index', async () => {
      const tampered = { ...startInput() };
      const data = Buffer.from(tampered.data, 'base64');
      data[data.length - 1] = (data[data.length - 1] as number) ^ 0xff;
      const res = await codec(
        'decode',
        { payloads: [{ ...tampered, data: data.toString('base64') }] },
        stack.supervisor.headers,
      );
      expect(res.status).toBe(422);
      expect(((await res.json()) as Json).error).toMatchObject({
        code: 'PAYLOAD_NOT_DECODABLE',
        details: { index: 0 },
      });
    });
  });

  describe('metrics', () => {
    async function scrape(port: number): Promise<Sample[]> {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/plain/);
      return parsePrometheus(await res.text());
    }
    const has = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
      samples.some(
        (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v) && s.value > 0,
      );

    it('expose the flow on both apps with bounded labels only', async () => {
      const api = await scrape(apiMetricsPort);
      const worker = await eventually(async () => {
        const samples = await scrape(workerMetricsPort);
        expect(samples.some((s) => s.name.startsWith('temporal_'))).toBe(true);
        return samples;
      }, 20_000);
      expect(
        has(api, 'seamline_http_request_duration_seconds_count', {
          route: '/api/v1/tickets',
          status: '201',
          method: 'POST',
        }),
      ).toBe(true);
      expect(
        has(api, 'seamline_http_request_duration_seconds_count', { route: '/api/v1/tickets/:ticketId', status: '200' }),
      ).toBe(true);
      expect(has(api, 'seamline_tickets_ingested_total', { channel: 'api', outcome: 'created' })).toBe(true);
      expect(has(api, 'seamline_tickets_ingested_total', { channel: 'api', outcome: 'refused' })).toBe(true);
      expect(
        has(api, 'seamline_agent_decision_duration_seconds_count', { action: 'approve', outcome: 'accepted' }),
      ).toBe(true);
      expect(has(api, 'seamline_agent_decision_wait_seconds_count', { action: 'approve' })).toBe(true);
      expect(worker.some((s) => s.name === 'seamline_tickets_routed_total' && s.labels.route && s.labels.queue)).toBe(
        true,
      );
      expect(has(worker, 'seamline_delivery_failures_total', { kind: 'reply', permanent: 'false' })).toBe(true);
      expect(worker.some((s) => s.name === 'seamline_outbox_backlog' && s.labels.kind === 'reply')).toBe(true);
      expect(worker.some((s) => s.name === 'seamline_inbound_quarantine_open' && s.value >= 1)).toBe(true);
      expect(worker.some((s) => s.name.startsWith('temporal_') && s.labels.task_queue === stack.apps.taskQueue)).toBe(
        true,
      );

      const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
      for (const sample of [...api, ...worker]) {
        for (const [label, value] of Object.entries(sample.labels)) {
          if (label === 'task_queue') continue; // the test's own queue name, bounded by configuration
          expect({ metric: sample.name, label, value, uuid: uuid.test(value), at: value.includes('@') }).toEqual({
            metric: sample.name,
            label,
            value,
            uuid: false,
            at: false,
          });
          for (const c of canaries()) expect(value).not.toContain(c);
        }
      }
    });

    it('cover every metric the Grafana dashboard reads', async () => {
      const texts = await Promise.all(
        [apiMetricsPort, workerMetricsPort].map(async (port) =>
          (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
        ),
      );
      const names = new Set(
        texts.flatMap((text) => [...declaredSeries(text), ...parsePrometheus(text).map((s) => s.name)]),
      );
      const dashboard = JSON.parse(
        readFileSync(join(__dirname, '..', '..', 'deploy', 'grafana', 'seamline.json'), 'utf8'),
      );
      const exprs = (dashboard.panels as Json[]).flatMap((p) => (p.targets ?? []).map((t: Json) => t.expr as string));
      const missing = exprs.flatMap((e) => metricNamesIn(e)).filter((n) => !names.has(n));
      expect(missing).toEqual([]);
    });
  });

  describe('traces', () => {
    it('put one ticket in one trace: HTTP ingest, workflow start, the workflow, each activity, the SMTP send', async () => {
      const ingest = await eventually(() => {
        const spans = receiver.spans.filter((s) => s.name === 'POST /api/v1/tickets' && s.service === 'seamline-api');
        expect(spans.length).toBeGreaterThan(0);
        return spans;
      }, 20_000);
      const traces = new Set(ingest.map((s) => s.traceId));
      const ticketTrace = await eventually(() => {
        const trace = [...traces].find(
          (id) =>
            receiver.spans.some(
              (s) =>
                s.traceId === id &&
                s.name === 'RunActivity:sendReply' &&
                s.attributes &&
                s.service === 'seamline-worker',
            ) && receiver.spans.some((s) => s.traceId === id && s.name === 'smtp send'),
        );
        expect(trace).toBeDefined();
        return trace as string;
      }, 30_000);
      const names = [...new Set(receiver.spans.filter((s) => s.traceId === ticketTrace).map((s) => s.name))];
      expect(names).toEqual(
        expect.arrayContaining([
          'POST /api/v1/tickets',
          'StartWorkflow:ticketWorkflow',
          'RunWorkflow:ticketWorkflow',
          'RunActivity:classify',
          'RunActivity:fetchOrder',
          'RunActivity:draftReply',
          'RunActivity:routeTicket',
          'RunActivity:sendReply',
          'smtp send',
        ]),
      );
      const spans = receiver.spans.filter((s) => s.traceId === ticketTrace);
      const ids = new Set(spans.map((s) => s.spanId));
      // connected: every span but the ingest root has its parent in the same trace
      expect(
        spans.filter((s) => s.name !== 'POST /api/v1/tickets' && !ids.has(s.parentSpanId)).map((s) => s.name),
      ).toEqual([]);
      for (const body of receiver.bodies) for (const c of canaries()) expect(body).not.toContain(c);
    });
  });

  describe('logs', () => {
    it('are JSON lines with request, ticket and workflow ids, and carry no canary', async () => {
      const lines = [stack.apps.api.fullOutput(), stack.apps.worker.fullOutput()].flatMap((out) =>
        out.split('\n').filter(Boolean),
      );
      expect(lines.length).toBeGreaterThan(5);
      const parsed = lines.flatMap((line) => {
        try {
          return [JSON.parse(line) as Json];
        } catch {
          return [];
        }
      });
      expect(parsed.length / lines.length).toBeGreaterThan(0.95);
      const ingestLine = parsed.find((e) => e.req?.path === '/api/v1/tickets' && e.ticketId === ticketId);
      expect(ingestLine).toMatchObject({ req: { id: expect.any(String) }, workflowId: `ticket-${ticketId}` });
      expect(parsed.some((e) => e.app === 'worker' && e.workflowId === `ticket-${bouncedTicketId}`)).toBe(true);
      for (const line of lines) {
        for (const c of canaries()) {
          if (line.includes(c)) throw new Error(`a canary (${c}) in a log line: ${line.slice(0, 500)}`);
        }
      }
    });
  });
});
