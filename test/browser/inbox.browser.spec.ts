import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext, Dialog, Page } from 'playwright-core';
import { SmtpSink } from '../../libs/integrations';
import { createIngestKey, createTestUser, startApps, type RunningApps, type TestUser } from '../support/apps';
import { assertChromium, launchChromium, SCREENSHOTS, type TestBrowser } from '../support/browser';
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
import { quickSlaConfig } from '../support/sla';

/**
 * The web inbox in a real browser (Debian's Chromium driven by playwright-core) against the real API, worker,
 * Temporal, PostgreSQL and an SMTP sink: an agent signs in, opens the most urgent ticket, edits the draft and
 * sends it; the ticket leaves the queue and the mail arrives. A hostile HTML email does nothing. Another queue's
 * ticket cannot be opened. Screenshots go to test-output/screenshots/.
 */
describe('web inbox in Chromium', () => {
  let apps: RunningApps;
  let db: IsolatedDatabase;
  let sink: SmtpSink;
  let tracker: Server;
  const trackerHits: string[] = [];
  let context: BrowserContext;
  let page: Page;
  let browser: TestBrowser;
  let agent: TestUser;
  let supervisor: TestUser;
  let origin: string;
  const dialogs: string[] = [];
  const requests: string[] = [];
  const tickets: Record<'first' | 'second' | 'hostile' | 'foreign', { ticket: Json; email: string }> = {} as never;

  beforeAll(async () => {
    assertChromium();
    // A "tracking" server: any request that reaches it means customer content phoned home.
    tracker = createServer((req, res) => {
      trackerHits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/gif' }).end();
    });
    await new Promise<void>((resolve) => tracker.listen(0, '127.0.0.1', resolve));
    const trackerUrl = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}`;

    db = await isolatedDatabase('browser');
    sink = new SmtpSink();
    const smtpPort = await sink.listen(0);
    // Calendar-time targets: the default policy's business hours would put the countdown days away at night or on a weekend.
    apps = await startApps({
      DATABASE_URL: db.url,
      SMTP_PORT: String(smtpPort),
      AUTO_SEND_ENABLED: 'false',
      SLA_CONFIG: JSON.stringify(quickSlaConfig(4 * 3600)),
    });
    origin = apps.baseUrl.replace('/api/v1', '');
    const ingest = await createIngestKey(apps);
    agent = await createTestUser(apps, 'agent', ['standard'], 'Ava Agent');
    supervisor = await createTestUser(apps, 'supervisor', [], 'Sam Supervisor');

    // Created in this order, with the same response target: the first is the most urgent.
    const make = async (queue: 'standard' | 'risk', options: Parameters<typeof customerMessage>[1] = {}) => {
      const message = await customerMessage(db.client, options);
      const ticket = await ticketAwaitingAgent(apps, ingest, supervisor.headers, message);
      return { ticket: await placeInQueue(apps, supervisor.headers, ticket, queue), email: message.email };
    };
    tickets.first = await make('standard');
    tickets.second = await make('standard');
    tickets.hostile = await make('standard', {
      subject: 'My T-shirts (see picture)',
      html:
        '<p>Hi, the <b>T-shirts</b> from my order are too small.</p>' +
        `<script>window.top.__pwned = 'script'; fetch('${trackerUrl}/script'); alert('script')</script>` +
        `<img src="x" onerror="window.top.__pwned = 'onerror'; fetch('${trackerUrl}/onerror'); alert('onerror')">` +
        `<img src="${trackerUrl}/pixel.gif" width="1" height="1" alt="">` +
        `<p style="background:url(${trackerUrl}/style.png)">Thanks!</p>` +
        `<a href="javascript:alert('link')" onmouseover="alert('hover')">click me</a>`,
    });
    tickets.foreign = await make('risk');

    browser = await launchChromium();
    ({ context, page } = browser);
    context.on('request', (request) => requests.push(request.url()));
    page.on('dialog', (dialog: Dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await apps?.stop();
    await sink?.close();
    await new Promise((resolve) => (tracker ? tracker.close(resolve) : resolve(undefined)));
    await db?.drop();
  });

  const rows = () => page.locator('[data-testid="ticket-list"] li');

  it('signs an agent in and lists their queue by SLA urgency, with countdowns and badges', async () => {
    await page.goto(`${origin}/`);
    await page.getByLabel('Email').fill(agent.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').textContent()).toBe('Email or password is incorrect.');

    await page.getByLabel('Password').fill(agent.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor();
    expect(await page.getByTestId('who').textContent()).toContain('Ava Agent');
    await eventually(async () => expect(await rows().count()).toBe(3), 15_000);

    const expected = ((await (await api(apps, '/inbox', agent.headers)).json()) as Json).items.map(
      (i: Json) => i.ticketId,
    );
    const shown = await rows().evaluateAll((items) => items.map((li) => li.getAttribute('data-ticket-id')));
    expect(shown).toEqual(expected);
    expect(expected[0]).toBe(tickets.first.ticket.ticketId);
    expect(shown).not.toContain(tickets.foreign.ticket.ticketId);
    await expect(rows().first().getByTestId('sla-countdown').textContent()).resolves.toMatch(/^due in \d+h \d\dm$/);
    expect(await rows().first().locator('.badge').allTextContents()).toEqual(expect.arrayContaining(['standard']));
    await page.locator('.live.on').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'inbox.png'), fullPage: true });
  });

  it('opens the most urgent ticket from the keyboard and shows its briefing', async () => {
    await page.keyboard.press('Enter');
    const briefing = page.getByTestId('briefing');
    await briefing.waitFor();
    expect(await briefing.getAttribute('data-ticket-id')).toBe(tickets.first.ticket.ticketId);
    await page.getByTestId('summary').waitFor();
    await page.getByTestId('order-card').waitFor();
    expect(await page.getByTestId('confidence-words').textContent()).toMatch(/confidence \(\d+ %\)$/);
    expect(await page.getByTestId('reasons').textContent()).toContain('Why it is here');
    expect(await page.getByTestId('draft-editor').inputValue()).toBe(tickets.first.ticket.draft.body);
    await page.screenshot({ path: join(SCREENSHOTS, 'briefing.png'), fullPage: true });
  });

  it('edits the draft and sends it: the ticket leaves the queue and the email arrives', async () => {
    const edited =
      'Hello Casey,\n\nI have emailed you a prepaid return label — just drop the parcel at any UPS point.\n\nAva';
    await page.keyboard.press('e');
    await page.getByTestId('draft-editor').fill(edited);
    expect(await page.getByTestId('approve').isDisabled()).toBe(true); // approving would send the old draft
    await page.keyboard.press('Control+Enter');

    await page.getByTestId('toast').waitFor();
    expect(await page.getByTestId('toast').textContent()).toBe(
      `Your edited reply is on its way to ${tickets.first.email}.`,
    );
    await eventually(
      async () => expect(await page.locator(`[data-ticket-id="${tickets.first.ticket.ticketId}"]`).count()).toBe(0),
      15_000,
    );
    expect(await rows().count()).toBe(2);

    const mail = await eventually(() => {
      const found = sink.received.filter((m) => m.to.includes(tickets.first.email));
      expect(found).toHaveLength(1);
      return found[0];
    }, 30_000);
    expect(mail?.raw.replace(/=\r?\n/g, '')).toContain('prepaid return label');
    const audit = await db.client.query(
      `SELECT actor, action FROM ticket_audit WHERE ticket_id = $1 AND action = 'edit'`,
      [tickets.first.ticket.ticketId],
    );
    expect(audit.rows).toEqual([{ actor: agent.id, action: 'edit' }]);
  });

  it('shows a hostile HTML email sanitized in a sandboxed frame, where it can do nothing', async () => {
    await page.locator(`[data-ticket-id="${tickets.hostile.ticket.ticketId}"]`).click();
    const frameElement = page.getByTestId('message-frame');
    await frameElement.waitFor();
    expect(await frameElement.getAttribute('sandbox')).toBe('');
    const frame = await (await frameElement.elementHandle())?.contentFrame();
    if (!frame) throw new Error('the message frame has no document');
    await frame.getByText('T-shirts').waitFor();
    expect(await frame.locator('script, img, iframe, object, [onerror], [onmouseover], [style]').count()).toBe(0);
    expect(await frame.locator('a').getAttribute('href')).toBeNull();
    await frame.getByText('click me').hover();
    await page.waitForTimeout(1500); // give anything that slipped through the time to run and phone home

    expect(dialogs).toEqual([]);
    expect(trackerHits).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    const outside = requests.filter(
      (url) => !url.startsWith(origin) && !url.startsWith('data:') && url !== 'about:srcdoc',
    );
    expect(outside).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'briefing-hostile-html.png'), fullPage: true });
  });

  it('cannot open a ticket of another queue', async () => {
    const responses: number[] = [];
    page.on('response', (res) => {
      if (res.url().endsWith(`/api/v1/tickets/${tickets.foreign.ticket.ticketId}`)) responses.push(res.status());
    });
    await page.goto(`${origin}/#/tickets/${tickets.foreign.ticket.ticketId}`);
    await page.getByTestId('briefing-error').waitFor();
    expect(await page.getByTestId('briefing-error').textContent()).toBe(
      'Ticket not found — it does not exist or is not in your queues.',
    );
    expect(responses).toEqual([404]);
    expect(await page.getByTestId('draft-editor').count()).toBe(0);
    expect(await page.content()).not.toContain(tickets.foreign.email);
    // Nothing reached the foreign ticket.
    const audit = await db.client.query(
      `SELECT count(*)::int AS n FROM ticket_audit WHERE ticket_id = $1 AND actor = $2`,
      [tickets.foreign.ticket.ticketId, agent.id],
    );
    expect(audit.rows[0].n).toBe(0);
  });
});
