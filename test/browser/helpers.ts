/**
 * Browser-test helpers: the demo started in-process on free ports with short token lifetimes,
 * and Debian's chromium driven by playwright-core. A missing chromium FAILS the tests with a
 * clear message (in CI and locally): browser tests that skip silently prove nothing.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../packages/gatehouse-server/src/config/env.js';
import { type Demo, startDemo } from '../../packages/gatehouse-server/src/demo/start-demo.js';

/** Argon2 at its cheapest: the tests are about the browser, not password hashing. */
const FAST_HASHING = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export const PASSWORD = 'correct horse battery staple';

/**
 * The chromium binary: GATEHOUSE_CHROMIUM, else `chromium` on the PATH (Debian's `apt-get
 * install chromium` puts it at /usr/bin/chromium).
 */
export const CHROMIUM =
  process.env.GATEHOUSE_CHROMIUM ??
  (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, 'chromium'))
    .find((path) => existsSync(path)) ??
  '/usr/bin/chromium';

/** A free TCP port on 127.0.0.1 (the auth server's issuer must name its port before it listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TestDemo extends Demo {
  /** Stops the servers and deletes the temporary database. */
  stop(): Promise<void>;
}

/**
 * Starts the demo (auth server + articles server) on free ports with a fresh SQLite file.
 *
 * @example
 * ```ts
 * const demo = await startTestDemo({ GATEHOUSE_ACCESS_TTL: '3s' });
 * ```
 */
export async function startTestDemo(
  env: Record<string, string> = {},
  options: { expiringWarning?: number; cookieMode?: boolean } = {},
): Promise<TestDemo> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-browser-'));
  const config = loadConfig({
    env: {
      GATEHOUSE_PORT: String(await freePort()),
      GATEHOUSE_DATABASE_URL: join(dir, 'gatehouse.db'),
      GATEHOUSE_KEY_PROPAGATION: '0',
      GATEHOUSE_LOG_LEVEL: 'silent',
      ...env,
    },
    envFile: false,
  });
  try {
    const demo = await startDemo({
      config,
      articlesPort: 0,
      passwordHashing: FAST_HASHING,
      logger: false,
      ...options,
    });
    return Object.assign(demo, {
      async stop() {
        await demo.close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Launches headless chromium, or throws naming what is missing and how to install it.
 *
 * @example
 * ```ts
 * const browser = await launchBrowser();
 * ```
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `browser tests need chromium, not found at ${CHROMIUM}${process.env.CI ? ' (CI: .ci/run installs it)' : ''}; ` +
        'install it (Debian: sudo apt-get install chromium) or set GATEHOUSE_CHROMIUM to a Chromium binary',
    );
  }
  // playwright-core gives every context a fresh profile in a new temporary user-data dir.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Collects page errors and CSP violations, so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 40[134]/.test(msg.text()))
      errors.push(`console: ${msg.text()}`);
  });
  return errors;
}

/** Opens the page in `context` and waits until the app has decided (login form or app). */
export async function openDemo(context: BrowserContext, demo: Demo): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${demo.articlesUrl}/`);
  await page.locator('#login-panel:not([hidden]), #app-panel:not([hidden])').first().waitFor();
  return page;
}

/** Fills the form and creates the account (which also logs in). */
export async function registerAndLogin(page: Page, username: string): Promise<void> {
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('#register');
  await page.locator('#app-panel:not([hidden])').waitFor();
}

/** Logs in an existing account. */
export async function login(page: Page, username: string): Promise<void> {
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('#login');
  await page.locator('#app-panel:not([hidden])').waitFor();
}
