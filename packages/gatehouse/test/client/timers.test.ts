/**
 * Timers: auto refresh before expiry, retry after a failed timer refresh, everything cleared by
 * logout and dispose, and (in a child process) unref'd timers that never keep Node alive nor
 * overflow on a 30-day session.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createClient } from '../../src/client/index.js';
import { createDeadline, MAX_DELAY } from '../../src/client/timers.js';
import { AUTH, createFakeServer } from './fake-server.js';

const LOGIN = { username: 'alice', password: 'correct horse' };
/** Lets pending I/O callbacks and promise chains run (setImmediate is not mocked). */
const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
};

describe('timers', () => {
  test('autoRefresh refreshes inside the margin with no call made, and again for the next token', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.UTC(2030, 0, 1) });
    const server = createFakeServer({ now: () => Date.now(), accessTtl: 60 });
    const client = createClient({ baseUrl: AUTH, fetch: server.fetch, autoRefresh: true, refreshMargin: 10 });
    await client.login(LOGIN);
    t.mock.timers.tick(49_000);
    await flush();
    assert.equal(server.count('/auth/token'), 0);
    t.mock.timers.tick(1_000);
    await flush();
    assert.equal(server.count('/auth/token'), 1);
    t.mock.timers.tick(50_000);
    await flush();
    assert.equal(server.count('/auth/token'), 2);
    client.dispose();
    t.mock.timers.tick(600_000);
    await flush();
    assert.equal(server.count('/auth/token'), 2, 'dispose stopped the timer');
  });

  test('a failed timer refresh is retried later, not in a tight loop', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.UTC(2030, 0, 1) });
    const server = createFakeServer({ now: () => Date.now(), accessTtl: 60 });
    let online = true;
    let attempts = 0;
    const flaky = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/auth/token')) attempts++;
      if (!online) throw new TypeError('fetch failed');
      return server.fetch(input, init);
    }) as typeof fetch;
    const client = createClient({ baseUrl: AUTH, fetch: flaky, autoRefresh: true, refreshMargin: 10 });
    await client.login(LOGIN);
    online = false;
    t.mock.timers.tick(50_000);
    await flush();
    assert.equal(attempts, 1);
    t.mock.timers.tick(1_000);
    await flush();
    assert.equal(attempts, 1, 'waits before retrying');
    online = true;
    t.mock.timers.tick(4_000);
    await flush();
    assert.equal(attempts, 2);
    assert.notEqual(client.session, null);
    client.dispose();
  });

  test('logout cancels the session timers', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.UTC(2030, 0, 1) });
    const server = createFakeServer({ now: () => Date.now(), sessionTtl: 120 });
    const client = createClient({
      baseUrl: AUTH,
      fetch: server.fetch,
      expiringWarning: 60,
      autoRefresh: true,
    });
    const seen: string[] = [];
    client.on('session-expiring', () => seen.push('expiring'));
    client.on('logged-out', ({ reason }) => seen.push(reason));
    await client.login(LOGIN);
    await client.logout();
    t.mock.timers.tick(200_000);
    await flush();
    assert.deepEqual(seen, ['logout']);
    assert.equal(server.count('/auth/token'), 0);
  });

  test('a deadline beyond setTimeout’s limit is armed in clamped steps and fires only when due', (t) => {
    const delays: number[] = [];
    const pending: (() => void)[] = [];
    t.mock.method(globalThis, 'setTimeout', ((fn: () => void, delay: number) => {
      delays.push(delay);
      pending.push(fn);
      return { unref() {} };
    }) as never);
    t.mock.method(globalThis, 'clearTimeout', () => {});
    let now = 0;
    const fired: number[] = [];
    const deadline = createDeadline(() => now);
    const at = 30 * 86_400_000;
    deadline.at(at, () => fired.push(now));
    assert.deepEqual(delays, [MAX_DELAY]);
    now = MAX_DELAY;
    pending.shift()!();
    assert.deepEqual(fired, [], 'not due yet: re-armed');
    assert.deepEqual(delays, [MAX_DELAY, at - MAX_DELAY]);
    now = at;
    pending.shift()!();
    assert.deepEqual(fired, [at]);
  });

  test('an idle client does not keep Node alive, and a 30-day session does not fire early', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/idle-client.ts', import.meta.url));
    const started = Date.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', fixture], { timeout: 20_000 }, (err, out) =>
        err ? reject(err) : resolve(out),
      );
    });
    assert.equal(stdout, 'logged-in\n', 'no event fired and the process exited by itself');
    assert.ok(Date.now() - started < 20_000);
  });
});
