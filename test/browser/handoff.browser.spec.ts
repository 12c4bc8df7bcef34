import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { BrowserContext, Page } from 'playwright-core';
import { SmtpSink } from '../../libs/integrations';
import { createIngestKey, createTestUser, startApps, type RunningApps, type TestUser } from '../support/apps';
import { insertCustomerWithOrder } from '../support/db';
import { assertChromium, launchChromium, SCREENSHOTS, signIn as signInAs, type TestBrowser } from '../support/browser';
import { eventually } from '../support/eventually';
import type { Json } from '../support/http';
import { api, customerMessage, isolatedDatabase, placeInQueue, type IsolatedDatabase } from '../support/inbox';
import { quickSlaConfig } from '../support/sla';

/** A 2×2 PNG (red, green, blue, white): small, and real enough for the browser to decode. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAAMIM/4EAAB/uBfsL2WiLAAAAAElFTkSuQmCC',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/**
 * The handoff in the web inbox, in a real Chromium against the real stack: the agent sees what the customer will
 * hear (the acknowledgement preview), the customer's photo as a thumbnail and a PDF as a download, both fetched
 * with the agent's token; a supervisor releases a quarantined message and discards another with a reason.
 */
describe('web inbox in Chromium: the handoff', () => {
  let apps: RunningApps;
  let db: IsolatedDatabase;
  let sink: SmtpSink;
  let context: BrowserContext;
  let page: Page;
  let browser: TestBrowser;
  let agent: TestUser;
  let supervisor: TestUser;
  let ingest: Record<string, string>;
  let origin: string;
  let ticket: Json;
  let heldId: string;
  let unsafeId: string;
  let heldSender: string;
  const attachmentRequests: { url: string; authorization: string | undefined }[] = [];

  const postMime = async (raw: Buffer | string) => {
    const res = await fetch(`${apps.baseUrl}/inbound/mime`, {
      method: 'POST',
      headers: { ...ingest, 'content-type': 'message/rfc822' },
      body: raw,
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  beforeAll(async () => {
    assertChromium();
    db = await isolatedDatabase('browser_handoff');
    sink = new SmtpSink();
    const smtpPort = await sink.listen(0);
    apps = await startApps({
      DATABASE_URL: db.url,
      SMTP_PORT: String(smtpPort),
      AUTO_SEND_ENABLED: 'false',
      SLA_CONFIG: JSON.stringify(quickSlaConfig(4 * 3600)),
      // Long enough that the acknowledgement stays a preview while the test looks at it.
      ACK_DELAY_SECONDS: '3600',
      // A closed test set-up: known customers' mail is trusted without DMARC (no DNS here).
      INBOUND_DMARC_REQUIRED: 'false',
    });
    origin = apps.baseUrl.replace('/api/v1', '');
    ingest = await createIngestKey(apps);
    agent = await createTestUser(apps, 'agent', ['standard'], 'Ava Agent');
    supervisor = await createTestUser(apps, 'supervisor', [], 'Sam Supervisor');

    // A customer's e-mail with a photo, a PDF and an HTML file, waiting for an agent in the standard queue. The
    // order ships abroad, and customs holds the parcel for duties.
    const customer = await customerMessage(db.client, { withOrder: false });
    await insertCustomerWithOrder(db.client, {
      email: customer.email,
      orderNumber: customer.orderNumber,
      country: 'DE',
      shipments: [
        {
          carrier: 'DHL',
          trackingNumber: 'JD014600006281230101',
          status: 'in_transit',
          items: ['TEE-001'],
          estimatedDelivery: null,
          customs: { status: 'duties_unpaid', detail: 'Import VAT of 11.38 EUR due', since: null },
        },
      ],
    });
    const withFiles = await postMime(
      await new MailComposer({
        from: `Casey Example <${customer.email}>`,
        to: 'support@seamline.local',
        subject: `Broken mug in order ${customer.orderNumber}`,
        messageId: `<${randomUUID()}@mail.example.com>`,
        text: `Hi, the mug from order ${customer.orderNumber} arrived broken, photo and receipt attached. I would like a replacement.`,
        attachments: [
          { filename: 'broken-mug.png', content: PNG, contentType: 'image/png' },
          { filename: 'receipt.pdf', content: PDF, contentType: 'application/pdf' },
          { filename: 'notes.html', content: '<script>alert(1)</script>', contentType: 'text/html' },
        ],
      })
        .compile()
        .build(),
    );
    expect(withFiles.status).toBe(201);
    const waiting = await eventually(async () => {
      const t = (await (await api(apps, `/tickets/${withFiles.body.ticketId}`, supervisor.headers)).json()) as Json;
      expect(['awaiting_review', 'escalated']).toContain(t.status);
      expect(t.sla.deadline).not.toBeNull();
      return t;
    }, 45_000);
    ticket = await placeInQueue(apps, supervisor.headers, waiting, 'standard');

    // Quarantine: a known customer's mail that says it is automatic (releasable), and one with no sender at all.
    const known = await customerMessage(db.client);
    heldSender = known.email;
    const held = await postMime(
      await new MailComposer({
        from: known.email,
        to: 'support@seamline.local',
        subject: 'Not an out-of-office: where is my order?',
        messageId: `<${randomUUID()}@mail.example.com>`,
        headers: { 'Auto-Submitted': 'auto-generated' },
        text: `My helpdesk tool marks every mail as automatic. Where is my order ${known.orderNumber}?`,
      })
        .compile()
        .build(),
    );
    expect(held).toMatchObject({ status: 202, body: { status: 'quarantined', reason: 'auto_reply' } });
    heldId = held.body.quarantineId;
    const unsafe = await postMime('Subject: no sender at all\r\n\r\nhello\r\n');
    expect(unsafe.status).toBe(202);
    unsafeId = unsafe.body.quarantineId;

    browser = await launchChromium({ acceptDownloads: true });
    ({ context, page } = browser);
    context.on('request', (request) => {
      if (request.url().includes('/attachments/')) {
        attachmentRequests.push({ url: request.url(), authorization: request.headers()['authorization'] });
      }
    });
  });

  afterAll(async () => {
    await browser?.close();
    await apps?.stop();
    await sink?.close();
    await db?.drop();
  });

  const signIn = (user: TestUser) => signInAs(page, origin, user);

  it("shows the agent what the customer will hear: the acknowledgement's preview, word for word", async () => {
    await signIn(agent);
    expect(await page.getByTestId('open-quarantine').count()).toBe(0); // agents have no quarantine
    await page.goto(`${origin}/#/tickets/${ticket.ticketId}`);
    const card = page.getByTestId('acknowledgement');
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('pending');
    expect(ticket.acknowledgement).toMatchObject({ status: 'pending' });
    const shown = await page.getByTestId('acknowledgement-text').textContent();
    expect(shown?.trim()).toBe(String(ticket.acknowledgement.text).trim());
    expect(shown).toContain(`SL-${String(ticket.ticketId).replace(/-/g, '').slice(0, 8)}`);
    expect(await card.textContent()).toContain('if nobody replies first');
    // Never the draft or why the ticket is with a person.
    expect(shown).not.toContain(String(ticket.draft.body).slice(0, 40));
    for (const reason of ticket.decision.reasons) expect(shown).not.toContain(reason.code);
    expect(shown?.toLowerCase()).not.toContain('customs');

    // The agent, though, sees the customs facts: on the shipment, and as the reason the ticket is with people.
    expect(await page.getByTestId('shipment-customs').textContent()).toBe(
      ' · customs: duties to pay (“Import VAT of 11.38 EUR due”)',
    );
    expect(await page.getByTestId('reasons').textContent()).toMatch(
      /customs issue — the order ships to DE and DHL JD014600006281230101 waits at customs for import duties to be paid/,
    );
  });

  it('shows the photo as a thumbnail and the other files as downloads, fetched with the agent token', async () => {
    const thumbnail = page.getByTestId('attachment-thumbnail');
    await thumbnail.waitFor();
    expect(await thumbnail.getAttribute('alt')).toBe('broken-mug.png');
    expect(await thumbnail.getAttribute('src')).toMatch(/^blob:/);
    await eventually(async () => {
      expect(await thumbnail.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(2);
    }, 10_000);
    const files = page.getByTestId('attachment');
    expect(await files.evaluateAll((items) => items.map((li) => li.getAttribute('data-filename')))).toEqual([
      'broken-mug.png',
      'receipt.pdf',
      'notes.html',
    ]);
    // Only the image is shown; the HTML file is never rendered, only saved.
    expect(await page.locator('[data-testid="attachment-thumbnail"]').count()).toBe(1);

    const pdf = files.filter({ hasText: 'receipt.pdf' }).getByTestId('attachment-download');
    const [download] = await Promise.all([page.waitForEvent('download'), pdf.click()]);
    expect(download.suggestedFilename()).toBe('receipt.pdf');
    expect(readFileSync(await download.path()).equals(PDF)).toBe(true);

    const listed = ticket.thread[0].attachments.map((a: Json) => `${origin}${a.path}`);
    expect(attachmentRequests.map((r) => r.url)).toEqual(expect.arrayContaining([listed[0], listed[1]]));
    // The agent's own session token (this tab's login), never a cookie or a token in the URL.
    const token = await page.evaluate(
      () =>
        JSON.parse(
          (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem(
            'seamline.session',
          ) ?? '{}',
        ).token as string,
    );
    expect(token).toMatch(/^ey/);
    for (const r of attachmentRequests) {
      expect(r.authorization).toBe(`Bearer ${token}`);
      expect(r.url).not.toContain(token);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'briefing-handoff.png'), fullPage: true });
  });

  it('lets a supervisor release a quarantined message, and discard another only with a reason', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(supervisor);
    await page.getByTestId('open-quarantine').click();
    await page.getByTestId('quarantine').waitFor();
    const entry = (id: string) => page.locator(`[data-quarantine-id="${id}"]`);
    await entry(heldId).waitFor();
    await entry(unsafeId).waitFor();
    expect(await entry(heldId).textContent()).toContain('auto reply');
    await page.screenshot({ path: join(SCREENSHOTS, 'quarantine.png'), fullPage: true });

    await entry(heldId).getByTestId('quarantine-release').click();
    await page.getByTestId('quarantine-open-ticket').waitFor();
    expect(await page.getByTestId('quarantine-message').textContent()).toContain('Released');
    expect(await entry(heldId).count()).toBe(0);
    const released = await eventually(async () => {
      const res = await api(apps, '/inbound/quarantine?state=resolved', supervisor.headers);
      const item = ((await res.json()) as Json).items.find((i: Json) => i.id === heldId);
      expect(item).toMatchObject({ resolution: 'released', resolvedBy: supervisor.id });
      return item;
    }, 10_000);
    const releasedTicket = (await (
      await api(apps, `/tickets/${released.releasedTicketId}`, supervisor.headers)
    ).json()) as Json;
    expect(releasedTicket.customerEmail).toBe(heldSender);

    // Discard asks why, and will not go without an answer.
    await entry(unsafeId).getByTestId('quarantine-discard').click();
    const confirm = entry(unsafeId).getByTestId('quarantine-discard-confirm');
    expect(await confirm.isDisabled()).toBe(true);
    await entry(unsafeId).getByTestId('quarantine-discard-reason').fill('   ');
    expect(await confirm.isDisabled()).toBe(true);
    await entry(unsafeId).getByTestId('quarantine-discard-reason').fill('Not a message: no sender, no content');
    await confirm.click();
    await eventually(async () => expect(await entry(unsafeId).count()).toBe(0), 10_000);
    expect(await page.getByTestId('quarantine-message').textContent()).toContain('Discarded');

    await page.getByTestId('quarantine-resolved').click();
    await entry(unsafeId).waitFor();
    expect(await entry(unsafeId).getByTestId('quarantine-resolution').textContent()).toContain(
      'Not a message: no sender, no content',
    );
    expect(await entry(heldId).getByTestId('quarantine-resolution').textContent()).toContain('Released');
    const audit = await db.client.query(
      `SELECT resolution, resolved_by, resolution_reason FROM inbound_quarantine WHERE id = $1`,
      [unsafeId],
    );
    expect(audit.rows).toEqual([
      {
        resolution: 'discarded',
        resolved_by: supervisor.id,
        resolution_reason: 'Not a message: no sender, no content',
      },
    ]);

    // The released message's ticket opens from the quarantine view.
    await entry(heldId).getByRole('button', { name: 'Open the ticket' }).click();
    await page.getByTestId('briefing').waitFor();
    expect(await page.getByTestId('briefing').getAttribute('data-ticket-id')).toBe(released.releasedTicketId);
  });
});
