/**
 * Writes docs/images/demo.png: the demo page after a login, with articles, two sessions and
 * the token inspector filled in. Run from the repository root after `npm run build`:
 *
 *   node --import tsx test/browser/screenshot.ts [path.png]
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, login, openDemo, registerAndLogin, startTestDemo } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = resolve(process.argv[2] ?? `${root}docs/images/demo.png`);

const demo = await startTestDemo(
  { GATEHOUSE_ACCESS_TTL: '5m', GATEHOUSE_PORT: '5000' },
  { expiringWarning: 300 },
).catch(() => startTestDemo({ GATEHOUSE_ACCESS_TTL: '5m' }, { expiringWarning: 300 }));
const browser = await launchBrowser();
try {
  // A second device, so that "Your sessions" has something to end.
  const other = await browser.newContext({
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1',
  });
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
  const page = await openDemo(context, demo);
  await registerAndLogin(page, 'alice');
  await login(await openDemo(other, demo), 'alice');
  await page.click('#load-articles');
  await page.locator('#articles li').nth(2).waitFor();
  await page.click('#inspect-mine');
  await page.locator('#verdict.ok').waitFor();
  await page.locator('#sessions tbody tr').nth(1).waitFor();
  await page.waitForTimeout(300);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await demo.stop();
}
