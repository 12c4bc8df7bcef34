import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { TestUser } from './apps';

/** Where browser tests put their screenshots. */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** Fails with instructions (never skips) when Chromium is missing; call it before starting anything else. */
export function assertChromium(): void {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}. \`npm test\` installs it (scripts/lib/chromium.js); by hand: ` +
        '`sudo apt-get update && sudo apt-get install -y chromium`, or set CHROMIUM_PATH.',
    );
  }
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Closes the browser and removes its throwaway profile. */
  close(): Promise<void>;
}

/** Debian's Chromium, headless, in a throwaway profile, driven by playwright-core. */
export async function launchChromium(options: { acceptDownloads?: boolean } = {}): Promise<TestBrowser> {
  assertChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'seamline-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Signs `user` in through the inbox's login form and waits until the inbox shows who is signed in. */
export async function signIn(page: Page, origin: string, user: TestUser): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('who').waitFor();
}
