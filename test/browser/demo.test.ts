/**
 * The demo's web page in a real browser (Debian chromium + playwright-core), against the
 * auth server and the articles server started in-process with 3-second access tokens.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  launchBrowser,
  login,
  openDemo,
  PASSWORD,
  registerAndLogin,
  startTestDemo,
  type TestDemo,
  watchErrors,
} from './helpers.js';

/** The access token the page holds now, read through the page's own token inspector. */
async function pageToken(page: Page): Promise<string> {
  await page.click('#inspect-mine');
  await page.locator('#verdict:not(:empty)').waitFor();
  return page.inputValue('#jwt');
}

const loggedOut = (page: Page, timeout: number) =>
  page.locator('#login-panel:not([hidden])').waitFor({ timeout });

describe('the demo page in chromium', () => {
  let demo: TestDemo;
  let browser: Browser;

  before(async () => {
    demo = await startTestDemo({ GATEHOUSE_ACCESS_TTL: '3s' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test('register, log in, see your articles; the CSP holds and nothing fails in the page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    const response = await page.goto(`${demo.articlesUrl}/`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    await registerAndLogin(page, 'reader');
    assert.equal(await page.textContent('#who'), 'reader');
    await page.click('#load-articles');
    await page.locator('#articles li').nth(2).waitFor();
    assert.equal(await page.locator('#articles li').count(), 3);
    assert.match((await page.textContent('#articles-status')) ?? '', /3 articles/);
    assert.match((await page.textContent('#articles')) ?? '', /by reader/);
    // The inspector verifies the token against the JWKS with WebCrypto, in the page.
    const token = await pageToken(page);
    assert.match((await page.textContent('#verdict')) ?? '', /signature valid \(ES256/);
    assert.match((await page.textContent('#jwt-claims')) ?? '', /"username": "reader"/);
    // A token altered in the last signature byte fails verification.
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BA' : 'AA');
    await page.fill('#jwt', forged);
    await page.click('#inspect');
    await page.locator('#verdict.error').waitFor();
    assert.match((await page.textContent('#verdict')) ?? '', /does NOT match|Could not verify/);
    assert.deepEqual(errors, []);
    // Cookie mode: a reload keeps the session (the refresh token is in the HttpOnly cookie)...
    await page.reload();
    await page.locator('#app-panel:not([hidden])').waitFor();
    assert.equal(await page.textContent('#who'), 'reader');
    // ...which JavaScript cannot read.
    assert.equal(await page.evaluate(() => document.cookie), '');
    const cookies = await context.cookies(`${demo.authUrl}/auth/token`);
    assert.ok(
      cookies.some((c) => c.httpOnly && c.value.startsWith('ghr_')),
      'an HttpOnly refresh cookie',
    );
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('after the access token expired, a call succeeds through a silent refresh', async () => {
    const context = await browser.newContext();
    const page = await openDemo(context, demo);
    await registerAndLogin(page, 'waiter');
    const first = await pageToken(page);
    await page.waitForTimeout(3_500); // past the 3 s access-token life
    await page.click('#load-articles');
    await page.locator('#articles li').first().waitFor();
    assert.match((await page.textContent('#articles-status')) ?? '', /3 articles/);
    assert.ok((await page.locator('#refresh-log li').count()) >= 1, 'the refresh shows in the log');
    const now = await pageToken(page);
    assert.notEqual(now, first, 'a new access token');
    // The first token had really expired when the call was made.
    const claims = JSON.parse(Buffer.from(first.split('.')[1] ?? '', 'base64url').toString('utf8'));
    assert.ok(typeof claims.exp === 'number' && claims.exp * 1000 < Date.now() - 400);
    assert.equal(await page.isVisible('#app-panel'), true);
    await context.close();
  });

  test('ending a session from another browser logs it out within 2 s', async () => {
    const a = await browser.newContext();
    const b = await browser.newContext();
    const pageA = await openDemo(a, demo);
    const pageB = await openDemo(b, demo);
    await registerAndLogin(pageA, 'twodevices');
    await login(pageB, 'twodevices');
    const tokenB = await pageToken(pageB);
    await pageA.locator('#sessions tbody tr').nth(1).waitFor();
    await pageA.click('#sessions tbody tr:not(:has(.current)) .end-session');
    const started = Date.now();
    await loggedOut(pageB, 2_000);
    assert.ok(Date.now() - started <= 2_000);
    assert.match((await pageB.textContent('#notice')) ?? '', /session was ended/);
    // The articles server refuses B's unexpired access token too (the revocation feed).
    let status = 0;
    for (const deadline = Date.now() + 2_000; Date.now() < deadline; await pageA.waitForTimeout(100)) {
      status = (
        await fetch(`${demo.articlesUrl}/articles`, { headers: { authorization: `Bearer ${tokenB}` } })
      ).status;
      if (status === 401) break;
    }
    assert.equal(status, 401);
    // A is untouched.
    await pageA.locator('#sessions tbody tr').nth(1).waitFor({ state: 'detached' });
    assert.equal(await pageA.isVisible('#app-panel'), true);
    await a.close();
    await b.close();
  });

  test('two tabs of one browser racing a refresh both stay logged in', async () => {
    const context = await browser.newContext();
    const tab1 = await openDemo(context, demo);
    const errors = [...watchErrors(tab1)];
    await registerAndLogin(tab1, 'twotabs');
    const tab2 = await openDemo(context, demo);
    watchErrors(tab2);
    // Same browser: the second tab picks up the session (cookie mode) without a login.
    await tab2.locator('#app-panel:not([hidden])').waitFor();
    await tab1.waitForTimeout(3_200); // both access tokens expire
    await Promise.all([tab1.click('#load-articles'), tab2.click('#load-articles')]);
    for (const tab of [tab1, tab2]) {
      await tab.locator('#articles li').first().waitFor();
      assert.match((await tab.textContent('#articles-status')) ?? '', /3 articles/);
    }
    await tab1.waitForTimeout(1_200); // another round of both tabs' session polls
    // One session shared by both tabs, still alive (no reuse detected, nobody logged out).
    assert.equal(await tab1.locator('#sessions tbody tr').count(), 1);
    for (const tab of [tab1, tab2]) {
      assert.equal(await tab.isVisible('#app-panel'), true);
      assert.equal(await tab.isVisible('#login-panel'), false);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('"log out everywhere" ends every session of the user', async () => {
    const a = await browser.newContext();
    const b = await browser.newContext();
    const pageA = await openDemo(a, demo);
    const pageB = await openDemo(b, demo);
    await registerAndLogin(pageA, 'everywhere');
    await login(pageB, 'everywhere');
    await pageA.click('#logout-all');
    await loggedOut(pageA, 2_000);
    await loggedOut(pageB, 2_000);
    // A reload does not bring a session back (the cookie's session is gone).
    await pageB.reload();
    await loggedOut(pageB, 5_000);
    await a.close();
    await b.close();
  });

  test('the admin view is refused for a normal user and shown to an admin', async () => {
    const context = await browser.newContext();
    const page = await openDemo(context, demo);
    await registerAndLogin(page, 'normal');
    await page.click('#load-all');
    await page.locator('#articles-status.refused').waitFor();
    assert.match((await page.textContent('#articles-status')) ?? '', /refused \(403 INSUFFICIENT_SCOPE\)/);
    assert.equal(await page.locator('#articles li').count(), 0);
    await page.click('#logout');
    await loggedOut(page, 2_000);

    await demo.auth.service.admin.createUser({ username: 'boss', password: PASSWORD, roles: ['admin'] });
    await login(page, 'boss');
    assert.match((await page.textContent('#roles')) ?? '', /admin/);
    await page.click('#load-all');
    await page.locator('#articles li').nth(2).waitFor();
    assert.match((await page.textContent('#articles')) ?? '', /by Kyle/);
    await context.close();
  });
});
