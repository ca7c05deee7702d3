/**
 * Events of the client: refreshed, session-expiring (lazily on use and by an unref'd timer),
 * logged-out with each reason, and the API calls around them.
 */
import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import { type ClientEvents, createClient } from '../../src/client/index.js';
import { API, AUTH, createFakeServer, manualClock } from './fake-server.js';

const LOGIN = { username: 'alice', password: 'correct horse' };
const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
};

function setup(opts: { sessionTtl?: number; graceSeconds?: number; expiringWarning?: number | string } = {}) {
  const clock = manualClock();
  const server = createFakeServer({
    now: clock.read,
    sessionTtl: opts.sessionTtl ?? 3600,
    graceSeconds: opts.graceSeconds ?? 10,
  });
  const client = createClient({
    baseUrl: AUTH,
    fetch: server.fetch,
    clock: clock.read,
    tokenOrigins: [API],
    expiringWarning: opts.expiringWarning ?? '5m',
  });
  const events: { name: keyof ClientEvents; payload: unknown }[] = [];
  for (const name of ['logged-in', 'refreshed', 'session-expiring', 'logged-out'] as const) {
    client.on(name, (payload) => events.push({ name, payload }));
  }
  const of = <E extends keyof ClientEvents>(name: E) =>
    events.filter((e) => e.name === name).map((e) => e.payload as ClientEvents[E]);
  return { clock, server, client, events, of };
}

describe('refreshed and logged-in', () => {
  test('login emits logged-in; a refresh emits refreshed with the new expiry', async () => {
    const { clock, client, of } = setup();
    const session = await client.login(LOGIN);
    assert.equal(of('logged-in').length, 1);
    assert.equal(session.userId, 'u1');
    assert.deepEqual(session.roles, ['user']);
    clock.tick(55_000);
    await client.getAccessToken();
    const [refreshed] = of('refreshed');
    assert.equal(refreshed?.source, 'local');
    assert.equal(refreshed?.session.accessTokenExpiresAt, clock.now + 60_000);
    assert.equal(client.session?.sessionId, session.sessionId);
  });
});

describe('session-expiring', () => {
  test('emitted once when the session end comes within the warning, on the next use', async () => {
    const { clock, client, of } = setup({ sessionTtl: 3600, expiringWarning: '5m' });
    await client.login(LOGIN);
    clock.tick(3600_000 - 301_000);
    await client.getAccessToken();
    assert.equal(of('session-expiring').length, 0);
    clock.tick(2_000);
    await client.getAccessToken();
    await client.getAccessToken();
    const warnings = of('session-expiring');
    assert.equal(warnings.length, 1);
    assert.ok(Math.abs(warnings[0]!.remainingMs - 299_000) <= 1_000);
  });

  test('a login inside the warning window warns at once', async () => {
    const { of, client } = setup({ sessionTtl: 60, expiringWarning: 120 });
    await client.login(LOGIN);
    assert.equal(of('session-expiring').length, 1);
  });

  test('a timer (unref’d) fires the warning and then the expiry with no calls made', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.UTC(2030, 0, 1) });
    const server = createFakeServer({ now: () => Date.now(), sessionTtl: 600 });
    const client = createClient({ baseUrl: AUTH, fetch: server.fetch, expiringWarning: 60 });
    const seen: string[] = [];
    client.on('session-expiring', () => seen.push('expiring'));
    client.on('logged-out', ({ reason }) => seen.push(`logged-out:${reason}`));
    await client.login(LOGIN);
    t.mock.timers.tick(539_000);
    await flush();
    assert.deepEqual(seen, []);
    t.mock.timers.tick(1_000);
    await flush();
    assert.deepEqual(seen, ['expiring']);
    t.mock.timers.tick(60_000);
    await flush();
    assert.deepEqual(seen, ['expiring', 'logged-out:expired']);
    assert.equal(client.session, null);
    client.dispose();
  });
});

describe('logged-out reasons', () => {
  test('logout: server session ended, local state and store cleared, event once', async () => {
    const { server, client, of } = setup();
    const { sessionId } = await client.login(LOGIN);
    await client.logout();
    assert.deepEqual(of('logged-out'), [{ reason: 'logout', sessionId, source: 'local' }]);
    assert.equal(server.sessions.get(sessionId)?.revoked, true);
    assert.equal(client.session, null);
    await assert.rejects(client.fetch(`${API}/x`), { code: 'UNAUTHORIZED', reason: 'not_logged_in' });
    await client.logout(); // idempotent, no second event
    assert.equal(of('logged-out').length, 1);
  });

  test('logout clears local state even when the server cannot be reached, then reports the failure', async () => {
    const clock = manualClock();
    const server = createFakeServer({ now: clock.read });
    let online = true;
    const switchable = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!online) throw new TypeError('fetch failed');
      return server.fetch(input, init);
    }) as typeof fetch;
    const client = createClient({ baseUrl: AUTH, fetch: switchable, clock: clock.read });
    const reasons: string[] = [];
    client.on('logged-out', ({ reason }) => reasons.push(reason));
    await client.login(LOGIN);
    online = false;
    await assert.rejects(client.logout(), { code: 'SERVICE_UNAVAILABLE', reason: 'network' });
    assert.deepEqual(reasons, ['logout']);
    assert.equal(client.session, null);
  });

  test('revoked: the server ended the session (INVALID_REFRESH_TOKEN before its end)', async () => {
    const { clock, server, client, of } = setup();
    const { sessionId } = await client.login(LOGIN);
    server.revoke(sessionId);
    clock.tick(61_000);
    await assert.rejects(client.fetch(`${API}/x`), { code: 'INVALID_REFRESH_TOKEN' });
    assert.deepEqual(of('logged-out'), [{ reason: 'revoked', sessionId, source: 'local' }]);
    assert.equal(client.session, null);
  });

  test('revoked, found by a 401 on a live access token', async () => {
    const { server, client, of } = setup();
    const { sessionId } = await client.login(LOGIN);
    server.revoke(sessionId);
    await assert.rejects(client.me(), { code: 'INVALID_REFRESH_TOKEN' });
    assert.equal(of('logged-out')[0]?.reason, 'revoked');
    assert.equal(server.count('/auth/token'), 1);
  });

  test('expired: the session passed its absolute end', async () => {
    const { clock, server, client, of } = setup({ sessionTtl: 120 });
    await client.login(LOGIN);
    clock.tick(121_000);
    await assert.rejects(client.getAccessToken(), { code: 'UNAUTHORIZED' });
    assert.equal(of('logged-out')[0]?.reason, 'expired');
    assert.equal(server.count('/auth/token'), 0, 'no refresh attempt past the end');
  });

  test('reuse_detected: a copy of the refresh token was spent after the grace period', async () => {
    const { clock, server, client, of } = setup({ graceSeconds: 0 });
    const { sessionId } = await client.login(LOGIN);
    const stolen = server.sessions.get(sessionId)!.refresh;
    // The thief refreshes first; the client's copy is now a rotated token.
    await server.fetch(`${AUTH}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: stolen }),
    });
    clock.tick(61_000);
    await assert.rejects(client.getAccessToken(), {
      code: 'REFRESH_TOKEN_REUSED',
      serverCode: 'REFRESH_TOKEN_REUSED',
    });
    assert.deepEqual(of('logged-out'), [{ reason: 'reuse_detected', sessionId, source: 'local' }]);
  });

  test('a network failure during refresh keeps the session (no false logout)', async () => {
    const { clock, server, client, of } = setup();
    await client.login(LOGIN);
    server.hooks.tokenDelay = Promise.reject(new TypeError('fetch failed'));
    server.hooks.tokenDelay.catch(() => {});
    clock.tick(61_000);
    await assert.rejects(client.getAccessToken(), { code: 'SERVICE_UNAVAILABLE', reason: 'network' });
    assert.equal(of('logged-out').length, 0);
    assert.notEqual(client.session, null);
    server.hooks.tokenDelay = undefined;
    assert.equal(typeof (await client.getAccessToken()), 'string');
  });

  test('a 503 or 429 during refresh keeps the session and reports the server code', async () => {
    const { clock, server, client, of } = setup();
    await client.login(LOGIN);
    clock.tick(61_000);
    for (const [status, code] of [
      [503, 'SERVICE_UNAVAILABLE'],
      [429, 'TOO_MANY_ATTEMPTS'],
    ] as const) {
      server.hooks.tokenAnswer = () =>
        new Response(JSON.stringify({ status, code, title: code, type: 't', detail: 'busy' }), {
          status,
          headers: { 'content-type': 'application/problem+json', 'retry-after': '2' },
        });
      await assert.rejects(client.getAccessToken(), { code, httpStatus: status, retryAfter: 2 });
    }
    assert.equal(of('logged-out').length, 0);
    server.hooks.tokenAnswer = undefined;
    assert.equal(typeof (await client.getAccessToken()), 'string');
  });

  test('logoutAll ends every session and logs this client out; endSession on another keeps this one', async () => {
    const { server, client, of } = setup();
    const other = await createClient({ baseUrl: AUTH, fetch: server.fetch }).login(LOGIN);
    const mine = await client.login(LOGIN);
    const listed = await client.sessions();
    assert.equal(listed.length, 2);
    assert.equal(listed.find((s) => s.current)?.id, mine.sessionId);
    await client.endSession(other.sessionId);
    assert.equal(server.sessions.get(other.sessionId)?.revoked, true);
    assert.equal(of('logged-out').length, 0);
    await assert.rejects(client.endSession('nope'), { code: 'NOT_FOUND', httpStatus: 404 });
    await client.logoutAll();
    assert.equal(server.sessions.get(mine.sessionId)?.revoked, true);
    assert.equal(of('logged-out')[0]?.reason, 'logout');
  });

  test('endSession of the current session logs this client out', async () => {
    const { client, of } = setup();
    const { sessionId } = await client.login(LOGIN);
    await client.endSession(sessionId);
    assert.equal(of('logged-out')[0]?.reason, 'logout');
    assert.equal(client.session, null);
  });

  test('a throwing listener does not break the client or the other listeners', async () => {
    const { client, of } = setup();
    const reported = mock.fn();
    const g = globalThis as { reportError?: (e: unknown) => void };
    const saved = g.reportError;
    g.reportError = reported;
    try {
      client.on('logged-in', () => {
        throw new Error('listener bug');
      });
      const session = await client.login(LOGIN);
      assert.equal(typeof session.sessionId, 'string');
      assert.equal(of('logged-in').length, 1);
      assert.equal(reported.mock.callCount(), 1);
    } finally {
      if (saved === undefined) delete g.reportError;
      else g.reportError = saved;
    }
  });
});
