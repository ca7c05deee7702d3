/** Cookie mode (GATEHOUSE_COOKIE_MODE off | both | only): flags, transport, logout, refresh races. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cookieSecure, readCookie, serializeCookie } from '../../src/http/cookies.js';
import { call, type Harness, PASSWORD, problem, startServer } from './helpers.js';

const OWN = 'http://127.0.0.1:5000';
const CSRF = { 'gatehouse-csrf': '1', origin: OWN };

function setCookie(res: { headers: Record<string, unknown> }): string {
  const v = res.headers['set-cookie'];
  return Array.isArray(v) ? String(v[0]) : String(v ?? '');
}

function cookieValue(res: { headers: Record<string, unknown> }): string {
  return /^gatehouse_refresh=([^;]*)/.exec(setCookie(res))?.[1] ?? '';
}

async function loginIn(h: Harness, username = 'carol') {
  await call(h.server, 'POST', '/auth/register', { body: { username, password: PASSWORD } });
  const res = await call(h.server, 'POST', '/auth/login', { body: { username, password: PASSWORD } });
  assert.equal(res.statusCode, 200);
  return res;
}

describe('cookie helpers', () => {
  test('readCookie: exact name, ambiguity refused, malformed skipped', () => {
    assert.equal(readCookie('a=1; gatehouse_refresh=ghr_x; b=2', 'gatehouse_refresh'), 'ghr_x');
    assert.equal(readCookie('xgatehouse_refresh=1', 'gatehouse_refresh'), null);
    assert.equal(readCookie('gatehouse_refresh=a; gatehouse_refresh=b', 'gatehouse_refresh'), null);
    assert.equal(readCookie('gatehouse_refresh="ghr_q"', 'gatehouse_refresh'), 'ghr_q');
    assert.equal(readCookie('gatehouse_refresh=a b', 'gatehouse_refresh'), null);
    assert.equal(readCookie('gatehouse_refresh=', 'gatehouse_refresh'), null);
    assert.equal(readCookie(undefined, 'gatehouse_refresh'), null);
    assert.equal(readCookie(';;=;garbage', 'gatehouse_refresh'), null);
    assert.equal(readCookie(`gatehouse_refresh=${'a'.repeat(9000)}`, 'gatehouse_refresh'), null);
  });

  test('serializeCookie: attributes, deletion, refusal of bad values', () => {
    const attrs = { path: '/auth', maxAge: 60, secure: true, httpOnly: true, sameSite: 'Strict' } as const;
    assert.equal(
      serializeCookie('gatehouse_refresh', 'ghr_x', attrs),
      'gatehouse_refresh=ghr_x; Path=/auth; Max-Age=60; HttpOnly; SameSite=Strict; Secure',
    );
    assert.match(serializeCookie('n', '', { ...attrs, maxAge: 0 }), /Max-Age=0; Expires=Thu, 01 Jan 1970/);
    assert.throws(() => serializeCookie('n', 'a;b', attrs), TypeError);
    assert.throws(() => serializeCookie('a b', 'x', attrs), TypeError);
  });

  test('cookieSecure: only a plain-http loopback issuer goes without Secure', () => {
    assert.equal(cookieSecure('http://127.0.0.1:5000'), false);
    assert.equal(cookieSecure('http://localhost:5000'), false);
    assert.equal(cookieSecure('http://[::1]:5000'), false);
    assert.equal(cookieSecure('https://127.0.0.1'), true);
    assert.equal(cookieSecure('http://auth.example.com'), true);
    assert.equal(cookieSecure('http://127.0.0.1.evil.example'), true);
    assert.equal(cookieSecure('not a url'), true);
  });
});

describe('cookie mode both (default)', () => {
  test('login: token pair in the body AND an HttpOnly; SameSite=Strict; Path=/auth cookie (no Secure on loopback http)', async () => {
    const h = await startServer();
    try {
      const res = await loginIn(h);
      const pair = res.json();
      const c = setCookie(res);
      assert.equal(cookieValue(res), pair.refresh_token);
      for (const flag of [
        'HttpOnly',
        'SameSite=Strict',
        'Path=/auth',
        `Max-Age=${pair.refresh_expires_in}`,
      ]) {
        assert.ok(c.includes(flag), `${flag} in ${c.replace(/=ghr_[^;]*/, '=…')}`);
      }
      assert.ok(!/;\s*Secure/i.test(c));
      assert.equal(res.headers['cache-control'], 'no-store');
    } finally {
      await h.close();
    }
  });

  test('an https issuer makes the cookie Secure', async () => {
    const h = await startServer({ env: { GATEHOUSE_ISSUER: 'https://auth.example.com' } });
    try {
      assert.match(setCookie(await loginIn(h)), /; Secure$/);
    } finally {
      await h.close();
    }
  });

  test('a body refresh keeps the cookie in step; the body token wins over the cookie', async () => {
    const h = await startServer();
    try {
      const first = (await loginIn(h)).json();
      const res = await call(h.server, 'POST', '/auth/token', {
        body: { refresh_token: first.refresh_token },
        headers: { cookie: 'gatehouse_refresh=ghr_not_a_real_token' },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(cookieValue(res), res.json().refresh_token);
    } finally {
      await h.close();
    }
  });
});

describe('cookie mode only', () => {
  test('no refresh_token in the body; the cookie refreshes, rotates and logs out', async () => {
    const h = await startServer({ env: { GATEHOUSE_COOKIE_MODE: 'only' } });
    try {
      const res = await loginIn(h);
      assert.equal(res.json().refresh_token, undefined);
      assert.ok(res.json().access_token);
      const t1 = cookieValue(res);
      assert.match(t1, /^ghr_/);

      // A browser with no body at all, and one that sends {}.
      const r1 = await h.server.app.inject({
        method: 'POST',
        url: '/auth/token',
        headers: { ...CSRF, cookie: `gatehouse_refresh=${t1}` },
      });
      assert.equal(r1.statusCode, 200, r1.body);
      assert.equal(r1.json().refresh_token, undefined);
      const t2 = cookieValue(r1);
      assert.ok(t2 !== '' && t2 !== t1);
      const r2 = await call(h.server, 'POST', '/auth/token', {
        body: {},
        headers: { ...CSRF, cookie: `gatehouse_refresh=${t2}` },
      });
      assert.equal(r2.statusCode, 200);
      const t3 = cookieValue(r2);

      const out = await call(h.server, 'POST', '/auth/logout', {
        body: {},
        headers: { ...CSRF, cookie: `gatehouse_refresh=${t3}` },
      });
      assert.equal(out.statusCode, 204);
      assert.match(setCookie(out), /^gatehouse_refresh=; Path=\/auth; Max-Age=0;.*HttpOnly; SameSite=Strict/);
      const after = await call(h.server, 'POST', '/auth/token', {
        body: {},
        headers: { ...CSRF, cookie: `gatehouse_refresh=${t3}` },
      });
      assert.equal(problem(after).code, 'INVALID_REFRESH_TOKEN');
    } finally {
      await h.close();
    }
  });

  test('a refresh race: parallel requests with one cookie all succeed and set the SAME successor', async () => {
    const h = await startServer({ env: { GATEHOUSE_COOKIE_MODE: 'only' } });
    try {
      const t1 = cookieValue(await loginIn(h));
      const results = await Promise.all(
        Array.from({ length: 4 }, () =>
          call(h.server, 'POST', '/auth/token', {
            body: {},
            headers: { ...CSRF, cookie: `gatehouse_refresh=${t1}` },
          }),
        ),
      );
      for (const r of results) assert.equal(r.statusCode, 200, r.body);
      assert.equal(new Set(results.map(cookieValue)).size, 1, 'every answer sets the same cookie');
    } finally {
      await h.close();
    }
  });

  test('a failed refresh never touches the cookie (the jar may hold a newer token)', async () => {
    const h = await startServer({ env: { GATEHOUSE_COOKIE_MODE: 'only' } });
    try {
      const bad = await call(h.server, 'POST', '/auth/token', {
        body: {},
        headers: { ...CSRF, cookie: 'gatehouse_refresh=ghr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      });
      assert.equal(problem(bad).code, 'INVALID_REFRESH_TOKEN');
      assert.equal(bad.headers['set-cookie'], undefined);
    } finally {
      await h.close();
    }
  });

  test('no token at all: 401 for a cookie client (CSRF header sent), 400 otherwise; logout stays idempotent', async () => {
    const h = await startServer({ env: { GATEHOUSE_COOKIE_MODE: 'only' } });
    try {
      const browser = await call(h.server, 'POST', '/auth/token', { body: {}, headers: CSRF });
      assert.equal(problem(browser).code, 'INVALID_REFRESH_TOKEN');
      const script = await call(h.server, 'POST', '/auth/token', { body: {} });
      assert.equal(problem(script).code, 'VALIDATION_FAILED');
      const out = await call(h.server, 'POST', '/auth/logout', { body: {}, headers: CSRF });
      assert.equal(out.statusCode, 204);
      assert.match(setCookie(out), /Max-Age=0/);
    } finally {
      await h.close();
    }
  });
});

describe('cookie mode off', () => {
  test('no Set-Cookie, and a cookie is never read', async () => {
    const h = await startServer({ env: { GATEHOUSE_COOKIE_MODE: 'off' } });
    try {
      const res = await loginIn(h);
      assert.equal(res.headers['set-cookie'], undefined);
      const t = res.json().refresh_token;
      const viaCookie = await call(h.server, 'POST', '/auth/token', {
        body: {},
        headers: { ...CSRF, cookie: `gatehouse_refresh=${t}` },
      });
      assert.equal(problem(viaCookie).code, 'VALIDATION_FAILED');
      const out = await call(h.server, 'POST', '/auth/logout', { body: { refresh_token: t } });
      assert.equal(out.statusCode, 204);
      assert.equal(out.headers['set-cookie'], undefined);
    } finally {
      await h.close();
    }
  });
});
