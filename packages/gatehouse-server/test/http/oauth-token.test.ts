/** `POST /oauth/token`: the RFC 6749 refresh grant, its errors and bad input. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, faultyStore, type Harness, login, problem, startServer } from './helpers.js';
import { basic, claimsOf, oauthError, postForm } from './oauth-helpers.js';

describe('POST /oauth/token', () => {
  let h: Harness;
  let now = Date.UTC(2026, 5, 1, 12, 0, 0);
  before(async () => {
    h = await startServer({ clock: () => now, env: { GATEHOUSE_REFRESH_REUSE_GRACE: '10s' } });
  });
  after(() => h.close());

  test('refresh grant: RFC 6749 section 6 response, no-store, the token rotates', async () => {
    const pair = await login(h.server, 'alice');
    const res = await postForm(h.server, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
      client_id: 'gatehouse',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers.pragma, 'no-cache');
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 900);
    assert.notEqual(body.refresh_token, pair.refresh_token);
    assert.match(body.refresh_token, /^ghr_/);
    // RFC 9068: the access token names its client.
    const claims = claimsOf(body.access_token);
    assert.equal(claims.client_id, 'gatehouse');
    assert.equal(claims.sid, pair.session_id);
    const me = await call(h.server, 'GET', '/auth/me', { token: body.access_token });
    assert.equal(me.statusCode, 200);
    // The new refresh token works on /auth/token too: one rotation chain for both endpoints.
    const next = await call(h.server, 'POST', '/auth/token', { body: { refresh_token: body.refresh_token } });
    assert.equal(next.statusCode, 200);
  });

  test('a charset parameter and unknown parameters are accepted', async () => {
    const pair = await login(h.server, 'bob');
    const res = await postForm(
      h.server,
      '/oauth/token',
      `grant_type=refresh_token&refresh_token=${pair.refresh_token}&foo=bar`,
      { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
    );
    assert.equal(res.statusCode, 200, res.body);
  });

  test('reuse after the grace period: invalid_grant, and the whole session ends', async () => {
    const pair = await login(h.server, 'carol');
    const first = await postForm(h.server, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
    });
    assert.equal(first.statusCode, 200);
    const current = first.json();
    now += 11_000;
    const reused = await postForm(h.server, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
    });
    oauthError(reused, 400, 'invalid_grant');
    // The session is gone: the current refresh token and its access token stop working too.
    const after = await postForm(h.server, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: current.refresh_token,
    });
    oauthError(after, 400, 'invalid_grant');
    assert.equal((await call(h.server, 'GET', '/auth/me', { token: current.access_token })).statusCode, 401);
  });

  test('errors: invalid_request, unsupported_grant_type, invalid_grant, invalid_scope', async () => {
    const pair = await login(h.server, 'dave');
    const rt = pair.refresh_token;
    const cases: [string, number, string][] = [
      ['', 400, 'invalid_request'],
      [`refresh_token=${rt}`, 400, 'invalid_request'],
      ['grant_type=refresh_token', 400, 'invalid_request'],
      ['grant_type=refresh_token&refresh_token=', 400, 'invalid_request'],
      [`grant_type=password&username=dave&password=x`, 400, 'unsupported_grant_type'],
      [`grant_type=authorization_code&code=x`, 400, 'unsupported_grant_type'],
      ['grant_type=refresh_token&refresh_token=ghr_nope', 400, 'invalid_grant'],
      ['grant_type=refresh_token&refresh_token=eyJ.x.y', 400, 'invalid_grant'],
      [`grant_type=refresh_token&refresh_token=${rt}&scope=admin`, 400, 'invalid_scope'],
      [`grant_type=refresh_token&grant_type=refresh_token&refresh_token=${rt}`, 400, 'invalid_request'],
      [`grant_type=refresh_token&refresh_token=${rt}&client_id=%0A`, 400, 'invalid_request'],
      ['grant_type=refresh_token&refresh_token=%E0%A4%A', 400, 'invalid_request'],
      ['grant_type=refresh_token&refresh_token=%FF', 400, 'invalid_request'],
      ['&&&=x', 400, 'invalid_request'],
    ];
    for (const [body, status, error] of cases) {
      oauthError(await postForm(h.server, '/oauth/token', body), status, error);
    }
    // None of the failures above consumed the token.
    const ok = await postForm(h.server, '/oauth/token', { grant_type: 'refresh_token', refresh_token: rt });
    assert.equal(ok.statusCode, 200);
  });

  test('not a form: 400 invalid_request (JSON, text, no content type), never parsed leniently', async () => {
    const json = JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'ghr_x' });
    for (const type of [
      'application/json',
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded; charset=latin1',
    ]) {
      const res = await postForm(h.server, '/oauth/token', json, { 'content-type': type });
      oauthError(res, 400, 'invalid_request');
    }
    const none = await h.server.app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: 'grant_type=refresh_token',
    });
    oauthError(none, 400, 'invalid_request');
  });

  test('tokens in the query string are refused', async () => {
    const pair = await login(h.server, 'erin');
    const res = await postForm(h.server, `/oauth/token?refresh_token=${pair.refresh_token}`, {
      grant_type: 'refresh_token',
    });
    oauthError(res, 400, 'invalid_request');
  });

  test('a body over 16 KiB: 413 invalid_request', async () => {
    const res = await postForm(
      h.server,
      '/oauth/token',
      `grant_type=refresh_token&refresh_token=${'a'.repeat(17_000)}`,
    );
    oauthError(res, 413, 'invalid_request');
  });

  test('other routes stay JSON-only with problem+json errors', async () => {
    const res = await postForm(h.server, '/auth/login', 'username=a&password=b');
    assert.equal(res.statusCode, 415);
    assert.equal(problem(res).code, 'UNSUPPORTED_MEDIA_TYPE');
    const get = await h.server.app.inject({ method: 'GET', url: '/oauth/token' });
    assert.equal(get.statusCode, 404);
  });
});

describe('storage unavailable', () => {
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

  test('/oauth/* answer 503 temporarily_unavailable with Retry-After, never 500', async () => {
    const pair = await login(h.server, 'alice');
    const created = await h.server.service.clients.add('rs');
    faults.fail.add('rotateRefreshToken');
    faults.fail.add('findSessionByRefreshHash');
    faults.fail.add('findSession');
    const token = await postForm(h.server, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
    });
    oauthError(token, 503, 'temporarily_unavailable');
    assert.equal(token.headers['retry-after'], '2');
    oauthError(
      await postForm(h.server, '/oauth/revoke', { token: pair.refresh_token }),
      503,
      'temporarily_unavailable',
    );
    oauthError(
      await postForm(h.server, '/oauth/revoke', { token: pair.access_token }),
      503,
      'temporarily_unavailable',
    );
    const introspect = await postForm(
      h.server,
      '/oauth/introspect',
      { token: pair.access_token },
      basic(created.client_id, created.client_secret),
    );
    oauthError(introspect, 503, 'temporarily_unavailable');
    faults.fail.clear();
    const ok = await postForm(h.server, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
    });
    assert.equal(ok.statusCode, 200);
  });
});
