/**
 * The session-expiring warning and the end of a session, in chromium: sessions of 8 seconds,
 * a warning 5 seconds before the end.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, openDemo, registerAndLogin, startTestDemo, type TestDemo } from './helpers.js';

let demo: TestDemo;
let browser: Browser;

before(async () => {
  demo = await startTestDemo(
    { GATEHOUSE_ACCESS_TTL: '3s', GATEHOUSE_REFRESH_TTL: '8s' },
    { expiringWarning: 5 },
  );
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

test('the page warns before the session ends, then logs out with "expired"', async () => {
  const context = await browser.newContext();
  const page = await openDemo(context, demo);
  await registerAndLogin(page, 'shortlived');
  const loggedInAt = Date.now();
  assert.equal(await page.isVisible('#warning'), false, 'no warning right after login');
  await page.locator('#warning:not([hidden])').waitFor({ timeout: 6_000 });
  // Warned about 5 s before the 8 s session ends (not at once, not after the end).
  const warnedAfter = Date.now() - loggedInAt;
  assert.ok(warnedAfter >= 1_500 && warnedAfter < 8_000, `warned after ${warnedAfter} ms`);
  assert.match((await page.textContent('#warning')) ?? '', /Your session ends in \d+ s/);
  assert.equal(await page.getAttribute('#warning', 'role'), 'alert');
  await page.locator('#login-panel:not([hidden])').waitFor({ timeout: 8_000 });
  assert.match((await page.textContent('#notice')) ?? '', /expired/);
  assert.equal(await page.isVisible('#warning'), false);
  await context.close();
});
