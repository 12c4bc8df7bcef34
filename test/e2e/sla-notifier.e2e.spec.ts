import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { SlaConfig } from '../../libs/domain';
import { startE2eStack, type E2eStack } from '../support/e2e';
import { eventually } from '../support/eventually';
import { json } from '../support/http';

type Behaviour = 'ok' | 'fail' | 'hang' | 'refuse';

/** A chat webhook on loopback whose behaviour the test sets per ticket; it records every request it receives. */
class WebhookReceiver {
  private server!: Server;
  readonly requests: { ticketId: string; key: string; answered: number | null }[] = [];
  /** How the receiver answers a ticket's notifications: a list consumed per request, the last one repeating. */
  readonly plan = new Map<string, Behaviour[]>();
  private readonly hanging: ServerResponse[] = [];

  async listen(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const ticketId = String(JSON.parse(body).event.ticketId);
    const entry = { ticketId, key: String(req.headers['idempotency-key']), answered: null as number | null };
    this.requests.push(entry);
    const plan = this.plan.get(ticketId) ?? ['ok'];
    const behaviour = (plan.length > 1 ? plan.shift() : plan[0]) as Behaviour;
    if (behaviour === 'hang') return void this.hanging.push(res);
    entry.answered = { ok: 200, fail: 503, refuse: 404 }[behaviour];
    res.writeHead(entry.answered).end();
  }

  accepted(ticketId: string): string[] {
    return this.requests.filter((r) => r.ticketId === ticketId && r.answered === 200).map((r) => r.key);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Two notifying levels within seconds: warn at half the target, breach at the deadline. */
const SLA: SlaConfig = {
  version: 'notifier-test',
  calendars: [],
  policies: [
    {
      id: 'test',
      version: 1,
      when: {},
      time: 'calendar',
      targets: { first_reply: { urgent: 2, high: 2, normal: 2, low: 2 } },
      ladders: {
        first_reply: [
          {
            id: 'warn',
            at: { percentOfTarget: 50 },
            actions: [{ type: 'notify', channel: 'webhook', target: 'chat' }],
          },
          {
            id: 'breach',
            at: { atDeadline: true },
            actions: [{ type: 'raise_priority' }, { type: 'notify', channel: 'webhook', target: 'chat' }],
          },
        ],
      },
    },
  ],
};

/** The notifier on the real stack: the built worker, PostgreSQL, Temporal and a real HTTP receiver. */
describe('SLA notifications through the outbox', () => {
  const receiver = new WebhookReceiver();
  let stack: E2eStack;

  beforeAll(async () => {
    const url = await receiver.listen();
    stack = await startE2eStack({
      SLA_CONFIG: JSON.stringify(SLA),
      SLA_WEBHOOKS: JSON.stringify({ chat: url }),
      SLA_NOTIFY_RETRY_BASE_MS: '200',
      SLA_NOTIFY_TIMEOUT_MS: '1000',
      SLA_NOTIFY_MAX_ATTEMPTS: '20',
      AUTO_SEND_ENABLED: 'false',
      REOPEN_WINDOW_SECONDS: '3600',
    });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver.close();
  });

  async function ticketWith(plan: Behaviour[], email = `n.${randomUUID()}@example.com`): Promise<string> {
    const res = await stack.post('/tickets', {
      messageId: `<${randomUUID()}@mail.example.com>`,
      from: { email },
      subject: 'Question',
      text: 'Hello, can you tell me more about the materials of your winter jackets?',
    });
    const { ticketId } = await json(res);
    receiver.plan.set(ticketId, plan);
    return ticketId;
  }

  const rows = async (ticketId: string) =>
    (
      await stack.db.query(
        `SELECT payload->>'levelId' AS level, status, attempts FROM sla_notifications WHERE ticket_id = $1 ORDER BY key`,
        [ticketId],
      )
    ).rows;

  it('delivers each level once after the receiver recovers from failures', async () => {
    const ticketId = await ticketWith(['fail', 'fail', 'ok']);
    await eventually(async () => expect((await rows(ticketId)).map((r) => r.status)).toEqual(['sent', 'sent']), 30_000);
    const accepted = receiver.accepted(ticketId);
    expect(accepted).toHaveLength(2);
    expect(new Set(accepted).size).toBe(2); // one per level, never the same key accepted twice
    expect(receiver.requests.filter((r) => r.ticketId === ticketId).length).toBe(4); // two failures, then two
  });

  it('never lets a hanging receiver delay the ladder or an agent decision', async () => {
    const email = `hang.${randomUUID()}@example.com`;
    const ticketId = await ticketWith(['hang'], email);
    // Both levels fire on time although no notification was answered.
    await eventually(async () => {
      const levels = await stack.db.query(
        `SELECT after->>'level' AS level FROM ticket_audit WHERE ticket_id = $1 AND action = 'sla_escalation'`,
        [ticketId],
      );
      expect(levels.rows.map((r) => r.level).sort()).toEqual(['breach', 'warn']);
    }, 20_000);
    expect(receiver.accepted(ticketId)).toHaveLength(0);
    const briefing = await stack.ticket(ticketId);
    const approve = await stack.post(`/tickets/${ticketId}/actions/approve`, { draftVersion: briefing.draftVersion });
    expect(approve.status).toBe(200);
    await eventually(() => expect(stack.sink.received.filter((m) => m.to.includes(email))).toHaveLength(1), 20_000);
    await eventually(async () => expect((await stack.ticket(ticketId)).status).toMatch(/resolved|closed/), 20_000);
    expect(receiver.accepted(ticketId)).toHaveLength(0);
    // The hanging requests time out and are retried; the receiver comes back and gets each level once.
    receiver.plan.set(ticketId, ['ok']);
    await eventually(async () => expect((await rows(ticketId)).map((r) => r.status)).toEqual(['sent', 'sent']), 30_000);
    expect(new Set(receiver.accepted(ticketId)).size).toBe(receiver.accepted(ticketId).length);
  });

  it('gives up at once on a refusal and records it on the ticket', async () => {
    const ticketId = await ticketWith(['refuse']);
    await eventually(
      async () => expect((await rows(ticketId)).map((r) => r.status)).toEqual(['failed', 'failed']),
      30_000,
    );
    expect((await rows(ticketId)).map((r) => r.attempts)).toEqual([1, 1]);
    const failures = await stack.db.query(
      `SELECT before->>'level' AS level, after->>'error' AS error FROM ticket_audit
        WHERE ticket_id = $1 AND action = 'sla_action_failed' ORDER BY before->>'level'`,
      [ticketId],
    );
    expect(failures.rows).toEqual([
      { level: 'breach', error: 'webhook "chat" answered 404' },
      { level: 'warn', error: 'webhook "chat" answered 404' },
    ]);
  });
});
