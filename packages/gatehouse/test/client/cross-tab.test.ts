/**
 * Tabs: two clients in one process stand for two tabs of one origin, joined by a real
 * BroadcastChannel and a Web Locks-shaped lock manager (Node 20 has no navigator.locks).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createClient, type LockManagerLike, type TokenStore } from '../../src/client/index.js';
import { API, AUTH, createFakeServer, manualClock } from './fake-server.js';

const LOGIN = { username: 'alice', password: 'correct horse' };
let channelSeq = 0;

/** Exclusive named locks with the Web Locks `request(name, callback)` shape. */
function lockManager(): LockManagerLike & { grants: number } {
  const tails = new Map<string, Promise<unknown>>();
  const manager = {
    grants: 0,
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      const previous = tails.get(name) ?? Promise.resolve();
      const run = previous.then(() => {
        manager.grants++;
        return callback();
      });
      tails.set(
        name,
        run.catch(() => {}),
      );
      return run;
    },
  };
  return manager;
}

/** Waits until BroadcastChannel messages have been delivered. */
const settle = () => new Promise((r) => setTimeout(r, 20));

function twoTabs(opts: { cookieMode?: boolean; shared?: TokenStore; graceSeconds?: number } = {}) {
  const clock = manualClock();
  const server = createFakeServer({ now: clock.read, graceSeconds: opts.graceSeconds ?? 0 });
  const locks = lockManager();
  const crossTab = `gatehouse-test-${process.pid}-${++channelSeq}`;
  const make = () =>
    createClient({
      baseUrl: AUTH,
      fetch: server.fetch,
      clock: clock.read,
      tokenOrigins: [API],
      crossTab,
      locks,
      cookieMode: opts.cookieMode ?? false,
      ...(opts.shared ? { storage: opts.shared } : {}),
    });
  return { clock, server, locks, a: make(), b: make() };
}

function sharedStore(): TokenStore {
  let value: unknown;
  return {
    get: async () => structuredClone(value) as never,
    set: async (s) => {
      value = structuredClone(s);
    },
    clear: async () => {
      value = undefined;
    },
  };
}

describe('cross-tab coordination', () => {
  test('two tabs sharing one stored session, racing an expired token: one refresh, nobody logged out', async () => {
    const { clock, server, locks, a, b } = twoTabs({ shared: sharedStore(), graceSeconds: 0 });
    await a.login(LOGIN);
    await settle();
    assert.equal((await b.me()).id, 'u1', 'tab b resumed the shared session');
    clock.tick(61_000);
    const out: string[] = [];
    a.on('logged-out', () => out.push('a'));
    b.on('logged-out', () => out.push('b'));
    const results = await Promise.all([
      a.fetch(`${API}/x`),
      b.fetch(`${API}/x`),
      a.fetch(`${API}/y`),
      b.fetch(`${API}/y`),
    ]);
    assert.ok(results.every((r) => r.status === 200));
    assert.equal(server.count('/auth/token'), 1, 'the second tab used the tokens of the first');
    assert.ok(locks.grants >= 1);
    assert.deepEqual(out, []);
    a.dispose();
    b.dispose();
  });

  test('new tokens are shared with a tab of the same session; logout in one tab logs the other out', async () => {
    const { clock, server, a, b } = twoTabs({ cookieMode: true });
    await a.login(LOGIN);
    await settle();
    assert.equal(b.session?.sessionId, a.session?.sessionId, 'cookie mode: the login reached tab b');
    clock.tick(61_000);
    await a.getAccessToken();
    await settle();
    assert.equal(b.session?.accessTokenExpiresAt, a.session?.accessTokenExpiresAt);
    await b.getAccessToken();
    assert.equal(server.count('/auth/token'), 1);
    const reasons: string[] = [];
    b.on('logged-out', ({ reason, source }) => reasons.push(`${reason}/${source}`));
    await a.logout();
    await settle();
    assert.deepEqual(reasons, ['logout/other-tab']);
    assert.equal(b.session, null);
    a.dispose();
    b.dispose();
  });

  test('memory mode: separate sessions per tab are left alone, logout-all reaches both', async () => {
    const { a, b } = twoTabs();
    const sa = await a.login(LOGIN);
    const sb = await b.login(LOGIN);
    assert.notEqual(sa.sessionId, sb.sessionId);
    await settle();
    assert.equal(a.session?.sessionId, sa.sessionId, 'b’s login did not replace a’s session');
    await a.logout();
    await settle();
    assert.equal(b.session?.sessionId, sb.sessionId, 'ending session a leaves session b');
    await a.login(LOGIN);
    const reasons: string[] = [];
    b.on('logged-out', ({ reason }) => reasons.push(reason));
    await a.logoutAll();
    await settle();
    assert.deepEqual(reasons, ['logout']);
    assert.equal(b.session, null);
    a.dispose();
    b.dispose();
  });

  test('a disposed tab no longer reacts', async () => {
    const { a, b } = twoTabs({ cookieMode: true });
    await a.login(LOGIN);
    await settle();
    b.dispose();
    await a.logout();
    await settle();
    assert.notEqual(b.session, null);
    a.dispose();
  });
});
