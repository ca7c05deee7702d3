/**
 * The client SDK (`gatehouse/client`) against the REAL auth server over HTTP on 127.0.0.1:0,
 * with one injected clock shared by server and client so that expiry is deterministic.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createClient,
  type GatehouseClient,
  type LoggedOutReason,
} from '../../../gatehouse/src/client/index.js';
import { type Harness, PASSWORD, startServer } from '../http/helpers.js';

const clock = { now: Date.UTC(2030, 0, 1), tick: (ms: number) => (clock.now += ms) };
let h: Harness;
let baseUrl: string;
const paths: string[] = [];
/** The origin of the web page using the client in cookie mode (allowed by the server). */
const PAGE_ORIGIN = 'http://app.test';

/** The real global fetch, recording the paths it is asked for. */
const recordingFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = input instanceof Request ? input.url : String(input);
  paths.push(new URL(url).pathname);
  return fetch(input, init);
}) as typeof fetch;

const count = (path: string) => paths.filter((p) => p === path).length;

function newClient(extra: Partial<Parameters<typeof createClient>[0]> = {}): GatehouseClient {
  return createClient({ baseUrl, fetch: recordingFetch, clock: () => clock.now, refreshMargin: 5, ...extra });
}

function reasons(client: GatehouseClient): LoggedOutReason[] {
  const seen: LoggedOutReason[] = [];
  client.on('logged-out', ({ reason }) => seen.push(reason));
  return seen;
}

before(async () => {
  h = await startServer({
    clock: () => clock.now,
    logLevel: 'warn',
    env: {
      GATEHOUSE_ACCESS_TTL: '60s',
      GATEHOUSE_REFRESH_TTL: '1h',
      GATEHOUSE_REFRESH_REUSE_GRACE: '0',
      GATEHOUSE_CORS_ORIGINS: PAGE_ORIGIN,
    },
  });
  baseUrl = await h.server.listen({ port: 0, host: '127.0.0.1' });
});

after(async () => {
  await h.close();
});

describe('client against the real auth server', () => {
  test('register, login, me, silent refresh after expiry, logoutAll, logged-out', async () => {
    const client = newClient();
    const out = reasons(client);
    const refreshed: number[] = [];
    client.on('refreshed', ({ session }) => refreshed.push(session.accessTokenExpiresAt));

    const user = await client.register({ username: 'carol', password: PASSWORD });
    assert.equal(user.username, 'carol');
    const session = await client.login({ username: 'carol', password: PASSWORD });
    assert.equal(session.userId, user.id);
    assert.ok(Math.abs(session.clockOffset) < 2_000, 'server and client share the clock');
    assert.equal(session.accessTokenExpiresAt, clock.now + 60_000);

    const me = await client.me();
    assert.deepEqual(
      { id: me.id, username: me.username, sessionId: me.sessionId },
      {
        id: user.id,
        username: 'carol',
        sessionId: session.sessionId,
      },
    );

    const tokenCalls = count('/auth/token');
    clock.tick(61_000); // the access token is now expired on the server
    const again = await client.me();
    assert.equal(again.id, user.id);
    assert.equal(count('/auth/token'), tokenCalls + 1, 'one silent refresh');
    assert.equal(refreshed.length, 1);

    const sessions = await client.sessions();
    assert.ok(sessions.some((s) => s.current && s.id === session.sessionId));

    await client.logoutAll();
    assert.deepEqual(out, ['logout']);
    await assert.rejects(client.me(), { code: 'UNAUTHORIZED', reason: 'not_logged_in' });
    client.dispose();
  });

  test('a 401 on a token the client believed fresh: one refresh, one retry', async () => {
    let lag = 0;
    const client = newClient({ clock: () => clock.now - lag });
    await client.register({ username: 'dave', password: PASSWORD });
    await client.login({ username: 'dave', password: PASSWORD });
    // The server's clock moves on while the client's stands still (a suspended laptop).
    clock.tick(120_000);
    lag = 120_000;
    const before = paths.length;
    const res = await client.fetch('/auth/me');
    assert.equal(res.status, 200);
    assert.deepEqual(paths.slice(before), ['/auth/me', '/auth/token', '/auth/me']);
    client.dispose();
  });

  test('errors carry the server codes', async () => {
    const client = newClient();
    await client.register({ username: 'erin', password: PASSWORD });
    await assert.rejects(client.register({ username: 'ERIN', password: PASSWORD }), {
      code: 'USERNAME_TAKEN',
      httpStatus: 409,
    });
    await assert.rejects(client.register({ username: 'x', password: PASSWORD }), {
      code: 'VALIDATION_FAILED',
    });
    await assert.rejects(client.login({ username: 'erin', password: 'wrong password!' }), {
      code: 'INVALID_CREDENTIALS',
      serverCode: 'INVALID_CREDENTIALS',
    });
    client.dispose();
  });

  test('ending a session from another device logs that client out (revoked)', async () => {
    const laptop = newClient();
    const phone = newClient();
    await laptop.register({ username: 'frank', password: PASSWORD });
    await laptop.login({ username: 'frank', password: PASSWORD });
    const phoneSession = await phone.login({ username: 'frank', password: PASSWORD });
    const phoneOut = reasons(phone);
    const listed = await laptop.sessions();
    assert.equal(listed.length, 2);
    await laptop.endSession(phoneSession.sessionId);
    await assert.rejects(phone.me(), { code: 'INVALID_REFRESH_TOKEN' });
    assert.deepEqual(phoneOut, ['revoked']);
    assert.equal((await laptop.me()).username, 'frank');
    laptop.dispose();
    phone.dispose();
  });

  test('a copy of the refresh token spent first by a thief: the client sees reuse_detected', async () => {
    let copy: string | undefined;
    const client = newClient({
      storage: {
        get: () => undefined,
        set: (s) => {
          copy = s.refreshToken;
        },
        clear: () => {},
      },
    });
    const out = reasons(client);
    await client.register({ username: 'grace', password: PASSWORD });
    await client.login({ username: 'grace', password: PASSWORD });
    // The thief rotates the token first; the client's copy becomes a rotated (reused) token.
    const thief = await fetch(`${baseUrl}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: copy }),
    });
    assert.equal(thief.status, 200);
    clock.tick(61_000);
    await assert.rejects(client.me(), { code: 'REFRESH_TOKEN_REUSED' });
    assert.deepEqual(out, ['reuse_detected']);
    client.dispose();
  });

  test('session-expiring from the server’s refresh_expires_in, then logout', async () => {
    const client = newClient({ expiringWarning: '10m' });
    const warnings: number[] = [];
    client.on('session-expiring', ({ remainingMs }) => warnings.push(remainingMs));
    await client.register({ username: 'heidi', password: PASSWORD });
    const session = await client.login({ username: 'heidi', password: PASSWORD });
    assert.ok(Math.abs(session.sessionExpiresAt - (clock.now + 3_600_000)) <= 1_000);
    clock.tick(3_600_000 - 599_000);
    await client.me();
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0]! <= 600_000 && warnings[0]! > 590_000);
    await client.logout();
    assert.equal(client.session, null);
    client.dispose();
  });
});

/**
 * A fetch that behaves like a browser for cookies: it keeps the server's cookies, sends them
 * back on `credentials: 'include'` requests under their Path, and adds the page's Origin.
 */
function browserLikeFetch(pageOrigin: string) {
  const jar = new Map<string, { value: string; path: string }>();
  const setCookies: string[] = [];
  const impl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? new Request(input, init) : new Request(String(input), init);
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set('origin', pageOrigin);
    const cookies = [...jar]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([k, c]) => `${k}=${c.value}`);
    if (request.credentials === 'include' && cookies.length > 0) headers.set('cookie', cookies.join('; '));
    paths.push(url.pathname);
    const response = await fetch(new Request(request, { headers }));
    for (const line of response.headers.getSetCookie()) {
      setCookies.push(line);
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const gone = value === '' || attributes.some((a) => /^max-age=(0|-)/i.test(a));
      if (gone) jar.delete(name);
      else jar.set(name, { value, path });
    }
    return response;
  }) as typeof fetch;
  return { fetch: impl, jar, setCookies };
}

describe('cookie mode against the real auth server', () => {
  test('the refresh token lives only in the HttpOnly cookie; refresh and logout use it with the CSRF header', async () => {
    const browser = browserLikeFetch(PAGE_ORIGIN);
    const client = createClient({ baseUrl, fetch: browser.fetch, clock: () => clock.now, cookieMode: true });
    await client.register({ username: 'ivan', password: PASSWORD });
    await client.login({ username: 'ivan', password: PASSWORD });
    assert.ok(browser.setCookies.some((c) => /httponly/i.test(c) && /samesite=strict/i.test(c)));
    assert.doesNotMatch(JSON.stringify(client.session), /ghr_/);
    const refreshesBefore = count('/auth/token');
    // A reloaded page: no tokens in memory, the cookie resumes the session.
    const reloaded = createClient({
      baseUrl,
      fetch: browser.fetch,
      clock: () => clock.now,
      cookieMode: true,
    });
    assert.equal((await reloaded.me()).username, 'ivan');
    clock.tick(61_000);
    assert.equal((await reloaded.me()).username, 'ivan');
    assert.equal(count('/auth/token'), refreshesBefore + 2, 'resume, then refresh after expiry, by cookie');
    await reloaded.logout();
    const third = createClient({ baseUrl, fetch: browser.fetch, clock: () => clock.now, cookieMode: true });
    // The logout cleared the cookie: a new page has no session.
    await assert.rejects(third.me(), { code: 'INVALID_REFRESH_TOKEN' });
    assert.equal(browser.jar.size, 0);
    client.dispose();
    reloaded.dispose();
    third.dispose();
  });
});
