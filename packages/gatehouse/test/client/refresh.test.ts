/**
 * Refresh logic of the client against the fake contract server: single-flight, refresh before
 * expiry judged on the server's clock (skew), one refresh and one retry on a 401.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createClient } from '../../src/client/index.js';
import { API, AUTH, createFakeServer, manualClock } from './fake-server.js';

const LOGIN = { username: 'alice', password: 'correct horse' };

function setup(opts: { skewMs?: number; accessTtl?: number; refreshMargin?: number } = {}) {
  const clock = manualClock();
  const server = createFakeServer({
    now: () => clock.now + (opts.skewMs ?? 0),
    accessTtl: opts.accessTtl ?? 60,
  });
  const client = createClient({
    baseUrl: AUTH,
    fetch: server.fetch,
    clock: clock.read,
    tokenOrigins: [API],
    refreshMargin: opts.refreshMargin ?? 10,
  });
  return { clock, server, client };
}

describe('single-flight refresh', () => {
  test('50 concurrent calls with an expired access token share exactly one /auth/token', async () => {
    const { clock, server, client } = setup();
    await client.login(LOGIN);
    clock.tick(61_000);
    let release!: () => void;
    server.hooks.tokenDelay = new Promise<void>((r) => {
      release = r;
    });
    const pending = Array.from({ length: 50 }, () => client.fetch(`${API}/articles`));
    await new Promise((r) => setTimeout(r, 10));
    release();
    const responses = await Promise.all(pending);
    assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([200]));
    assert.equal(server.count('/auth/token'), 1);
    assert.equal(server.count('/articles'), 50);
  });

  test('concurrent 401s on a fresh-looking token also share one refresh', async () => {
    const { server, client } = setup();
    await client.login(LOGIN);
    const token = await client.getAccessToken();
    server.revokeAccess(token);
    const responses = await Promise.all(Array.from({ length: 20 }, () => client.fetch(`${API}/articles`)));
    assert.ok(responses.every((r) => r.status === 200));
    assert.equal(server.count('/auth/token'), 1);
    assert.equal(server.count('/articles'), 40, 'each call: one refused attempt, one retry');
  });

  test('explicit refresh() calls in parallel are one request; each rotates the token', async () => {
    const { server, client } = setup();
    await client.login(LOGIN);
    const [a, b] = await Promise.all([client.refresh(), client.refresh()]);
    assert.equal(a.accessTokenExpiresAt, b.accessTokenExpiresAt);
    assert.equal(server.count('/auth/token'), 1);
    await client.refresh();
    assert.equal(server.count('/auth/token'), 2);
  });
});

describe('refresh before expiry', () => {
  test('no refresh while fresh; a refresh once inside the margin, before the server would refuse', async () => {
    const { clock, server, client } = setup({ refreshMargin: 10 });
    await client.login(LOGIN);
    clock.tick(49_000);
    assert.equal((await client.fetch(`${API}/x`)).status, 200);
    assert.equal(server.count('/auth/token'), 0);
    clock.tick(2_000); // 51 s of 60: inside the 10 s margin
    assert.equal((await client.fetch(`${API}/x`)).status, 200);
    assert.equal(server.count('/auth/token'), 1);
    assert.equal(server.calls.filter((c) => c.url.startsWith(API)).length, 2, 'no refused attempt');
  });

  test('a server clock one hour ahead (or behind) does not change when the client refreshes', async () => {
    for (const skewMs of [3_600_000, -3_600_000]) {
      const { clock, server, client } = setup({ skewMs, refreshMargin: 10 });
      const session = await client.login(LOGIN);
      assert.ok(Math.abs(session.clockOffset - skewMs) < 1_000, `offset ${session.clockOffset}`);
      assert.ok(Math.abs(session.accessTokenExpiresAt - (clock.now + 60_000)) <= 1_000);
      clock.tick(30_000);
      await client.getAccessToken();
      assert.equal(server.count('/auth/token'), 0, `skew ${skewMs}: no early refresh`);
      clock.tick(25_000);
      await client.getAccessToken();
      assert.equal(server.count('/auth/token'), 1, `skew ${skewMs}: refreshed inside the margin`);
    }
  });

  test('the margin is capped at half the life of a short-lived token', async () => {
    const { clock, server, client } = setup({ accessTtl: 2, refreshMargin: 30 });
    await client.login(LOGIN);
    clock.tick(900);
    await client.getAccessToken();
    assert.equal(server.count('/auth/token'), 0);
    clock.tick(200);
    await client.getAccessToken();
    assert.equal(server.count('/auth/token'), 1);
  });
});

describe('401 handling', () => {
  test('a resource that always answers 401: one refresh, one retry, then the 401 is returned', async () => {
    const { server, client } = setup();
    await client.login(LOGIN);
    server.hooks.resource = () => new Response('nope', { status: 401 });
    const res = await client.fetch(`${API}/always-401`);
    assert.equal(res.status, 401);
    assert.equal(server.count('/auth/token'), 1);
    assert.equal(server.count('/always-401'), 2);
  });

  test('the retry replays method, headers and body', async () => {
    const { server, client } = setup();
    await client.login(LOGIN);
    server.revokeAccess(await client.getAccessToken());
    const res = await client.fetch(`${API}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trace': 't1' },
      body: JSON.stringify({ a: 1 }),
    });
    assert.equal(res.status, 200);
    const attempts = server.calls.filter((c) => c.path === '/items');
    assert.equal(attempts.length, 2);
    for (const a of attempts) {
      assert.equal(a.method, 'POST');
      assert.equal(a.body, '{"a":1}');
      assert.equal(a.headers.get('x-trace'), 't1');
      assert.match(a.headers.get('authorization') ?? '', /^Bearer /);
    }
    assert.notEqual(attempts[0]!.headers.get('authorization'), attempts[1]!.headers.get('authorization'));
  });

  test('non-401 errors are returned untouched, without a refresh', async () => {
    const { server, client } = setup();
    await client.login(LOGIN);
    server.hooks.resource = () => new Response('no', { status: 403 });
    assert.equal((await client.fetch(`${API}/admin`)).status, 403);
    assert.equal(server.count('/auth/token'), 0);
  });

  test('the token is never sent to an origin that is not allowed', async () => {
    const { server, client } = setup();
    await client.login(LOGIN);
    await assert.rejects(client.fetch('https://evil.test/steal'), {
      code: 'OPTION_INVALID',
      reason: 'origin_not_allowed',
    });
    assert.equal(server.calls.filter((c) => c.url.startsWith('https://evil.test')).length, 0);
  });

  test('relative URLs resolve against the auth server in Node', async () => {
    const { server, client } = setup();
    await client.login(LOGIN);
    const res = await client.fetch('/auth/me');
    assert.equal(res.status, 200);
    assert.equal(server.calls.at(-1)!.url, `${AUTH}/auth/me`);
  });
});
