import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SmtpSink } from '../../libs/integrations';
import { createIngestKey, createTestUser, startApps, type RunningApps, type TestUser } from '../support/apps';
import { insertCustomerWithOrder } from '../support/db';
import { assertChromium, launchChromium, SCREENSHOTS, signIn as signInAs, type TestBrowser } from '../support/browser';
import { eventually } from '../support/eventually';
import type { Json } from '../support/http';
import { api, isolatedDatabase, placeInQueue, ticketAwaitingAgent, type IsolatedDatabase } from '../support/inbox';
import { quickSlaConfig } from '../support/sla';

/**
 * Earned autonomy in the web inbox, in a real Chromium against the real stack (earned routing, a fresh database):
 * an agent marks a ticket's intent wrong in the briefing and the routed draft's outcome records it; an admin sees
 * each intent's mode and evidence at #/routing, keeps order status with people and sees the change audited; an
 * agent has no routing link, and the API refuses them the policy.
 */
describe('web inbox in Chromium: earned autonomy', () => {
  let apps: RunningApps;
  let db: IsolatedDatabase;
  let sink: SmtpSink;
  let page: Page;
  let browser: TestBrowser;
  let agent: TestUser;
  let supervisor: TestUser;
  let admin: TestUser;
  let origin: string;
  let ticket: Json;

  beforeAll(async () => {
    assertChromium();
    db = await isolatedDatabase('browser_autonomy');
    sink = new SmtpSink();
    const smtpPort = await sink.listen(0);
    apps = await startApps({
      DATABASE_URL: db.url,
      SMTP_PORT: String(smtpPort),
      ROUTING_AUTONOMY: 'earned',
      SLA_CONFIG: JSON.stringify(quickSlaConfig(4 * 3600)),
      ACK_DELAY_SECONDS: '0',
    });
    origin = apps.baseUrl.replace('/api/v1', '');
    const ingest = await createIngestKey(apps);
    agent = await createTestUser(apps, 'agent', ['standard'], 'Ava Agent');
    supervisor = await createTestUser(apps, 'supervisor', [], 'Sam Supervisor');
    admin = await createTestUser(apps, 'admin', [], 'Ada Admin');

    // "Where is my order?": order status, which starts in shadow on a fresh database, so a person reviews the draft.
    const email = `robin.${randomUUID()}@example.com`;
    const orderNumber = `SL-${Math.floor(Math.random() * 1e8)}`;
    await insertCustomerWithOrder(db.client, { email, orderNumber });
    const waiting = await ticketAwaitingAgent(apps, ingest, supervisor.headers, {
      body: {
        messageId: `<${randomUUID()}@mail.example.com>`,
        from: { email, name: 'Robin Example' },
        subject: 'Where is my order?',
        text: `Hi, where is my order ${orderNumber}? Thanks!`,
        orderNumber,
      },
    });
    expect(waiting.briefing.primaryIntent).toBe('order_status');
    ticket = await placeInQueue(apps, supervisor.headers, waiting, 'standard');

    browser = await launchChromium();
    ({ page } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await apps?.stop();
    await sink?.close();
    await db?.drop();
  });

  const signIn = (user: TestUser) => signInAs(page, origin, user);

  const outcome = async (ticketId: string) =>
    (
      await db.client.query(
        `SELECT intent, corrected_intent, corrected_by FROM routing_outcomes WHERE ticket_id = $1 ORDER BY id DESC`,
        [ticketId],
      )
    ).rows;

  it("lets an agent mark the ticket's intent wrong: recorded on the routed draft, and shown after a reload", async () => {
    await signIn(agent);
    // Agents have no routing link, and the API refuses them the policy anyway.
    expect(await page.getByTestId('open-routing').count()).toBe(0);
    expect((await api(apps, '/admin/routing/autonomy', agent.headers)).status).toBe(403);

    await page.goto(`${origin}/#/tickets/${ticket.ticketId}`);
    const control = page.getByTestId('intent-correction');
    await control.waitFor();
    expect(await page.getByTestId('primary-intent').textContent()).toBe('order status');
    expect(await control.textContent()).toContain('Wrong intent?');
    expect(await page.getByTestId('intent-corrected').count()).toBe(0);
    expect(await page.getByTestId('intent-correct').isDisabled()).toBe(true);
    // Every intent but the current one is offered.
    const offered = await page
      .getByTestId('intent-select')
      .locator('option')
      .evaluateAll((options) => options.map((o) => o.getAttribute('value')));
    expect(offered).toContain('shipping_delay');
    expect(offered).not.toContain('order_status');
    expect(offered).toHaveLength(19); // the placeholder and the 18 other intents

    await page.getByTestId('intent-select').selectOption('shipping_delay');
    await page.getByTestId('intent-correct').click();
    const corrected = page.getByTestId('intent-corrected');
    await corrected.waitFor();
    expect(await corrected.textContent()).toBe('Corrected to delivery delay by you');

    const [row] = await outcome(ticket.ticketId);
    expect(row).toEqual({ intent: 'order_status', corrected_intent: 'shipping_delay', corrected_by: agent.id });
    // The ticket keeps its course: still waiting for the agent, with the correction in its audit trail.
    const after = (await (await api(apps, `/tickets/${ticket.ticketId}`, agent.headers)).json()) as Json;
    expect(after.status).toBe('awaiting_review');
    expect((after.audit as Json[]).filter((a) => a.action === 'correct_intent')).toEqual([
      expect.objectContaining({
        actor: agent.id,
        actorName: 'Ava Agent',
        after: expect.objectContaining({ intent: 'shipping_delay' }),
      }),
    ]);

    await page.reload();
    await page.getByTestId('intent-corrected').waitFor();
    expect(await page.getByTestId('intent-corrected').textContent()).toBe('Corrected to delivery delay by you');
    expect(await page.getByTestId('audit').textContent()).toContain('correct intent → delivery delay');
    await page.screenshot({ path: join(SCREENSHOTS, 'briefing-intent-corrected.png'), fullPage: true });
    // Agents reach the routing view by no path: the address shows the inbox instead.
    await page.goto(`${origin}/#/routing`);
    await page.getByTestId('ticket-list').waitFor();
    expect(await page.getByTestId('routing').count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('shows a supervisor the correction by name, and no routing link', async () => {
    await signIn(supervisor);
    expect(await page.getByTestId('open-quarantine').count()).toBe(1);
    expect(await page.getByTestId('open-routing').count()).toBe(0);
    await page.goto(`${origin}/#/tickets/${ticket.ticketId}`);
    await page.getByTestId('intent-corrected').waitFor();
    expect(await page.getByTestId('intent-corrected').textContent()).toBe('Corrected to delivery delay by Ava Agent');
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('lets an admin see each intent in shadow, keep order status with people, and see the change audited', async () => {
    await signIn(admin);
    await page.getByTestId('open-routing').click();
    await page.getByTestId('routing-table').waitFor();
    expect(page.url()).toBe(`${origin}/#/routing`);
    const row = (intent: string) => page.locator(`[data-testid="routing-table"] tr[data-intent="${intent}"]`);
    await row('order_status').waitFor();
    expect(await row('order_status').getAttribute('data-mode')).toBe('shadow');
    expect(await row('order_status').getByTestId('routing-mode').textContent()).toBe('shadow');
    expect(await row('order_status').getByTestId('routing-threshold').textContent()).toBe('—');

    // The table says what the API says, intent by intent.
    const view = (await (await api(apps, '/admin/routing/autonomy', admin.headers)).json()) as Json;
    const shown = await page
      .locator('[data-testid="routing-table"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-intent'), r.getAttribute('data-mode')]));
    expect(shown).toEqual((view.intents as Json[]).map((i) => [i.intent, i.mode]));
    const status = (view.intents as Json[]).find((i) => i.intent === 'order_status');
    expect(await row('order_status').getByTestId('routing-reason').textContent()).toBe(status.reason);
    expect(await row('order_status').getByTestId('routing-evidence').textContent()).toBe(
      `${status.outcomes} outcome${status.outcomes === 1 ? '' : 's'}, ${status.wrong} wrong`,
    );
    expect(await row('order_status').getByTestId('routing-bound').textContent()).toMatch(/ \/ 2\.0 %$/);
    expect(await page.getByTestId('routing-audit-empty').count()).toBe(1);

    const pin = row('order_status').getByTestId('routing-pin');
    expect(await pin.isChecked()).toBe(false);
    await pin.click();
    await eventually(async () => expect(await row('order_status').getAttribute('data-mode')).toBe('human'), 15_000);
    expect(await pin.isChecked()).toBe(true);
    expect(await page.getByTestId('routing-message').textContent()).toBe(
      'order status stays with people, whatever the evidence.',
    );
    const entry = page.locator('[data-testid="routing-audit"] li[data-action="set_intent_control"]');
    await entry.waitFor();
    expect(await entry.textContent()).toContain('You — order status: kept with people');

    const trail = (await (await api(apps, '/admin/routing/audit', admin.headers)).json()) as Json[];
    expect(trail[0]).toMatchObject({
      actor: admin.id,
      action: 'set_intent_control',
      before: { intent: 'order_status', pinnedHuman: false },
      after: { intent: 'order_status', pinnedHuman: true },
    });
    const pinned = (await (await api(apps, '/admin/routing/autonomy', admin.headers)).json()) as Json;
    expect((pinned.intents as Json[]).find((i) => i.intent === 'order_status')).toMatchObject({
      mode: 'human',
      pinnedHuman: true,
    });

    // Still so after a reload.
    await page.reload();
    await row('order_status').waitFor();
    expect(await row('order_status').getAttribute('data-mode')).toBe('human');
    expect(await page.locator('[data-testid="routing-audit"] li').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'routing.png'), fullPage: true });
  });
});
