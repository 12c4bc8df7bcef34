import { randomUUID } from 'node:crypto';
import { SmtpSink } from '../../libs/integrations';
import { authHeaders, startApps, type RunningApps } from '../support/apps';
import { insertCustomerWithOrder } from '../support/db';
import { eventually } from '../support/eventually';
import type { Json } from '../support/http';
import { api, isolatedDatabase, type IsolatedDatabase } from '../support/inbox';

/**
 * Earned autonomy on the real stack, on a database of its own: outcomes are recorded from what agents do, the
 * routing policy workflow (on the real Temporal dev server) promotes an intent once the evidence proves it safe,
 * the router then sends on its own, an admin's pin takes it back, and new wrong outcomes demote it.
 */
describe('earned autonomy', () => {
  let db: IsolatedDatabase;
  let sink: SmtpSink;
  let apps: RunningApps;
  let ingest: Record<string, string>;
  let supervisor: Record<string, string>;
  let admin: Record<string, string>;
  let agent: Record<string, string>;

  beforeAll(async () => {
    db = await isolatedDatabase('autonomy');
    sink = new SmtpSink();
    const smtpPort = await sink.listen(0);
    apps = await startApps({
      DATABASE_URL: db.url,
      SMTP_PORT: String(smtpPort),
      ROUTING_AUTONOMY: 'earned',
      AUTONOMY_MIN_OUTCOMES: '20',
      AUTONOMY_TARGET_RISK: '0.2',
      AUTO_SEND_UNDO_SECONDS: '1',
      ACK_DELAY_SECONDS: '0',
    });
    [ingest, supervisor, admin, agent] = await Promise.all([
      authHeaders(apps, 'ingest'),
      authHeaders(apps, 'supervisor'),
      authHeaders(apps, 'admin'),
      authHeaders(apps, 'agent', ['standard']),
    ]);
  });

  afterAll(async () => {
    await apps?.stop();
    await sink?.close();
    await db?.drop();
  });

  /** A customer with a shipped order asking where it is: the plainest allow-listed question there is. */
  async function statusQuestion(): Promise<{ ticketId: string; email: string }> {
    const email = `robin.${randomUUID()}@example.com`;
    const orderNumber = `SL-${Math.floor(Math.random() * 1e8)}`;
    await insertCustomerWithOrder(db.client, { email, orderNumber });
    const res = await api(apps, '/tickets', ingest, {
      body: {
        messageId: `<${randomUUID()}@mail.example.com>`,
        from: { email, name: 'Robin' },
        subject: 'Where is my order?',
        text: `Hi, where is my order ${orderNumber}? Thanks!`,
        orderNumber,
      },
    });
    expect(res.status).toBe(201);
    const { ticketId } = (await res.json()) as { ticketId: string };
    return { ticketId, email };
  }

  const briefing = async (id: string) => (await (await api(apps, `/tickets/${id}`, supervisor)).json()) as Json;
  const routed = (id: string, status: string[]) =>
    eventually(async () => {
      const t = await briefing(id);
      expect(status).toContain(t.status);
      return t;
    }, 45_000);
  const outcomes = async (id: string) =>
    (
      await db.client.query(
        `SELECT route, reasons, intent, mode, candidate, final_action, edit_distance, corrected_intent, policy_version,
                decided_at IS NOT NULL AS decided
           FROM routing_outcomes WHERE ticket_id = $1 ORDER BY id`,
        [id],
      )
    ).rows;
  const autonomy = async () => (await (await api(apps, '/admin/routing/autonomy', admin)).json()) as Json;
  const intent = (view: Json, name: string) => (view.intents as Json[]).find((i) => i.intent === name)!;

  /** Decided shadow outcomes of order-status drafts, as agents' reviews would leave them. */
  async function seedOutcomes(ticketId: string, count: number, wrong: boolean, confidence: number) {
    await db.client.query(
      `INSERT INTO routing_outcomes (key, ticket_id, draft_version, policy_version, route, reasons, intent, confidence,
                                     mode, candidate, final_action, decided_by, decided_at, edit_distance)
       SELECT 'seed:' || gen_random_uuid(), $1, 1, 'seed', 'review', ARRAY['shadow_mode'], 'order_status', $4,
              'shadow', true, $3, 'seed', now(), 0
         FROM generate_series(1, $2)`,
      [ticketId, count, wrong ? 'rejected' : 'sent_as_is', confidence],
    );
  }

  it('starts in shadow: drafts an agent reviews, each review recorded as an outcome with an audit row', async () => {
    const view = await autonomy();
    expect(view.autonomy).toBe('earned');
    expect(intent(view, 'order_status').mode).toBe('shadow');
    expect(intent(view, 'refund_request')).toBeUndefined();

    const first = await statusQuestion();
    const t = await routed(first.ticketId, ['awaiting_review']);
    expect((t.decision.reasons as Json[]).map((r) => r.code)).toContain('shadow_mode');
    const approve = await api(apps, `/tickets/${first.ticketId}/actions/approve`, supervisor, {
      body: { draftVersion: t.draftVersion },
    });
    expect(approve.status).toBe(200);
    await eventually(async () => {
      const [o] = await outcomes(first.ticketId);
      expect(o).toMatchObject({
        route: 'review',
        intent: 'order_status',
        mode: 'shadow',
        candidate: true,
        final_action: 'sent_as_is',
        edit_distance: 0,
        decided: true,
      });
    }, 30_000);
    const audit = await db.client.query(`SELECT action FROM ticket_audit WHERE ticket_id = $1 ORDER BY id`, [
      first.ticketId,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['routed', 'approve']));

    const second = await statusQuestion();
    const t2 = await routed(second.ticketId, ['awaiting_review']);
    const edit = await api(apps, `/tickets/${second.ticketId}/actions/edit`, supervisor, {
      body: {
        draftVersion: t2.draftVersion,
        text: 'Hello Robin, we are sorry: your parcel was lost; a new one is on its way.',
      },
    });
    expect(edit.status).toBe(200);
    await eventually(async () => {
      const [o] = await outcomes(second.ticketId);
      expect(o.final_action).toBe('edited');
      expect(o.edit_distance).toBeGreaterThan(0.2);
    }, 30_000);
  });

  it('records an agent\'s "wrong intent" on the routed draft, audited, and refuses a stranger\'s ticket like a missing one', async () => {
    const { ticketId } = await statusQuestion();
    await routed(ticketId, ['awaiting_review']);
    const res = await api(apps, `/tickets/${ticketId}/intent`, supervisor, { body: { intent: 'shipping_delay' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ intent: 'order_status', correctedIntent: 'shipping_delay', draftVersion: 1 });
    const again = await api(apps, `/tickets/${ticketId}/intent`, supervisor, { body: { intent: 'shipping_delay' } });
    expect(again.status).toBe(200);
    const [o] = await outcomes(ticketId);
    expect(o.corrected_intent).toBe('shipping_delay');
    const audit = await db.client.query(
      `SELECT count(*)::int AS n FROM ticket_audit WHERE ticket_id = $1 AND action = 'correct_intent'`,
      [ticketId],
    );
    expect(audit.rows[0].n).toBe(1);

    const bad = await api(apps, `/tickets/${ticketId}/intent`, supervisor, { body: { intent: 'world_domination' } });
    expect(bad.status).toBe(400);
    const otherQueue = await authHeaders(apps, 'agent', ['risk']);
    const hidden = await api(apps, `/tickets/${ticketId}/intent`, otherQueue, { body: { intent: 'account' } });
    expect(hidden.status).toBe(404);
    expect(((await hidden.json()) as Json).error.code).toBe('TICKET_NOT_FOUND');
  });

  it('promotes the intent once the bound holds, sends on its own, and an admin pin takes it back', async () => {
    const { ticketId: anchor } = await statusQuestion();
    await routed(anchor, ['awaiting_review']);
    await seedOutcomes(anchor, 40, false, 0.9);
    const recompute = await api(apps, '/admin/routing/recompute', admin, { method: 'POST' });
    expect(recompute.status).toBe(200);
    const result = (await recompute.json()) as Json;
    expect(result.changed).toBe(true);
    const view = await autonomy();
    const status = intent(view, 'order_status');
    expect(status.mode).toBe('auto');
    expect(status.threshold).toBeGreaterThanOrEqual(0.3);
    expect(status.upperBound).toBeLessThanOrEqual(0.2);
    expect(intent(view, 'account').mode).toBe('shadow');
    expect(view.name).toBe(result.name);
    const inForce = (await (await api(apps, '/admin/routing', admin)).json()) as Json;
    expect(inForce.policyVersion).toBe(view.name);
    expect(inForce.thresholds.order_status.auto).toBe(status.threshold);

    await new Promise((r) => setTimeout(r, 5_500)); // the router's copy of the policy is at most 5 s old
    const auto = await statusQuestion();
    const sent = await routed(auto.ticketId, ['resolved', 'closed']);
    expect(sent.route).toBe('auto');
    await eventually(() => expect(sink.received.filter((m) => m.to.includes(auto.email))).toHaveLength(1), 30_000);
    await eventually(async () => {
      const [o] = await outcomes(auto.ticketId);
      expect(o).toMatchObject({ route: 'auto', mode: 'auto', final_action: 'auto_sent', policy_version: view.name });
    }, 30_000);
    // the customer writes back unhappy: the automatic reply counts as wrong
    const followUp = await api(apps, '/tickets', ingest, {
      body: {
        messageId: `<${randomUUID()}@mail.example.com>`,
        from: { email: auto.email, name: 'Robin' },
        subject: 'Re: Where is my order?',
        text: 'This is useless and frustrating. Your answer did not help at all, I am really angry.',
        ticketId: auto.ticketId,
      },
    });
    expect(followUp.status).toBe(201);
    await eventually(async () => {
      const rows = await db.client.query(
        `SELECT final_action, unhappy FROM routing_outcomes WHERE ticket_id = $1 ORDER BY id`,
        [auto.ticketId],
      );
      expect(rows.rows[0]).toEqual({ final_action: 'auto_sent', unhappy: true });
      expect(rows.rows).toHaveLength(2);
    }, 30_000);
    const autoAudit = await db.client.query(
      `SELECT actor FROM ticket_audit WHERE ticket_id = $1 AND action = 'auto_sent'`,
      [auto.ticketId],
    );
    expect(autoAudit.rows).toEqual([{ actor: 'system' }]);

    const pin = await api(apps, '/admin/routing/intents/order_status', admin, {
      method: 'PATCH',
      body: { pinnedHuman: true },
    });
    expect(pin.status).toBe(200);
    expect(intent((await pin.json()) as Json, 'order_status')).toMatchObject({ mode: 'human', pinnedHuman: true });
    const trail = (await (await api(apps, '/admin/routing/audit', admin)).json()) as Json[];
    expect(trail[0]).toMatchObject({
      action: 'set_intent_control',
      before: { intent: 'order_status', pinnedHuman: false },
      after: { intent: 'order_status', pinnedHuman: true },
    });
    await new Promise((r) => setTimeout(r, 5_500));
    const held = await statusQuestion();
    const t = await routed(held.ticketId, ['awaiting_review']);
    expect((t.decision.reasons as Json[]).map((r) => r.code)).toContain('intent_held_by_people');

    const forbidden = await api(apps, '/admin/routing/intents/order_status', agent, {
      method: 'PATCH',
      body: { pinnedHuman: false },
    });
    expect(forbidden.status).toBe(403);
    const unknown = await api(apps, '/admin/routing/intents/refund_request', admin, {
      method: 'PATCH',
      body: { pinnedHuman: false },
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as Json).error.code).toBe('INTENT_NOT_FOUND');
  });

  it('demotes when new wrong outcomes break the bound, and simulates a proposal without switching anything', async () => {
    const unpin = await api(apps, '/admin/routing/intents/order_status', admin, {
      method: 'PATCH',
      body: { pinnedHuman: false },
    });
    expect(intent((await unpin.json()) as Json, 'order_status').mode).toBe('auto');
    const before = await autonomy();

    const sim = await api(apps, '/admin/routing/simulate', admin, { body: { pinnedHuman: ['order_status'] } });
    expect(sim.status).toBe(200);
    const figures = (await sim.json()) as Json;
    expect(figures.current.autoSent).toBeGreaterThan(0);
    expect(figures.proposed.autoSent).toBe(0);
    expect((figures.intents as Json[]).find((i) => i.intent === 'order_status').proposed.mode).toBe('human');
    expect((await autonomy()).version).toBe(before.version); // simulating changed nothing

    const { ticketId: anchor } = await statusQuestion();
    await seedOutcomes(anchor, 30, true, 0.99);
    const recompute = await api(apps, '/admin/routing/recompute', admin, { method: 'POST' });
    expect(((await recompute.json()) as Json).changed).toBe(true);
    const after = intent(await autonomy(), 'order_status');
    expect(after.mode).toBe('shadow');
    expect(after.reason).toMatch(/no confidence level/);
  });
});
