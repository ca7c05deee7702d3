/** The contract's table (CONTRACT.md section 2) for the /auth/* endpoints of issue 4. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, type Harness, login, PASSWORD, problem, startServer } from './helpers.js';

describe('auth endpoints', () => {
  let h: Harness;
  before(async () => {
    h = await startServer();
  });
  after(async () => {
    await h.close();
  });

  test('register: 201 {id, username, roles, createdAt}; 409 USERNAME_TAKEN case-insensitively after NFKC', async () => {
    const res = await call(h.server, 'POST', '/auth/register', {
      body: { username: 'Reg_User', password: PASSWORD },
    });
    assert.equal(res.statusCode, 201);
    const user = res.json();
    assert.deepEqual(Object.keys(user).sort(), ['createdAt', 'id', 'roles', 'username']);
    assert.equal(user.username, 'Reg_User');
    assert.deepEqual(user.roles, []);
    assert.ok(!Number.isNaN(Date.parse(user.createdAt)));
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');

    const again = await call(h.server, 'POST', '/auth/register', {
      body: { username: 'ｒｅｇ_ｕｓｅｒ', password: PASSWORD },
    });
    assert.equal(again.statusCode, 409);
    assert.equal(problem(again).code, 'USERNAME_TAKEN');
  });

  test('register: 400 VALIDATION_FAILED for a short username or a short password', async () => {
    for (const body of [
      { username: 'ab', password: PASSWORD },
      { username: 'valid_name', password: 'short' },
      { username: 'a'.repeat(65), password: PASSWORD },
    ]) {
      const res = await call(h.server, 'POST', '/auth/register', { body });
      assert.equal(res.statusCode, 400, JSON.stringify(body).slice(0, 40));
      assert.equal(problem(res).code, 'VALIDATION_FAILED');
    }
  });

  test('login: 200 token pair with Cache-Control: no-store', async () => {
    await call(h.server, 'POST', '/auth/register', { body: { username: 'bob', password: PASSWORD } });
    const res = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'BOB', password: PASSWORD },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const pair = res.json();
    assert.deepEqual(Object.keys(pair).sort(), [
      'access_token',
      'expires_in',
      'refresh_expires_in',
      'refresh_token',
      'session_id',
      'token_type',
    ]);
    assert.equal(pair.token_type, 'Bearer');
    assert.equal(pair.expires_in, 15 * 60);
    assert.match(pair.refresh_token, /^ghr_[A-Za-z0-9_-]{43,}$/);
    assert.equal(pair.refresh_expires_in, 30 * 24 * 3600);
    const header = JSON.parse(Buffer.from(pair.access_token.split('.')[0], 'base64url').toString());
    assert.equal(header.typ, 'at+jwt');
    assert.equal(header.alg, 'ES256');
  });

  test('login: unknown user and wrong password give the same 401 INVALID_CREDENTIALS body', async () => {
    await call(h.server, 'POST', '/auth/register', { body: { username: 'carol', password: PASSWORD } });
    const wrong = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'carol', password: 'wrong password' },
    });
    const unknown = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'nobody', password: PASSWORD },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(problem(wrong), problem(unknown));
    assert.equal(problem(wrong).code, 'INVALID_CREDENTIALS');
    assert.equal(wrong.headers['www-authenticate'], undefined);
  });

  test('login: 403 ACCOUNT_LOCKED only after a correct password', async () => {
    await call(h.server, 'POST', '/auth/register', { body: { username: 'dave', password: PASSWORD } });
    await h.server.service.admin.lockUser('dave', null);
    const right = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'dave', password: PASSWORD },
    });
    assert.equal(right.statusCode, 403);
    assert.equal(problem(right).code, 'ACCOUNT_LOCKED');
    const wrong = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'dave', password: 'not the password' },
    });
    assert.equal(problem(wrong).code, 'INVALID_CREDENTIALS');
  });

  test('login: 429 TOO_MANY_ATTEMPTS with Retry-After after 10 failures', async () => {
    await call(h.server, 'POST', '/auth/register', { body: { username: 'erin', password: PASSWORD } });
    let last = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'erin', password: 'wrong-0000' },
    });
    for (let i = 1; i < 12; i++) {
      last = await call(h.server, 'POST', '/auth/login', {
        body: { username: 'erin', password: `wrong-${i}xxxx` },
      });
    }
    // Throttled: a correct password is refused too, with the throttle's answer.
    const res = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'erin', password: PASSWORD },
    });
    assert.equal(res.statusCode, 429);
    assert.equal(problem(res).code, 'TOO_MANY_ATTEMPTS');
    assert.match(String(res.headers['retry-after']), /^[1-9]\d*$/);
    assert.ok([401, 429].includes(last.statusCode));
  });

  test('token: 200 new pair; the old refresh token stops working after the grace period', async () => {
    const pair = await login(h.server, 'frank');
    const res = await call(h.server, 'POST', '/auth/token', { body: { refresh_token: pair.refresh_token } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const next = res.json();
    assert.notEqual(next.refresh_token, pair.refresh_token);
    assert.equal(next.session_id, pair.session_id);
  });

  test('token: 401 INVALID_REFRESH_TOKEN for an unknown token', async () => {
    const res = await call(h.server, 'POST', '/auth/token', {
      body: { refresh_token: `ghr_${'A'.repeat(43)}` },
    });
    assert.equal(res.statusCode, 401);
    assert.equal(problem(res).code, 'INVALID_REFRESH_TOKEN');
  });

  test('logout: 204, idempotent, and the session ends with its access tokens', async () => {
    const pair = await login(h.server, 'gina');
    const first = await call(h.server, 'POST', '/auth/logout', {
      body: { refresh_token: pair.refresh_token },
    });
    assert.equal(first.statusCode, 204);
    assert.equal(first.body, '');
    const second = await call(h.server, 'POST', '/auth/logout', {
      body: { refresh_token: pair.refresh_token },
    });
    assert.equal(second.statusCode, 204);
    const unknown = await call(h.server, 'POST', '/auth/logout', { body: { refresh_token: 'ghr_unknown' } });
    assert.equal(unknown.statusCode, 204);
    const me = await call(h.server, 'GET', '/auth/me', { token: pair.access_token });
    assert.equal(me.statusCode, 401);
    const refresh = await call(h.server, 'POST', '/auth/token', {
      body: { refresh_token: pair.refresh_token },
    });
    assert.equal(refresh.statusCode, 401);
  });

  test('me: 200 {id, username, roles, sessionId}; 401 with WWW-Authenticate without a token', async () => {
    const pair = await login(h.server, 'hank');
    const res = await call(h.server, 'GET', '/auth/me', { token: pair.access_token });
    assert.equal(res.statusCode, 200);
    const me = res.json();
    assert.deepEqual(Object.keys(me).sort(), ['id', 'roles', 'sessionId', 'username']);
    assert.equal(me.username, 'hank');
    assert.equal(me.sessionId, pair.session_id);

    const none = await call(h.server, 'GET', '/auth/me');
    assert.equal(none.statusCode, 401);
    assert.equal(problem(none).code, 'UNAUTHORIZED');
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="gatehouse"');
  });

  test('Bearer: scheme case-insensitive; other schemes, query tokens and bad tokens are refused', async () => {
    const pair = await login(h.server, 'ivan');
    const lower = await call(h.server, 'GET', '/auth/me', {
      headers: { authorization: `bearer ${pair.access_token}` },
    });
    assert.equal(lower.statusCode, 200);
    const upper = await call(h.server, 'GET', '/auth/me', {
      headers: { authorization: `BEARER  ${pair.access_token}` },
    });
    assert.equal(upper.statusCode, 200);

    const basic = await call(h.server, 'GET', '/auth/me', {
      headers: { authorization: 'Basic YWxpY2U6cHc=' },
    });
    assert.equal(basic.statusCode, 401);
    assert.equal(basic.headers['www-authenticate'], 'Bearer realm="gatehouse"');

    const empty = await call(h.server, 'GET', '/auth/me', { headers: { authorization: 'Bearer' } });
    assert.equal(empty.statusCode, 401);
    assert.match(String(empty.headers['www-authenticate']), /error="invalid_request"/);

    // A token in the query string is never read: no Authorization header means no token.
    const query = await call(h.server, 'GET', `/auth/me?access_token=${pair.access_token}`);
    assert.equal(query.statusCode, 401);
    assert.equal(problem(query).code, 'UNAUTHORIZED');
    assert.ok(!query.body.includes(pair.access_token));
    const extra = await call(h.server, 'GET', `/auth/me?access_token=${pair.access_token}`, {
      token: pair.access_token,
    });
    assert.equal(extra.statusCode, 400);
    assert.equal(problem(extra).code, 'VALIDATION_FAILED');
    assert.ok(!extra.body.includes(pair.access_token));

    const [head, payload] = pair.access_token.split('.');
    for (const bad of ['not-a-jwt', `${head}.${payload}.`, `${head}.${payload}.AAAA`, 'a.b.c']) {
      const res = await call(h.server, 'GET', '/auth/me', { token: bad });
      assert.equal(res.statusCode, 401, bad);
      assert.match(
        String(res.headers['www-authenticate']),
        /^Bearer realm="gatehouse", error="invalid_token"/,
      );
      const body = problem(res);
      assert.ok(!res.body.includes(bad === 'a.b.c' ? 'a.b.c' : payload!), 'token echoed');
      assert.notEqual(body.code, 'INTERNAL_ERROR');
    }
  });

  test('sessions: list with current flag; DELETE own 204, foreign or unknown 404', async () => {
    const a1 = await login(h.server, 'judy');
    const a2 = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'judy', password: PASSWORD },
      headers: { 'user-agent': 'second-device' },
    });
    const other = await login(h.server, 'kim');
    const list = await call(h.server, 'GET', '/auth/sessions', { token: a1.access_token });
    assert.equal(list.statusCode, 200);
    const sessions = list.json() as { id: string; current: boolean; userAgent: string | null }[];
    assert.equal(sessions.length, 2);
    assert.equal(sessions.find((s) => s.current)?.id, a1.session_id);
    assert.equal(sessions.find((s) => !s.current)?.userAgent, 'second-device');
    for (const s of sessions) {
      assert.deepEqual(Object.keys(s).sort(), [
        'createdAt',
        'current',
        'expiresAt',
        'id',
        'ip',
        'lastUsedAt',
        'userAgent',
      ]);
    }

    const foreign = await call(h.server, 'DELETE', `/auth/sessions/${other.session_id}`, {
      token: a1.access_token,
    });
    assert.equal(foreign.statusCode, 404);
    assert.equal(problem(foreign).code, 'NOT_FOUND');
    const unknown = await call(h.server, 'DELETE', '/auth/sessions/does-not-exist', {
      token: a1.access_token,
    });
    assert.equal(unknown.statusCode, 404);

    const del = await call(h.server, 'DELETE', `/auth/sessions/${a2.json().session_id}`, {
      token: a1.access_token,
    });
    assert.equal(del.statusCode, 204);
    const after = await call(h.server, 'GET', '/auth/sessions', { token: a1.access_token });
    assert.equal(after.json().length, 1);
    const gone = await call(h.server, 'GET', '/auth/me', { token: a2.json().access_token });
    assert.equal(gone.statusCode, 401);
    const otherStill = await call(h.server, 'GET', '/auth/me', { token: other.access_token });
    assert.equal(otherStill.statusCode, 200);
  });

  test('logout-all: 204 and every session of the user ends', async () => {
    const a = await login(h.server, 'leo');
    const b = (
      await call(h.server, 'POST', '/auth/login', { body: { username: 'leo', password: PASSWORD } })
    ).json();
    const res = await call(h.server, 'POST', '/auth/logout-all', { token: a.access_token });
    assert.equal(res.statusCode, 204);
    for (const t of [a, b]) {
      assert.equal((await call(h.server, 'GET', '/auth/me', { token: t.access_token })).statusCode, 401);
      const r = await call(h.server, 'POST', '/auth/token', { body: { refresh_token: t.refresh_token } });
      assert.equal(r.statusCode, 401);
    }
    const noAuth = await call(h.server, 'POST', '/auth/logout-all');
    assert.equal(noAuth.statusCode, 401);
  });

  test('password: 204 and the other sessions end; 401 for a wrong current password; 400 for a bad new one', async () => {
    const a = await login(h.server, 'mia');
    const b = (
      await call(h.server, 'POST', '/auth/login', { body: { username: 'mia', password: PASSWORD } })
    ).json();
    const wrong = await call(h.server, 'POST', '/auth/password', {
      token: a.access_token,
      body: { current_password: 'not it at all', new_password: 'a brand new password' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(problem(wrong).code, 'INVALID_CREDENTIALS');
    const weak = await call(h.server, 'POST', '/auth/password', {
      token: a.access_token,
      body: { current_password: PASSWORD, new_password: 'short' },
    });
    assert.equal(weak.statusCode, 400);
    assert.equal(problem(weak).code, 'VALIDATION_FAILED');

    const ok = await call(h.server, 'POST', '/auth/password', {
      token: a.access_token,
      body: { current_password: PASSWORD, new_password: 'a brand new password' },
    });
    assert.equal(ok.statusCode, 204);
    assert.equal((await call(h.server, 'GET', '/auth/me', { token: b.access_token })).statusCode, 401);
    // The caller's session survives (its refresh token still works); access tokens issued
    // before the change are cut off for every session, the caller's included.
    const kept = await call(h.server, 'POST', '/auth/token', { body: { refresh_token: a.refresh_token } });
    assert.equal(kept.statusCode, 200);
    assert.equal(
      (await call(h.server, 'GET', '/auth/me', { token: kept.json().access_token })).statusCode,
      200,
    );
    const ended = await call(h.server, 'POST', '/auth/token', { body: { refresh_token: b.refresh_token } });
    assert.equal(ended.statusCode, 401);
    const oldLogin = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'mia', password: PASSWORD },
    });
    assert.equal(oldLogin.statusCode, 401);
    const newLogin = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'mia', password: 'a brand new password' },
    });
    assert.equal(newLogin.statusCode, 200);
  });
});

describe('registration closed', () => {
  test('403 REGISTRATION_CLOSED when GATEHOUSE_OPEN_REGISTRATION=false', async () => {
    const h = await startServer({ env: { GATEHOUSE_OPEN_REGISTRATION: 'false' } });
    try {
      const res = await call(h.server, 'POST', '/auth/register', {
        body: { username: 'nora', password: PASSWORD },
      });
      assert.equal(res.statusCode, 403);
      assert.equal(problem(res).code, 'REGISTRATION_CLOSED');
    } finally {
      await h.close();
    }
  });
});
