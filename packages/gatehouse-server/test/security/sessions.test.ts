/**
 * Session attacks over real HTTP: refresh-token reuse (RFC 9700 section 4.14), the refresh
 * cookie's flags as a browser receives them, and cross-site use of the cookie.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { http, loginLive, PASSWORD, startLive } from './helpers.js';

describe('refresh-token reuse', () => {
  test('a rotated token presented after the grace period ends the whole session, access tokens included', async () => {
    let now = Date.UTC(2030, 0, 1);
    const live = await startLive({ clock: () => now });
    try {
      const pair = await loginLive(live, 'reuse-victim');
      const rotated = await http(live, 'POST', '/auth/token', {
        body: { refresh_token: pair.refresh_token },
      });
      assert.equal(rotated.status, 200);
      const next = rotated.json();
      // Within the grace period the same successor comes back (parallel tabs), not a fork.
      const twin = await http(live, 'POST', '/auth/token', { body: { refresh_token: pair.refresh_token } });
      assert.equal(twin.json().refresh_token, next.refresh_token);
      now += 11_000;
      const stolen = await http(live, 'POST', '/auth/token', { body: { refresh_token: pair.refresh_token } });
      assert.equal(stolen.status, 401);
      assert.equal(stolen.json().code, 'REFRESH_TOKEN_REUSED');
      // The legitimate holder's newer token and every access token of the session are dead.
      const legit = await http(live, 'POST', '/auth/token', { body: { refresh_token: next.refresh_token } });
      assert.equal(legit.status, 401);
      assert.equal((await http(live, 'GET', '/auth/me', { token: next.access_token })).status, 401);
      assert.equal((await http(live, 'GET', '/auth/me', { token: pair.access_token })).status, 401);
      // Malformed and unknown refresh tokens: 401 INVALID_REFRESH_TOKEN (400 when over the
      // schema's length cap, like an access token passed by mistake).
      for (const t of ['ghr_', 'x', `ghr_${'A'.repeat(43)}`, pair.access_token]) {
        const res = await http(live, 'POST', '/auth/token', { body: { refresh_token: t } });
        assert.ok(['INVALID_REFRESH_TOKEN', 'VALIDATION_FAILED'].includes(res.json().code), t.slice(0, 8));
        assert.ok(!res.text.includes(t.slice(4, 20)) || t.length < 8, 'the token is not echoed');
      }
    } finally {
      await live.close();
    }
  });
});

describe('the refresh cookie in a browser', () => {
  test('flags as received over HTTP: HttpOnly, SameSite=Strict, Path=/auth; Secure off only on loopback http', async () => {
    const live = await startLive();
    try {
      await http(live, 'POST', '/auth/register', { body: { username: 'cookie-flags', password: PASSWORD } });
      const res = await http(live, 'POST', '/auth/login', {
        body: { username: 'cookie-flags', password: PASSWORD },
      });
      const cookies = res.headers.getSetCookie();
      assert.equal(cookies.length, 1);
      const attrs = (cookies[0] ?? '').split(';').map((s) => s.trim());
      assert.match(attrs[0] ?? '', /^gatehouse_refresh=ghr_[A-Za-z0-9_-]{43,}$/);
      for (const a of ['HttpOnly', 'SameSite=Strict', 'Path=/auth']) assert.ok(attrs.includes(a), a);
      assert.ok(!attrs.includes('Secure'), 'issuer http://127.0.0.1: no Secure');
      assert.ok(!attrs.some((a) => /^Domain=/i.test(a)), 'host-only cookie');
    } finally {
      await live.close();
    }
    const tls = await startLive({ env: { GATEHOUSE_ISSUER: 'https://auth.example.com' } });
    try {
      await http(tls, 'POST', '/auth/register', { body: { username: 'cookie-tls', password: PASSWORD } });
      const res = await http(tls, 'POST', '/auth/login', {
        body: { username: 'cookie-tls', password: PASSWORD },
      });
      assert.ok(
        res.headers
          .getSetCookie()[0]
          ?.split(';')
          .map((s) => s.trim())
          .includes('Secure'),
      );
    } finally {
      await tls.close();
    }
  });

  test('CSRF: a foreign page cannot refresh or log out with the cookie; the own origin can', async () => {
    const live = await startLive();
    try {
      const pair = await loginLive(live, 'csrf-victim');
      const cookie = `gatehouse_refresh=${pair.refresh_token}`;
      const foreign = {
        cookie,
        origin: 'https://evil.example',
        'gatehouse-csrf': '1',
        'sec-fetch-site': 'cross-site',
      };
      for (const path of ['/auth/token', '/auth/logout']) {
        const res = await http(live, 'POST', path, { body: {}, headers: foreign });
        assert.equal(res.status, 403, path);
        assert.equal(res.json().code, 'CSRF_REJECTED');
        assert.equal(res.headers.get('access-control-allow-origin'), null);
      }
      // A "simple" cross-site form post (no custom header, a form body) gets nowhere either.
      const form = await http(live, 'POST', '/auth/logout', {
        raw: 'refresh_token=x',
        headers: {
          cookie,
          origin: 'https://evil.example',
          'content-type': 'application/x-www-form-urlencoded',
        },
      });
      assert.equal(form.status, 415);
      assert.equal(
        (await http(live, 'GET', '/auth/me', { token: pair.access_token })).status,
        200,
        'session alive',
      );
      const own = await http(live, 'POST', '/auth/token', {
        body: {},
        headers: {
          cookie,
          origin: 'http://127.0.0.1:5000',
          'gatehouse-csrf': '1',
          'sec-fetch-site': 'same-origin',
        },
      });
      assert.equal(own.status, 200);
    } finally {
      await live.close();
    }
  });
});
