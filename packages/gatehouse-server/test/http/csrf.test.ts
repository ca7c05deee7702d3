/**
 * CSRF for requests authenticated by the refresh cookie alone: `Gatehouse-CSRF: 1` plus an
 * Origin that is the server's own or in GATEHOUSE_CORS_ORIGINS, else 403 CSRF_REJECTED;
 * `Sec-Fetch-Site: cross-site` refused unless the origin is allow-listed; preflight.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, type Harness, PASSWORD, problem, startServer } from './helpers.js';

const OWN = 'http://127.0.0.1:5000';
const APP = 'https://app.example.com';

describe('CSRF on cookie-authenticated requests', () => {
  let h: Harness;
  let cookie: string;
  let bodyToken: string;
  before(async () => {
    h = await startServer({ env: { GATEHOUSE_CORS_ORIGINS: APP } });
    await call(h.server, 'POST', '/auth/register', { body: { username: 'dora', password: PASSWORD } });
    const res = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'dora', password: PASSWORD },
    });
    cookie = `gatehouse_refresh=${res.json().refresh_token}`;
    bodyToken = (
      await call(h.server, 'POST', '/auth/login', { body: { username: 'dora', password: PASSWORD } })
    ).json().refresh_token;
  });
  after(() => h.close());

  const refused: [string, Record<string, string>][] = [
    ['no CSRF header', { origin: OWN }],
    ['CSRF header 0', { origin: OWN, 'gatehouse-csrf': '0' }],
    ['CSRF header true', { origin: OWN, 'gatehouse-csrf': 'true' }],
    ['no Origin', { 'gatehouse-csrf': '1' }],
    ['foreign Origin', { origin: 'https://evil.example', 'gatehouse-csrf': '1' }],
    ['null Origin', { origin: 'null', 'gatehouse-csrf': '1' }],
    ['look-alike Origin', { origin: 'http://127.0.0.1:5000.evil.example', 'gatehouse-csrf': '1' }],
    ['own Origin, other port', { origin: 'http://127.0.0.1:5001', 'gatehouse-csrf': '1' }],
    [
      'own Origin but Sec-Fetch-Site cross-site',
      { origin: OWN, 'gatehouse-csrf': '1', 'sec-fetch-site': 'cross-site' },
    ],
  ];

  for (const [label, headers] of refused) {
    for (const path of ['/auth/token', '/auth/logout']) {
      test(`${path}: ${label} → 403 CSRF_REJECTED, nothing changes`, async () => {
        const res = await call(h.server, 'POST', path, { body: {}, headers: { ...headers, cookie } });
        assert.equal(res.statusCode, 403);
        assert.equal(problem(res).code, 'CSRF_REJECTED');
        assert.equal(res.headers['set-cookie'], undefined);
      });
    }
  }

  test('the session survived every refused attempt; own origin and an allow-listed one pass', async () => {
    const own = await call(h.server, 'POST', '/auth/token', {
      body: {},
      headers: { cookie, origin: OWN, 'gatehouse-csrf': '1', 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(own.statusCode, 200, own.body);
    cookie = String(own.headers['set-cookie']).split(';')[0] ?? '';
    const app = await call(h.server, 'POST', '/auth/token', {
      body: {},
      headers: { cookie, origin: APP, 'gatehouse-csrf': '1', 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(app.statusCode, 200, app.body);
    assert.equal(app.headers['access-control-allow-origin'], APP);
    assert.equal(app.headers['access-control-allow-credentials'], 'true');
  });

  test('a body token needs no CSRF header (a foreign page cannot read it to send it)', async () => {
    const res = await call(h.server, 'POST', '/auth/token', {
      body: { refresh_token: bodyToken },
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  test('preflight allows Gatehouse-CSRF with credentials for allowed origins only; never *', async () => {
    const ok = await h.server.app.inject({
      method: 'OPTIONS',
      url: '/auth/token',
      headers: {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'gatehouse-csrf, content-type',
      },
    });
    assert.equal(ok.headers['access-control-allow-origin'], APP);
    assert.equal(ok.headers['access-control-allow-credentials'], 'true');
    assert.match(String(ok.headers['access-control-allow-headers']), /gatehouse-csrf/i);
    const evil = await h.server.app.inject({
      method: 'OPTIONS',
      url: '/auth/token',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(evil.headers['access-control-allow-origin'], undefined);
    assert.equal(evil.headers['access-control-allow-headers'], undefined);
    for (const res of [ok, evil]) assert.notEqual(res.headers['access-control-allow-origin'], '*');
  });
});

describe('CORS is closed by default', () => {
  test('no origin is reflected when GATEHOUSE_CORS_ORIGINS is empty; the own origin still passes CSRF', async () => {
    const h = await startServer();
    try {
      const res = await call(h.server, 'GET', '/healthz', { headers: { origin: OWN } });
      assert.equal(res.headers['access-control-allow-origin'], undefined);
      const login = await call(h.server, 'POST', '/auth/register', {
        body: { username: 'eve1', password: PASSWORD },
      });
      assert.equal(login.statusCode, 201);
      const pair = (
        await call(h.server, 'POST', '/auth/login', { body: { username: 'eve1', password: PASSWORD } })
      ).json();
      const ok = await call(h.server, 'POST', '/auth/logout', {
        body: {},
        headers: { cookie: `gatehouse_refresh=${pair.refresh_token}`, origin: OWN, 'gatehouse-csrf': '1' },
      });
      assert.equal(ok.statusCode, 204);
    } finally {
      await h.close();
    }
  });
});
