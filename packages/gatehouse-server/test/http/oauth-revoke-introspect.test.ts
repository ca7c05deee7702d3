/** `POST /oauth/revoke` (RFC 7009) and `POST /oauth/introspect` (RFC 7662). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, type Harness, login, startServer } from './helpers.js';
import { basic, claimsOf, oauthError, postForm } from './oauth-helpers.js';

let h: Harness;
let now = Date.UTC(2026, 5, 1, 12, 0, 0);
let client: Record<string, string>;

before(async () => {
  h = await startServer({ clock: () => now });
  const created = await h.server.service.clients.add('articles');
  client = basic(created.client_id, created.client_secret);
});
after(() => h.close());

async function introspect(token: string) {
  const res = await postForm(h.server, '/oauth/introspect', { token }, client);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['cache-control'], 'no-store');
  return res.json();
}

describe('POST /oauth/introspect', () => {
  test('an active access token: the RFC 7662 fields and sid', async () => {
    const pair = await login(h.server, 'alice');
    const body = await introspect(pair.access_token);
    const claims = claimsOf(pair.access_token);
    assert.equal(body.active, true);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.client_id, 'gatehouse');
    assert.equal(body.username, 'alice');
    for (const name of ['sub', 'aud', 'iss', 'jti', 'exp', 'iat', 'sid'])
      assert.deepEqual(body[name], claims[name], name);
    assert.equal(body.sid, pair.session_id);
    assert.deepEqual(body.roles, []);
  });

  test('inactive: unknown, garbage, forged, refresh tokens, ended sessions, expired', async () => {
    const pair = await login(h.server, 'bob');
    const [head, payload] = pair.access_token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...claimsOf(pair.access_token), roles: ['admin'] }),
    ).toString('base64url');
    for (const token of [
      'nope',
      'a.b.c',
      `${head}.${forgedPayload}.${pair.access_token.split('.')[2]}`,
      `${head}.${payload}.`,
      pair.refresh_token,
      'ghr_unknown',
    ]) {
      assert.deepEqual(await introspect(token), { active: false }, token.slice(0, 20));
    }
    assert.equal((await introspect(pair.access_token)).active, true);
    const out = await call(h.server, 'POST', '/auth/logout', { body: { refresh_token: pair.refresh_token } });
    assert.equal(out.statusCode, 204);
    assert.deepEqual(await introspect(pair.access_token), { active: false });

    const later = await login(h.server, 'bob');
    assert.equal((await introspect(later.access_token)).active, true);
    now += 16 * 60_000;
    assert.deepEqual(await introspect(later.access_token), { active: false });
  });

  test('client authentication: 401 invalid_client with a Basic challenge', async () => {
    const pair = await login(h.server, 'carol');
    const cases: (Record<string, string> | undefined)[] = [
      undefined,
      basic('c_unknown', 'secret'),
      { authorization: client.authorization!.replace(/.{4}$/, 'AAAA') },
      { authorization: 'Basic !!!' },
      { authorization: `Bearer ${pair.access_token}` },
    ];
    for (const headers of cases) {
      const res = await postForm(h.server, '/oauth/introspect', { token: pair.access_token }, headers);
      oauthError(res, 401, 'invalid_client');
      assert.equal(res.headers['www-authenticate'], 'Basic realm="gatehouse"');
      assert.ok(!res.body.includes(pair.access_token));
    }
  });

  test('bad input: 400 invalid_request', async () => {
    oauthError(await postForm(h.server, '/oauth/introspect', {}, client), 400, 'invalid_request');
    oauthError(
      await postForm(h.server, '/oauth/introspect', 'token=a&token=b', client),
      400,
      'invalid_request',
    );
    oauthError(
      await postForm(h.server, '/oauth/introspect', '{"token":"x"}', {
        ...client,
        'content-type': 'application/json',
      }),
      400,
      'invalid_request',
    );
    oauthError(await postForm(h.server, '/oauth/introspect?token=x', {}, client), 400, 'invalid_request');
  });
});

describe('POST /oauth/revoke', () => {
  test('a refresh token ends its whole session, access tokens included', async () => {
    const pair = await login(h.server, 'dave');
    const other = await login(h.server, 'dave');
    const res = await postForm(h.server, '/oauth/revoke', {
      token: pair.refresh_token,
      token_type_hint: 'refresh_token',
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, '');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal((await call(h.server, 'GET', '/auth/me', { token: pair.access_token })).statusCode, 401);
    const refresh = await call(h.server, 'POST', '/auth/token', {
      body: { refresh_token: pair.refresh_token },
    });
    assert.equal(refresh.statusCode, 401);
    // The user's other session is untouched.
    assert.equal((await call(h.server, 'GET', '/auth/me', { token: other.access_token })).statusCode, 200);
    const [entry] = await h.server.service.audit.list({ limit: 1, type: 'token_revoked' });
    assert.equal(entry?.detail.sessionId, pair.session_id);
  });

  test('an access token: that token is refused everywhere, its session lives on', async () => {
    const pair = await login(h.server, 'erin');
    const { cursor } = await h.server.service.revocations.read(0);
    // A wrong hint does not matter (RFC 7009 section 2.1).
    const res = await postForm(h.server, '/oauth/revoke', {
      token: pair.access_token,
      token_type_hint: 'refresh_token',
    });
    assert.equal(res.statusCode, 200);
    assert.equal((await call(h.server, 'GET', '/auth/me', { token: pair.access_token })).statusCode, 401);
    assert.deepEqual(await introspect(pair.access_token), { active: false });
    // The feed carries a jti entry until the token's exp.
    const page = await h.server.service.revocations.read(cursor);
    const jti = claimsOf(pair.access_token).jti;
    const entry = page.entries.find((e) => e.kind === 'jti' && e.value === jti);
    assert.ok(entry, 'jti entry in the feed');
    assert.ok(entry.expiresAt >= (claimsOf(pair.access_token).exp as number));
    // The session still refreshes, and its new access token works.
    const next = await call(h.server, 'POST', '/auth/token', { body: { refresh_token: pair.refresh_token } });
    assert.equal(next.statusCode, 200);
    assert.equal(
      (await call(h.server, 'GET', '/auth/me', { token: next.json().access_token })).statusCode,
      200,
    );
    // Revoking it again is a 200 and appends nothing new.
    const again = await postForm(h.server, '/oauth/revoke', { token: pair.access_token });
    assert.equal(again.statusCode, 200);
    const after = await h.server.service.revocations.read(page.cursor);
    assert.equal(after.entries.length, 0);
  });

  test('unknown, garbage, forged and expired tokens: 200, nothing revoked', async () => {
    const pair = await login(h.server, 'frank');
    const { cursor } = await h.server.service.revocations.read(0);
    const [head, , sig] = pair.access_token.split('.');
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claimsOf(pair.access_token), jti: 'x' })).toString('base64url')}.${sig}`;
    for (const token of ['x', 'ghr_unknown', 'a.b.c', forged, 'é'.repeat(100)]) {
      const res = await postForm(h.server, '/oauth/revoke', { token });
      assert.equal(res.statusCode, 200, token);
    }
    assert.equal((await h.server.service.revocations.read(cursor)).entries.length, 0);
    assert.equal((await call(h.server, 'GET', '/auth/me', { token: pair.access_token })).statusCode, 200);
  });

  test('public client: client_id accepted; credentials that are sent must be right', async () => {
    const pair = await login(h.server, 'gina');
    const ok = await postForm(h.server, '/oauth/revoke', { token: 'x', client_id: 'gatehouse' });
    assert.equal(ok.statusCode, 200);
    const bad = await postForm(h.server, '/oauth/revoke', { token: pair.access_token }, basic('c_x', 'y'));
    oauthError(bad, 401, 'invalid_client');
    assert.equal(bad.headers['www-authenticate'], 'Basic realm="gatehouse"');
    assert.equal((await call(h.server, 'GET', '/auth/me', { token: pair.access_token })).statusCode, 200);
    const good = await postForm(h.server, '/oauth/revoke', { token: pair.access_token }, client);
    assert.equal(good.statusCode, 200);
    assert.equal((await call(h.server, 'GET', '/auth/me', { token: pair.access_token })).statusCode, 401);
  });

  test('bad input: 400 invalid_request, never 5xx', async () => {
    for (const body of ['', 'token_type_hint=access_token', 'token=a&token=b', 'token=%zz']) {
      oauthError(await postForm(h.server, '/oauth/revoke', body), 400, 'invalid_request');
    }
    oauthError(
      await postForm(h.server, '/oauth/revoke', '{"token":"x"}', { 'content-type': 'application/json' }),
      400,
      'invalid_request',
    );
    oauthError(await postForm(h.server, '/oauth/revoke?token=x', {}), 400, 'invalid_request');
  });
});

describe('RFC 8414 metadata', () => {
  test('lists the three endpoints, which answer as described', async () => {
    const res = await call(h.server, 'GET', '/.well-known/oauth-authorization-server');
    const m = res.json();
    const issuer = h.server.config.issuer.replace(/\/+$/, '');
    assert.equal(m.token_endpoint, `${issuer}/oauth/token`);
    assert.equal(m.revocation_endpoint, `${issuer}/oauth/revoke`);
    assert.equal(m.introspection_endpoint, `${issuer}/oauth/introspect`);
    // Only the grants that work: password is not offered on /oauth/token.
    assert.deepEqual(m.grant_types_supported, ['refresh_token']);
    assert.deepEqual(m.token_endpoint_auth_methods_supported, ['none']);
    assert.deepEqual(m.revocation_endpoint_auth_methods_supported, ['none', 'client_secret_basic']);
    assert.deepEqual(m.introspection_endpoint_auth_methods_supported, ['client_secret_basic']);
    const pair = await login(h.server, 'hana');
    const path = (url: string) => url.slice(issuer.length);
    const token = await postForm(h.server, path(m.token_endpoint), {
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
    });
    assert.equal(token.statusCode, 200);
    assert.equal(
      (
        await postForm(h.server, path(m.introspection_endpoint), { token: token.json().access_token }, client)
      ).json().active,
      true,
    );
    assert.equal(
      (await postForm(h.server, path(m.revocation_endpoint), { token: token.json().refresh_token }))
        .statusCode,
      200,
    );
    oauthError(
      await postForm(h.server, path(m.token_endpoint), {
        grant_type: 'password',
        username: 'hana',
        password: 'x',
      }),
      400,
      'unsupported_grant_type',
    );
  });
});
