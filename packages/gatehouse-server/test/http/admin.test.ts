/** `/admin/*`: the role guard, pagination, lock/unlock, ending sessions, and the audit trail. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, faultyStore, type Harness, login, PASSWORD, problem, startServer } from './helpers.js';

async function makeAdmin(h: Harness, username = 'root'): Promise<string> {
  await h.server.service.admin.createUser({ username, password: PASSWORD, roles: ['admin'] });
  const res = await call(h.server, 'POST', '/auth/login', { body: { username, password: PASSWORD } });
  assert.equal(res.statusCode, 200);
  return res.json().access_token;
}

async function userId(h: Harness, name: string): Promise<string> {
  const user = await h.server.service.admin.findUser(name);
  assert.ok(user);
  return user.id;
}

describe('admin guard', () => {
  let h: Harness;
  let admin: string;
  let alice: { access_token: string };
  before(async () => {
    h = await startServer();
    admin = await makeAdmin(h);
    alice = await login(h.server, 'alice');
  });
  after(() => h.close());

  test('no token: 401 with the bare Bearer challenge', async () => {
    for (const [method, url] of [
      ['GET', '/admin/users'],
      ['POST', '/admin/users/x/lock'],
      ['POST', '/admin/users/x/unlock'],
      ['DELETE', '/admin/users/x/sessions'],
    ] as const) {
      const res = await call(h.server, method, url);
      assert.equal(res.statusCode, 401, url);
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="gatehouse"');
      problem(res);
    }
  });

  test('a bad token: 401 invalid_token', async () => {
    const res = await call(h.server, 'GET', '/admin/users', { token: 'not.a.jwt' });
    assert.equal(res.statusCode, 401);
    assert.match(String(res.headers['www-authenticate']), /^Bearer realm="gatehouse", error="invalid_token"/);
    problem(res);
    const basic = await call(h.server, 'GET', '/admin/users', {
      headers: { authorization: 'Basic Zm9vOmJhcg==' },
    });
    assert.equal(basic.statusCode, 401);
  });

  test('a non-admin: 403 INSUFFICIENT_SCOPE with error="insufficient_scope"', async () => {
    const id = await userId(h, 'alice');
    for (const [method, url] of [
      ['GET', '/admin/users'],
      ['POST', `/admin/users/${id}/lock`],
      ['POST', `/admin/users/${id}/unlock`],
      ['DELETE', `/admin/users/${id}/sessions`],
    ] as const) {
      const res = await call(h.server, method, url, { token: alice.access_token });
      assert.equal(res.statusCode, 403, url);
      assert.match(String(res.headers['www-authenticate']), /error="insufficient_scope"/);
      assert.equal(problem(res).code, 'INSUFFICIENT_SCOPE');
    }
    // Nothing happened to alice.
    const me = await call(h.server, 'GET', '/auth/me', { token: alice.access_token });
    assert.equal(me.statusCode, 200);
  });

  test('a revoked admin token is refused', async () => {
    const other = await makeAdmin(h, 'root2');
    const ok = await call(h.server, 'GET', '/admin/users', { token: other });
    assert.equal(ok.statusCode, 200);
    const out = await call(h.server, 'POST', '/auth/logout-all', { token: other });
    assert.equal(out.statusCode, 204);
    const res = await call(h.server, 'GET', '/admin/users', { token: other });
    assert.equal(res.statusCode, 401);
    assert.equal(problem(res).code, 'TOKEN_REVOKED');
    assert.ok(admin);
  });
});

describe('GET /admin/users', () => {
  let h: Harness;
  let admin: string;
  before(async () => {
    h = await startServer();
    admin = await makeAdmin(h, 'zz-admin');
    for (const name of ['bob', 'alice', 'carol', 'dave', 'Erin']) await login(h.server, name);
  });
  after(() => h.close());

  test('lists users in username order with lock state and live sessions', async () => {
    const res = await call(h.server, 'GET', '/admin/users', { token: admin });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers.link, undefined);
    const users = res.json();
    assert.deepEqual(
      users.map((u: { username: string }) => u.username),
      ['alice', 'bob', 'carol', 'dave', 'Erin', 'zz-admin'],
    );
    const alice = users[0];
    assert.equal(alice.locked, false);
    assert.equal(alice.activeSessions, 1);
    assert.deepEqual(alice.roles, []);
    assert.equal(typeof alice.id, 'string');
    assert.ok(!('passwordHash' in alice));
  });

  test('pages with limit and the Link cursor until the end', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/admin/users?limit=2';
    let pages = 0;
    while (url !== undefined) {
      const res = await call(h.server, 'GET', url, { token: admin });
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json() as { username: string }[];
      assert.ok(page.length <= 2);
      seen.push(...page.map((u) => u.username));
      const link = res.headers.link as string | undefined;
      url = link === undefined ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
      if (link !== undefined) assert.ok(url, link);
      pages += 1;
      assert.ok(pages < 10);
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, ['alice', 'bob', 'carol', 'dave', 'Erin', 'zz-admin']);
  });

  test('filters by part of the name, case-insensitively, keeping the filter across pages', async () => {
    const res = await call(h.server, 'GET', '/admin/users?filter=A', { token: admin });
    assert.deepEqual(
      res.json().map((u: { username: string }) => u.username),
      ['alice', 'carol', 'dave', 'zz-admin'],
    );
    const first = await call(h.server, 'GET', '/admin/users?filter=a&limit=3', { token: admin });
    const link = String(first.headers.link);
    assert.match(link, /filter=a/);
    const next = /^<([^>]+)>/.exec(link)?.[1];
    assert.ok(next);
    const second = await call(h.server, 'GET', next, { token: admin });
    assert.deepEqual(
      second.json().map((u: { username: string }) => u.username),
      ['zz-admin'],
    );
    const wild = await call(h.server, 'GET', '/admin/users?filter=%25', { token: admin });
    assert.deepEqual(wild.json(), []);
  });

  test('bad query: 400 VALIDATION_FAILED, never 5xx', async () => {
    for (const q of [
      'limit=0',
      'limit=abc',
      'limit=101',
      'limit=1000',
      'after=%21%21',
      'after=',
      'x=1',
      'limit=1&limit=2',
    ]) {
      const res = await call(h.server, 'GET', `/admin/users?${q}`, { token: admin });
      assert.equal(res.statusCode, 400, q);
      assert.equal(problem(res).code, 'VALIDATION_FAILED', q);
    }
    const long = await call(h.server, 'GET', `/admin/users?filter=${'a'.repeat(300)}`, { token: admin });
    assert.equal(long.statusCode, 400);
  });
});

describe('lock, unlock, end sessions', () => {
  let h: Harness;
  let admin: string;
  before(async () => {
    h = await startServer();
    admin = await makeAdmin(h);
  });
  after(() => h.close());

  test('unknown user: 404 NOT_FOUND', async () => {
    for (const [method, url] of [
      ['POST', '/admin/users/nobody/lock'],
      ['POST', '/admin/users/nobody/unlock'],
      ['DELETE', '/admin/users/nobody/sessions'],
      ['POST', `/admin/users/${'x'.repeat(129)}/lock`],
    ] as const) {
      const res = await call(h.server, method, url, { token: admin });
      assert.ok(res.statusCode === 404 || res.statusCode === 400, `${url}: ${res.statusCode}`);
      problem(res);
    }
    const res = await call(h.server, 'POST', '/admin/users/nobody/lock', { token: admin });
    assert.equal(problem(res).code, 'NOT_FOUND');
  });

  test('users are addressed by id, not by name', async () => {
    await login(h.server, 'frank');
    const res = await call(h.server, 'POST', '/admin/users/frank/lock', { token: admin });
    assert.equal(res.statusCode, 404);
  });

  test('a body on an action is refused', async () => {
    await login(h.server, 'gina');
    const id = await userId(h, 'gina');
    const res = await call(h.server, 'POST', `/admin/users/${id}/lock`, {
      token: admin,
      body: { now: true },
    });
    assert.equal(res.statusCode, 400);
    assert.equal((await h.server.service.admin.findUser(id))?.locked, false);
  });

  test('lock ends every session and blocks logins; unlock lets the user back in; all audited', async () => {
    const first = await login(h.server, 'carol');
    const second = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'carol', password: PASSWORD },
    });
    const id = await userId(h, 'carol');

    const res = await call(h.server, 'POST', `/admin/users/${id}/lock`, {
      token: admin,
      headers: { 'user-agent': 'admin-console' },
    });
    assert.equal(res.statusCode, 204);
    assert.equal(res.body, '');

    for (const token of [first.access_token, second.json().access_token]) {
      const me = await call(h.server, 'GET', '/auth/me', { token });
      assert.equal(me.statusCode, 401);
    }
    const refresh = await call(h.server, 'POST', '/auth/token', {
      body: { refresh_token: first.refresh_token },
    });
    assert.equal(refresh.statusCode, 401);
    const again = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'carol', password: PASSWORD },
    });
    assert.equal(again.statusCode, 403);
    assert.equal(problem(again).code, 'ACCOUNT_LOCKED');

    const listed = await call(h.server, 'GET', '/admin/users?filter=carol', { token: admin });
    assert.equal(listed.json()[0].locked, true);
    assert.equal(listed.json()[0].activeSessions, 0);

    const unlock = await call(h.server, 'POST', `/admin/users/${id}/unlock`, { token: admin });
    assert.equal(unlock.statusCode, 204);
    const back = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'carol', password: PASSWORD },
    });
    assert.equal(back.statusCode, 200);
    // The old tokens stay dead after the unlock.
    const old = await call(h.server, 'GET', '/auth/me', { token: first.access_token });
    assert.equal(old.statusCode, 401);

    const adminId = await userId(h, 'root');
    // Other security events (logins) are in the same log; the admin actions are these two.
    const entries = (await h.server.service.audit.list({ limit: 50, subjectId: id })).filter((e) =>
      e.type.startsWith('user_'),
    );
    assert.deepEqual(
      entries.map((e) => e.type),
      ['user_unlocked', 'user_locked'],
    );
    const locked = entries[1]!;
    assert.equal(locked.actorId, adminId);
    assert.equal(locked.subjectId, id);
    assert.equal(locked.ip, '127.0.0.1');
    assert.equal(locked.requestId, res.headers['x-request-id']);
    assert.equal(locked.detail.sessions, 2);

    const line = h.logs.find((l) => l.includes('"audit"') && l.includes('user_locked'));
    assert.ok(line, 'an audit log line');
    assert.ok(!line.includes(first.access_token));
  });

  test('DELETE sessions ends every session and cuts off access tokens, but not the account', async () => {
    const a = await login(h.server, 'dave');
    const b = await call(h.server, 'POST', '/auth/login', { body: { username: 'dave', password: PASSWORD } });
    const id = await userId(h, 'dave');
    const res = await call(h.server, 'DELETE', `/admin/users/${id}/sessions`, { token: admin });
    assert.equal(res.statusCode, 204);
    for (const token of [a.access_token, b.json().access_token]) {
      assert.equal((await call(h.server, 'GET', '/auth/me', { token })).statusCode, 401);
    }
    const refresh = await call(h.server, 'POST', '/auth/token', { body: { refresh_token: a.refresh_token } });
    assert.equal(refresh.statusCode, 401);
    // Not locked: the user can log in again (a new session after the cut-off works).
    const back = await call(h.server, 'POST', '/auth/login', {
      body: { username: 'dave', password: PASSWORD },
    });
    assert.equal(back.statusCode, 200);
    assert.equal(
      (await call(h.server, 'GET', '/auth/me', { token: back.json().access_token })).statusCode,
      200,
    );

    const [entry] = await h.server.service.audit.list({ limit: 1, type: 'sessions_revoked' });
    assert.equal(entry?.subjectId, id);
    assert.equal(entry?.detail.count, 2);
    // Idempotent: nothing left to end is still a 204.
    const again = await call(h.server, 'DELETE', `/admin/users/${id}/sessions`, { token: admin });
    assert.equal(again.statusCode, 204);
  });

  test('lock and end-sessions append a sub cut-off to the revocation log (the feed)', async () => {
    await login(h.server, 'erin');
    const id = await userId(h, 'erin');
    const { cursor } = await h.server.service.revocations.read(0);
    await call(h.server, 'POST', `/admin/users/${id}/lock`, { token: admin });
    await call(h.server, 'DELETE', `/admin/users/${id}/sessions`, { token: admin });
    const page = await h.server.service.revocations.read(cursor);
    const mine = page.entries.filter((e) => e.value === id);
    assert.equal(mine.length, 2);
    assert.ok(mine.every((e) => e.kind === 'sub' && typeof e.notBefore === 'number'));
  });
});

describe('admin with storage unavailable', () => {
  let h: Harness;
  let faults: ReturnType<typeof faultyStore>;
  before(async () => {
    h = await startServer({
      wrapStore: (store) => {
        faults = faultyStore(store);
        return faults.store;
      },
    });
  });
  after(() => h.close());

  test('503 SERVICE_UNAVAILABLE with Retry-After (the guard too), never 401 or 500', async () => {
    const admin = await makeAdmin(h);
    faults.fail.add('listUsers');
    const list = await call(h.server, 'GET', '/admin/users', { token: admin });
    assert.equal(list.statusCode, 503);
    assert.equal(problem(list).code, 'SERVICE_UNAVAILABLE');
    assert.ok(list.headers['retry-after']);
    faults.fail.add('findSession');
    const guard = await call(h.server, 'GET', '/admin/users', { token: admin });
    assert.equal(guard.statusCode, 503);
    assert.ok(guard.headers['retry-after']);
    problem(guard);
    faults.fail.clear();
    assert.equal((await call(h.server, 'GET', '/admin/users', { token: admin })).statusCode, 200);
  });
});
