import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Connection, Client } from '@temporalio/client';
import type { Page } from 'playwright-core';
import { SmtpSink } from '../../libs/integrations';
import { ticketWorkflowId } from '../../workflows/ticket/ticket.messages';
import { createIngestKey, createTestUser, startApps, type RunningApps, type TestUser } from '../support/apps';
import { assertChromium, launchChromium, SCREENSHOTS, signIn, type TestBrowser } from '../support/browser';
import { repoRoot } from '../support/repo-root';
import { api } from '../support/inbox';
import { ensureTemporalCli, getFreePort, startTemporalDevServer, type DevServer } from '../support/launchers';

/**
 * Ops read a ticket's workflow in the real Temporal UI (the dev server `npm start` runs, with its codec endpoint
 * pointed at the API), in a real Chromium: the history's payloads are ciphertext until a supervisor signs in to the
 * inbox in the same browser, readable while they are signed in, and ciphertext again after they sign out or when
 * an agent signs in. The UI carries the codec cookie because its codec setting "include cross-origin credentials"
 * is on (set here as the UI's settings dialog stores it).
 */
describe('Temporal UI in Chromium: payloads decoded for a signed-in supervisor only', () => {
  let temporal: DevServer;
  let uiUrl: string;
  let apps: RunningApps;
  let sink: SmtpSink;
  let browser: TestBrowser;
  let page: Page;
  let origin: string;
  let supervisor: TestUser;
  let agent: TestUser;
  let historyUrl: string;
  // what the UI shows of the workflow's input: a field of the decrypted input, or the ciphertext's metadata
  const DECODED = '"slaConfig"';
  const ENCRYPTED = '"encryption-key-id"';

  beforeAll(async () => {
    assertChromium();
    const cli = process.env.TEMPORAL_CLI || (await ensureTemporalCli({ log: () => {} }));
    const [apiPort, temporalPort, uiPort] = [await getFreePort(), await getFreePort(), await getFreePort()];
    temporal = await startTemporalDevServer({
      cli,
      port: temporalPort,
      uiPort,
      uiCodecEndpoint: `http://127.0.0.1:${apiPort}/api/v1/codec`,
      log: () => {},
      logFile: join(repoRoot(), 'test-output', 'temporal-ui-dev-server.log'),
    });
    if (!temporal.uiUrl) throw new Error('the dev server started without its UI');
    uiUrl = temporal.uiUrl;
    sink = new SmtpSink();
    const smtpPort = await sink.listen(0);
    apps = await startApps({
      API_PORT: String(apiPort),
      TEMPORAL_ADDRESS: temporal.address,
      SMTP_PORT: String(smtpPort),
      CODEC_CORS_ORIGINS: uiUrl,
      AUTO_SEND_ENABLED: 'false',
    });
    origin = apps.baseUrl.replace('/api/v1', '');
    supervisor = await createTestUser(apps, 'supervisor', [], 'Sam Supervisor');
    agent = await createTestUser(apps, 'agent', ['standard'], 'Ava Agent');

    const ingest = await createIngestKey(apps);
    const res = await api(apps, '/tickets', ingest, {
      body: {
        messageId: `<${randomUUID()}@mail.example.com>`,
        from: { email: `robin.${randomUUID()}@example.com`, name: 'Robin Example' },
        subject: 'My lamp',
        text: 'Hello, my lamp flickers since Tuesday. Can you help?',
      },
    });
    expect(res.status).toBe(201);
    const { ticketId } = (await res.json()) as { ticketId: string };
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const described = await new Client({ connection }).workflow.getHandle(ticketWorkflowId(ticketId)).describe();
      historyUrl = `${uiUrl}/namespaces/default/workflows/${described.workflowId}/${described.runId}/history`;
    } finally {
      await connection.close();
    }

    browser = await launchChromium();
    page = browser.page;
    // The UI's codec settings, as its dialog stores them: this endpoint, with cross-origin credentials.
    await page.goto(`${uiUrl}/namespaces/default/workflows`);
    await page.evaluate((endpoint) => {
      const storage = (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } })
        .localStorage;
      storage.setItem('endpoint', JSON.stringify(endpoint));
      storage.setItem('includeCredentials', 'true');
      storage.setItem('overrideRemoteCodecConfiguration', 'true');
    }, `${origin}/api/v1/codec`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await apps?.stop();
    await sink?.close();
    await temporal?.stop();
  });

  afterEach(async () => {
    const name = expect.getState().currentTestName?.replace(/[^a-z0-9]+/gi, '-') ?? 'test';
    await page?.screenshot({ path: join(SCREENSHOTS, `temporal-ui-${name}.png`), fullPage: true }).catch(() => {});
  });

  /**
   * The history page as this browser sees it: once the UI has had the codec endpoint's answer (200 or a refusal) and
   * rendered the workflow's input the way the test expects (a wrong rendering times out with the page's text).
   */
  async function historyText(expected: 'decoded' | 'encrypted'): Promise<string> {
    const codecAnswered = page.waitForResponse((res) => res.url().startsWith(`${origin}/api/v1/codec/decode`));
    await page.goto(historyUrl);
    await codecAnswered;
    await page
      .waitForFunction(
        (marker) =>
          (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText.includes(
            marker,
          ),
        expected === 'decoded' ? DECODED : ENCRYPTED,
        { timeout: 30_000 },
      )
      .catch(async () => {
        throw new Error(`the history never showed its input ${expected}:\n${await page.locator('body').innerText()}`);
      });
    return page.locator('body').innerText();
  }

  it('shows ciphertext while nobody is signed in to the inbox', async () => {
    const text = await historyText('encrypted');
    expect(text).toContain(ENCRYPTED);
    expect(text).not.toContain(DECODED);
  });

  it('shows the decoded input once a supervisor signed in to the inbox in the same browser', async () => {
    await signIn(page, origin, supervisor);
    const text = await historyText('decoded');
    expect(text).toContain(DECODED);
    expect(text).not.toContain(ENCRYPTED);
  });

  it('shows ciphertext again after the supervisor signs out, and to an agent', async () => {
    await page.goto(`${origin}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    const afterSignOut = await historyText('encrypted');
    expect(afterSignOut).toContain(ENCRYPTED);
    expect(afterSignOut).not.toContain(DECODED);

    await signIn(page, origin, agent);
    const asAgent = await historyText('encrypted');
    expect(asAgent).toContain(ENCRYPTED);
    expect(asAgent).not.toContain(DECODED);
  });
});
