/**
 * `GET /auth/revocations`: client authentication, parameters, the wire format (seconds), every
 * revoking path appending its entry, and long-polling (woken in-process and across processes).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tokenRevocation } from '../../src/domain/sessions.js';
import { parseBasic } from '../../src/http/client-auth.js';
import { createSqliteStore } from '../../src/storage/sqlite/index.js';
import { call, type Harness, login, PASSWORD, problem, startServer } from './helpers.js';

const basic = (id: string, secret: string) => {
  const form = (s: string) => new URLSearchParams([['', s]]).toString().slice(1);
  return `Basic ${Buffer.from(`${form(id)}:${form(secret)}`).toString('base64')}`;
};

interface Entry {
  cursor: number;
  kind: string;
  value: string;
  notBefore: number | null;
  expiresAt: number;
}

test('parseBasic decodes RFC 6749 2.3.1 (form-encoded id and secret) and refuses the malformed', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  assert.deepEqual(parseBasic(`Basic ${b64('a%3Ab:c+d%25:e')}`), { id: 'a:b', secret: 'c d%:e' });
  assert.deepEqual(parseBasic(`basic   ${b64('id:s')}`), { id: 'id', secret: 's' });
  assert.deepEqual(parseBasic(basic('rs ü:x', 's3cret+/=')), { id: 'rs ü:x', secret: 's3cret+/=' });
  for (const bad of [
    undefined,
    '',
    'Basic',
    `Bearer ${b64('a:b')}`,
    `Basic ${b64('ab')}`,
    `Basic ${b64(':b')}`,
    `Basic ${b64('a:')}`,
    `Basic ${b64('a%ZZ:b')}`,
    'Basic abc',
    `Basic ${b64('a:b')} x`,
  ]) {
    assert.equal(parseBasic(bad), null, String(bad));
  }
});

describe('GET /auth/revocations', () => {
  let h: Harness;
  let auth: string;
  let clientId: string;
  let secret: string;

  before(async () => {
    h = await startServer({ env: { GATEHOUSE_REFRESH_REUSE_GRACE: '0', GATEHOUSE_COOKIE_MODE: 'off' } });
    const created = await h.server.service.clients.add('rs-test');
    clientId = created.client_id;
    secret = created.client_secret;
    auth = basic(clientId, secret);
  });
  after(() => h.close());

  const feed = async (query: string) => {
    const res = await call(h.server, 'GET', `/auth/revocations?${query}`, {
      headers: { authorization: auth },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(String(res.headers['content-type']), /^application\/json/);
    return res.json() as { entries: Entry[]; cursor: number };
  };
  const latest = async () => (await feed('after=0')).cursor;
  const since = async (cursor: number) => (await feed(`after=${cursor}`)).entries;

  test('refuses missing, malformed, unknown and wrong credentials alike: 401 INVALID_CLIENT + Basic challenge', async () => {
    const headers: (Record<string, string> | undefined)[] = [
      undefined,
      { authorization: 'Basic' },
      { authorization: 'Basic !!!!' },
      { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` },
      { authorization: basic(clientId, `${secret}x`) },
      { authorization: basic('c_unknown', secret) },
      { authorization: basic(clientId, '') },
      { authorization: `Bearer ${secret}` },
      { authorization: `Basic ${'A'.repeat(5000)}` },
    ];
    for (const hdr of headers) {
      const res = await call(h.server, 'GET', '/auth/revocations?after=0', hdr ? { headers: hdr } : {});
      assert.equal(res.statusCode, 401, JSON.stringify(hdr));
      assert.equal(problem(res).code, 'INVALID_CLIENT');
      assert.equal(res.headers['www-authenticate'], 'Basic realm="gatehouse"');
      assert.ok(!res.body.includes(secret), 'the secret is never echoed');
    }
    const logs = h.logs.join('');
    assert.ok(!logs.includes(secret), 'nor logged');
    assert.ok(!logs.includes(auth.slice(6)), 'nor the Basic credentials');
  });

  test('accepts RFC 6749 2.3.1 form-encoding and a case-insensitive scheme', async () => {
    const res = await call(h.server, 'GET', '/auth/revocations?after=0', {
      headers: { authorization: auth.replace('Basic', 'bAsIc') },
    });
    assert.equal(res.statusCode, 200);
  });

  test('bad parameters: 400 VALIDATION_FAILED', async () => {
    for (const q of [
      '',
      'after=',
      'after=-1',
      'after=1.5',
      'after=abc',
      'after=0&wait=x',
      'after=0&wait=-1',
      'after=0&x=1',
      'after=0&after=1',
      'after=99999999999999999',
    ]) {
      const res = await call(h.server, 'GET', `/auth/revocations?${q}`, { headers: { authorization: auth } });
      assert.equal(res.statusCode, 400, q);
      assert.equal(problem(res).code, 'VALIDATION_FAILED', q);
    }
  });

  test('every revoking path appends its entry, in epoch seconds', async () => {
    const start = await latest();
    const nowS = Date.now() / 1000;
    const access = 900; // GATEHOUSE_ACCESS_TTL default

    // logout: sid
    const a = await login(h.server, 'alice');
    await call(h.server, 'POST', '/auth/logout', { body: { refresh_token: a.refresh_token } });
    let got = await since(start);
    assert.equal(got.length, 1);
    assert.deepEqual(
      { kind: got[0]!.kind, value: got[0]!.value, notBefore: got[0]!.notBefore },
      {
        kind: 'sid',
        value: a.session_id,
        notBefore: null,
      },
    );
    assert.ok(Number.isInteger(got[0]!.expiresAt));
    assert.ok(
      got[0]!.expiresAt > nowS + access - 5 && got[0]!.expiresAt < nowS + access + 60,
      'seconds, not ms',
    );
    let cursor = got[0]!.cursor;

    // logout-all: sub with a cut-off
    const b = await login(h.server, 'alice');
    await call(h.server, 'POST', '/auth/logout-all', { token: b.access_token });
    got = await since(cursor);
    const me = (
      await call(h.server, 'GET', '/auth/me', { token: (await login(h.server, 'alice')).access_token })
    ).json();
    assert.equal(got.length, 1);
    assert.equal(got[0]!.kind, 'sub');
    assert.equal(got[0]!.value, me.id);
    assert.ok(Number.isInteger(got[0]!.notBefore) && Math.abs(got[0]!.notBefore! - nowS) < 60);
    cursor = got[0]!.cursor;

    // session delete: sid
    const c1 = await login(h.server, 'alice');
    const c2 = await login(h.server, 'alice');
    assert.equal(
      (await call(h.server, 'DELETE', `/auth/sessions/${c2.session_id}`, { token: c1.access_token }))
        .statusCode,
      204,
    );
    got = await since(cursor);
    assert.deepEqual(
      got.map((e) => [e.kind, e.value]),
      [['sid', c2.session_id]],
    );
    cursor = got[0]!.cursor;

    // password change: sub
    const newPassword = `${PASSWORD} 2`;
    const pw = await call(h.server, 'POST', '/auth/password', {
      token: c1.access_token,
      body: { current_password: PASSWORD, new_password: newPassword },
    });
    assert.equal(pw.statusCode, 204, pw.body);
    got = await since(cursor);
    assert.deepEqual(
      got.map((e) => [e.kind, e.value]),
      [['sub', me.id]],
    );
    cursor = got[0]!.cursor;

    // refresh-token reuse: sid (grace 0)
    const d = await login(h.server, 'bob');
    const r1 = await call(h.server, 'POST', '/auth/token', { body: { refresh_token: d.refresh_token } });
    assert.equal(r1.statusCode, 200);
    const r2 = await call(h.server, 'POST', '/auth/token', { body: { refresh_token: d.refresh_token } });
    assert.equal(r2.statusCode, 401);
    got = await since(cursor);
    assert.deepEqual(
      got.map((e) => [e.kind, e.value]),
      [['sid', d.session_id]],
    );
    cursor = got[0]!.cursor;

    // admin lock: sub
    await h.server.service.admin.lockUser('bob', 'test');
    got = await since(cursor);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.kind, 'sub');
    cursor = got[0]!.cursor;

    // access token by jti
    await h.server.service.revocations.revokeAccessToken('jti-1', Math.floor(nowS) + 600);
    got = await since(cursor);
    assert.deepEqual(
      got.map((e) => [e.kind, e.value, e.expiresAt]),
      [['jti', 'jti-1', Math.floor(nowS) + 605]],
    );
    cursor = got[0]!.cursor;

    // key revoke: kid
    const [key] = await h.server.service.admin.listKeys();
    await h.server.service.admin.revokeKey(key!.kid, 'test');
    got = await since(cursor);
    assert.deepEqual(
      got.map((e) => [e.kind, e.value]),
      [['kid', key!.kid]],
    );
    assert.ok(got.every((e, i) => i === 0 || e.cursor > got[i - 1]!.cursor));
  });

  test('a cursor above the log (a reset database) is answered with the latest cursor', async () => {
    const top = await latest();
    const res = await feed(`after=${top + 1000}`);
    assert.deepEqual(res, { entries: [], cursor: top });
    // At once, even when asked to wait: the client must adopt the cursor.
    const started = performance.now();
    assert.deepEqual(await feed(`after=${top + 1000}&wait=20`), { entries: [], cursor: top });
    assert.ok(performance.now() - started < 5000);
  });

  test('a long-poll is held while nothing is new, and ends after wait', async () => {
    const top = await latest();
    const started = performance.now();
    const res = await feed(`after=${top}&wait=1`);
    const held = performance.now() - started;
    assert.deepEqual(res, { entries: [], cursor: top });
    assert.ok(held >= 900, `held ${held} ms`);
  });

  test('a long-poll answers as soon as an entry is appended (in-process nudge)', async () => {
    const top = await latest();
    const started = performance.now();
    const pending = feed(`after=${top}&wait=20`);
    setTimeout(
      () =>
        void h.server.service.revocations.revokeAccessToken('jti-wake', Math.floor(Date.now() / 1000) + 60),
      100,
    );
    const res = await pending;
    const held = performance.now() - started;
    assert.deepEqual(
      res.entries.map((e) => e.value),
      ['jti-wake'],
    );
    // Woken by the nudge, not by the 1 s storage re-check or the 20 s wait.
    assert.ok(held < 900, `held ${held} ms`);
  });

  test('a long-poll sees an entry appended by another process (the CLI) within the re-check delay', async () => {
    const top = await latest();
    const other = await createSqliteStore({ path: h.dbPath });
    try {
      const started = performance.now();
      const pending = feed(`after=${top}&wait=20`);
      setTimeout(() => {
        void other.appendRevocation(
          tokenRevocation('jti-other', Math.floor(Date.now() / 1000) + 60, 'oauth_revoke', Date.now()),
        );
      }, 100);
      const res = await pending;
      const held = performance.now() - started;
      assert.deepEqual(
        res.entries.map((e) => e.value),
        ['jti-other'],
      );
      assert.ok(held < 3000, `held ${held} ms`);
    } finally {
      await other.close();
    }
  });

  test('wait above 25 s is accepted (capped), fractional waits too', async () => {
    const top = await latest();
    setTimeout(
      () =>
        void h.server.service.revocations.revokeAccessToken('jti-cap', Math.floor(Date.now() / 1000) + 60),
      50,
    );
    const res = await feed(`after=${top}&wait=600`);
    assert.equal(res.entries.length, 1);
    const res2 = await feed(`after=${res.cursor}&wait=0.2`);
    assert.deepEqual(res2.entries, []);
  });

  test('a removed client is refused at once', async () => {
    const tmp = await h.server.service.clients.add('rs-temporary');
    const hdr = { authorization: basic(tmp.client_id, tmp.client_secret) };
    assert.equal(
      (await call(h.server, 'GET', '/auth/revocations?after=0', { headers: hdr })).statusCode,
      200,
    );
    await h.server.service.clients.remove('rs-temporary');
    assert.equal(
      (await call(h.server, 'GET', '/auth/revocations?after=0', { headers: hdr })).statusCode,
      401,
    );
  });

  test('close() does not wait for a held long-poll', async () => {
    const h2 = await startServer();
    const c = await h2.server.service.clients.add('rs');
    const url = await h2.server.listen({ port: 0, host: '127.0.0.1' });
    const pending = fetch(`${url}/auth/revocations?after=0&wait=0`, {
      headers: { authorization: basic(c.client_id, c.client_secret) },
    }).then((r) => r.json() as Promise<{ cursor: number }>);
    const { cursor } = await pending;
    const held = fetch(`${url}/auth/revocations?after=${cursor}&wait=25`, {
      headers: { authorization: basic(c.client_id, c.client_secret) },
    }).then(
      (r) => r.status,
      () => 0,
    );
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    await h2.close();
    assert.ok(performance.now() - started < 5000);
    assert.ok([0, 200, 503].includes(await held));
  });
});
