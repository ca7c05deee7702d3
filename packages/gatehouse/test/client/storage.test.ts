/**
 * Token storage: memory by default, a pluggable (async) store, restore after a restart, a
 * corrupt record ignored, and cookie mode (no refresh token in JavaScript, CSRF header).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createClient, memoryStore, type StoredSession, type TokenStore } from '../../src/client/index.js';
import { API, AUTH, createFakeServer, manualClock } from './fake-server.js';

const LOGIN = { username: 'alice', password: 'correct horse' };

/** An async store, like a file or a keychain. */
function asyncStore(initial?: unknown) {
  let value: unknown = initial;
  const ops: string[] = [];
  const store: TokenStore = {
    get: async () => {
      ops.push('get');
      return value as StoredSession | undefined;
    },
    set: async (s) => {
      ops.push('set');
      value = structuredClone(s);
    },
    clear: async () => {
      ops.push('clear');
      value = undefined;
    },
  };
  return { store, ops, value: () => value as StoredSession | undefined };
}

describe('token stores', () => {
  test('memoryStore keeps copies, not references', () => {
    const store = memoryStore();
    const record: StoredSession = { refreshToken: 'ghr_x', sessionId: 's', sessionExpiresAt: 1 };
    store.set(record);
    record.refreshToken = 'changed';
    assert.equal((store.get() as StoredSession).refreshToken, 'ghr_x');
    store.clear();
    assert.equal(store.get(), undefined);
  });

  test('an async store receives every rotation and is cleared on logout', async () => {
    const clock = manualClock();
    const server = createFakeServer({ now: clock.read });
    const s = asyncStore();
    const client = createClient({ baseUrl: AUTH, fetch: server.fetch, clock: clock.read, storage: s.store });
    const { sessionId } = await client.login(LOGIN);
    assert.equal(s.value()?.refreshToken, server.sessions.get(sessionId)!.refresh);
    clock.tick(61_000);
    await client.getAccessToken();
    assert.equal(
      s.value()?.refreshToken,
      server.sessions.get(sessionId)!.refresh,
      'the rotated token is stored',
    );
    await client.logout();
    assert.equal(s.value(), undefined);
    assert.ok(s.ops.includes('clear'));
  });

  test('a new client (a restart) resumes the stored session without logging in', async () => {
    const clock = manualClock();
    const server = createFakeServer({ now: clock.read });
    const s = asyncStore();
    const first = createClient({ baseUrl: AUTH, fetch: server.fetch, clock: clock.read, storage: s.store });
    await first.login(LOGIN);
    first.dispose();
    clock.tick(120_000);
    const second = createClient({ baseUrl: AUTH, fetch: server.fetch, clock: clock.read, storage: s.store });
    const me = await second.me();
    assert.equal(me.id, 'u1');
    assert.equal(server.count('/auth/login'), 1);
    assert.equal(server.count('/auth/token'), 1, 'the stored access token had expired: one refresh');
  });

  test('a corrupt store record is treated as logged out, not trusted', async () => {
    for (const bad of [null, 'ghr_x', { refreshToken: 42 }, { refreshToken: 'ghr_x', sessionId: 's' }, []]) {
      const server = createFakeServer({ now: () => 0 });
      const client = createClient({ baseUrl: AUTH, fetch: server.fetch, storage: asyncStore(bad).store });
      await assert.rejects(client.getAccessToken(), { code: 'UNAUTHORIZED', reason: 'not_logged_in' });
      assert.equal(server.calls.length, 0);
    }
  });

  test('a failing store is a GatehouseError that does not leak the store error text', async () => {
    const server = createFakeServer({ now: () => 0 });
    const store: TokenStore = {
      get: () => {
        throw new Error('EACCES /secret/path');
      },
      set: () => {},
      clear: () => {},
    };
    const client = createClient({ baseUrl: AUTH, fetch: server.fetch, storage: store });
    await assert.rejects(client.getAccessToken(), (err: Error & { code?: string; reason?: string }) => {
      assert.equal(err.code, 'INTERNAL_ERROR');
      assert.equal(err.reason, 'store');
      assert.doesNotMatch(err.message, /secret/);
      return true;
    });
  });
});

describe('cookie mode', () => {
  test('refresh and logout use the cookie with credentials include and Gatehouse-CSRF: 1', async () => {
    const clock = manualClock();
    const server = createFakeServer({ now: clock.read });
    const client = createClient({
      baseUrl: AUTH,
      fetch: server.fetch,
      clock: clock.read,
      cookieMode: true,
      tokenOrigins: [API],
    });
    await client.login(LOGIN);
    const login = server.calls.find((c) => c.path === '/auth/login')!;
    assert.equal(login.credentials, 'include', 'so that the browser stores the Set-Cookie');
    clock.tick(61_000);
    assert.equal((await client.fetch(`${API}/articles`)).status, 200);
    const refresh = server.calls.find((c) => c.path === '/auth/token')!;
    assert.equal(refresh.credentials, 'include');
    assert.equal(refresh.headers.get('gatehouse-csrf'), '1');
    assert.doesNotMatch(refresh.body, /ghr_/, 'no refresh token in the body');
    await client.logout();
    const logout = server.calls.find((c) => c.path === '/auth/logout')!;
    assert.equal(logout.headers.get('gatehouse-csrf'), '1');
    assert.equal(logout.credentials, 'include');
  });

  test('a refresh token sent in the body (cookie mode "both") is dropped, never kept in JS', async () => {
    const clock = manualClock();
    const server = createFakeServer({ now: clock.read });
    const store = asyncStore();
    const client = createClient({
      baseUrl: AUTH,
      fetch: server.fetch,
      clock: clock.read,
      cookieMode: true,
      storage: store.store,
    });
    await client.login(LOGIN);
    assert.equal(store.ops.length, 0, 'cookie mode never writes a store');
    assert.doesNotMatch(JSON.stringify(client.session), /ghr_/);
  });

  test('a page load resumes the session from the cookie alone', async () => {
    const clock = manualClock();
    const server = createFakeServer({ now: clock.read, cookieOnly: true });
    const tab1 = createClient({ baseUrl: AUTH, fetch: server.fetch, clock: clock.read, cookieMode: true });
    await tab1.login(LOGIN);
    const reloaded = createClient({
      baseUrl: AUTH,
      fetch: server.fetch,
      clock: clock.read,
      cookieMode: true,
    });
    const seen: string[] = [];
    reloaded.on('logged-in', () => seen.push('logged-in'));
    assert.equal((await reloaded.me()).id, 'u1');
    assert.deepEqual(seen, ['logged-in']);
  });

  test('no cookie: the resume fails with the server code and no logged-out event', async () => {
    const server = createFakeServer({ now: () => 0, cookieOnly: true });
    const client = createClient({ baseUrl: AUTH, fetch: server.fetch, cookieMode: true });
    const seen: string[] = [];
    client.on('logged-out', () => seen.push('x'));
    await assert.rejects(client.getAccessToken(), { code: 'INVALID_REFRESH_TOKEN' });
    assert.deepEqual(seen, []);
  });
});
