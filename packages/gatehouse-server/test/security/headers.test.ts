/** Security headers on every response of a real server, errors and router failures included. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { http, type LiveServer, loginLive, startLive } from './helpers.js';

let live: LiveServer;
let token: string;
before(async () => {
  live = await startLive();
  token = (await loginLive(live, 'headers-user')).access_token;
});
after(() => live.close());

function assertSecurityHeaders(headers: Headers, label: string): void {
  assert.equal(headers.get('x-content-type-options'), 'nosniff', label);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', label);
  assert.equal(headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'", label);
  assert.equal(headers.get('x-frame-options'), 'DENY', label);
  assert.equal(headers.get('x-powered-by'), null, label);
  assert.equal(headers.get('server'), null, label);
}

describe('security headers', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['GET', '/healthz', {}],
    ['GET', '/.well-known/jwks.json', {}],
    ['GET', '/openapi.json', {}],
    ['GET', '/metrics', {}],
    ['GET', '/auth/me', {}],
    ['GET', '/no/such/route', {}],
    ['GET', '/auth/%zz', {}],
    ['POST', '/auth/login', { raw: '{not json' }],
    ['POST', '/auth/login', { raw: 'x'.repeat(20_000) }],
    ['POST', '/auth/login', { raw: 'a=b', headers: { 'content-type': 'text/html' } }],
    ['POST', '/auth/login', { body: { username: 'nobody', password: 'wrong-password' } }],
    ['OPTIONS', '/auth/login', { headers: { origin: 'https://evil.example' } }],
  ];
  for (const [method, path, options] of cases) {
    test(`${method} ${path} ${JSON.stringify(options).slice(0, 40)}`, async () => {
      const res = await http(live, method, path, options as never);
      assertSecurityHeaders(res.headers, `${method} ${path} → ${res.status}`);
      assert.ok(res.status < 500, `${res.status}`);
    });
  }

  test('every /auth/* answer is Cache-Control: no-store (tokens and user data never cached)', async () => {
    const me = await http(live, 'GET', '/auth/me', { token });
    assert.equal(me.status, 200);
    assert.equal(me.headers.get('cache-control'), 'no-store');
    const sessions = await http(live, 'GET', '/auth/sessions', { token });
    assert.equal(sessions.headers.get('cache-control'), 'no-store');
    const logoutAll = await http(live, 'POST', '/auth/logout-all', { token });
    assert.equal(logoutAll.status, 204);
    assert.equal(logoutAll.headers.get('cache-control'), 'no-store');
    const err = await http(live, 'POST', '/auth/token', { body: { refresh_token: 'ghr_nope' } });
    assert.equal(err.headers.get('cache-control'), 'no-store');
  });
});
