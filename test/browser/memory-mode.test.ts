/**
 * The page with GATEHOUSE_COOKIE_MODE=off: the client's memory mode (refresh token in the
 * page's memory only), in chromium.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, openDemo, registerAndLogin, startTestDemo, type TestDemo } from './helpers.js';

let demo: TestDemo;
let browser: Browser;

before(async () => {
  demo = await startTestDemo({ GATEHOUSE_COOKIE_MODE: 'off' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

test('memory mode: log in and read articles without any cookie; a reload forgets the session', async () => {
  const config = (await (await fetch(`${demo.articlesUrl}/config.json`)).json()) as { cookieMode: boolean };
  assert.equal(config.cookieMode, false);
  const context = await browser.newContext();
  const page = await openDemo(context, demo);
  await registerAndLogin(page, 'memory');
  await page.click('#load-articles');
  await page.locator('#articles li').nth(2).waitFor();
  assert.deepEqual(await context.cookies(`${demo.authUrl}/auth/token`), []);
  await page.reload();
  await page.locator('#login-panel:not([hidden])').waitFor();
  await context.close();
});
