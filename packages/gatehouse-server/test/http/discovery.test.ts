/** JWKS, RFC 8414 metadata, health, readiness, metrics and the OpenAPI document. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { importJwks, verifyJwt } from 'gatehouse';
import { generateOpenApi, serializeOpenApi } from '../../src/http/openapi.js';
import type { Store } from '../../src/storage/types.js';
import { call, faultyStore, type Harness, login, PASSWORD, problem, startServer } from './helpers.js';

describe('discovery and operations', () => {
  let h: Harness;
  let faults: ReturnType<typeof faultyStore>;
  before(async () => {
    h = await startServer({
      env: { GATEHOUSE_ISSUER: 'https://auth.example.test/' },
      wrapStore: (s: Store) => {
        faults = faultyStore(s);
        return faults.store;
      },
    });
  });
  after(async () => {
    await h.close();
  });

  test('JWKS: public keys with kid, alg, use; Cache-Control max-age; verifies our tokens', async () => {
    const res = await call(h.server, 'GET', '/.well-known/jwks.json');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['cache-control']), /^public, max-age=\d+$/);
    const jwks = res.json();
    assert.ok(jwks.keys.length >= 1);
    for (const k of jwks.keys) {
      assert.equal(k.use, 'sig');
      assert.equal(typeof k.kid, 'string');
      assert.equal(k.alg, 'ES256');
      assert.equal(k.d, undefined, 'private part published');
    }
    const pair = await login(h.server);
    const { payload, header } = verifyJwt(pair.access_token, importJwks(jwks), {
      algorithms: ['ES256'],
      issuer: 'https://auth.example.test/',
      audience: 'gatehouse',
      typ: 'at+jwt',
    });
    assert.equal(header.typ, 'at+jwt');
    assert.equal(payload.username, 'alice');
    for (const claim of ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'sid', 'roles', 'username']) {
      assert.ok(claim in payload, claim);
    }
  });

  test('RFC 8414 metadata at both well-known paths', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await call(h.server, 'GET', path);
      assert.equal(res.statusCode, 200);
      const m = res.json();
      assert.equal(m.issuer, 'https://auth.example.test/');
      assert.equal(m.jwks_uri, 'https://auth.example.test/.well-known/jwks.json');
      assert.equal(m.token_endpoint, 'https://auth.example.test/oauth/token');
      assert.equal(m.revocation_endpoint, 'https://auth.example.test/oauth/revoke');
      assert.equal(m.introspection_endpoint, 'https://auth.example.test/oauth/introspect');
      assert.deepEqual(m.response_types_supported, []);
      assert.ok(Array.isArray(m.grant_types_supported));
      assert.ok(Array.isArray(m.token_endpoint_auth_methods_supported));
    }
  });

  test('healthz 200; readyz 200, then 503 with Retry-After while storage is down, then 200 again', async () => {
    assert.deepEqual((await call(h.server, 'GET', '/healthz')).json(), { status: 'ok' });
    assert.equal((await call(h.server, 'GET', '/readyz')).statusCode, 200);
    faults.down.all = true;
    try {
      const down = await call(h.server, 'GET', '/readyz');
      assert.equal(down.statusCode, 503);
      assert.equal(problem(down).code, 'SERVICE_UNAVAILABLE');
      assert.match(String(down.headers['retry-after']), /^\d+$/);
      assert.equal((await call(h.server, 'GET', '/healthz')).statusCode, 200);
    } finally {
      faults.down.all = false;
    }
    assert.equal((await call(h.server, 'GET', '/readyz')).statusCode, 200);
  });

  test('a locked or unreachable database → 503 SERVICE_UNAVAILABLE with Retry-After, and recovery', async () => {
    await call(h.server, 'POST', '/auth/register', { body: { username: 'bob', password: PASSWORD } });
    faults.down.all = true;
    try {
      const res = await call(h.server, 'POST', '/auth/login', {
        body: { username: 'bob', password: PASSWORD },
      });
      assert.equal(res.statusCode, 503);
      assert.equal(problem(res).code, 'SERVICE_UNAVAILABLE');
      assert.equal(res.headers['retry-after'], '2');
    } finally {
      faults.down.all = false;
    }
    const ok = await call(h.server, 'POST', '/auth/login', { body: { username: 'bob', password: PASSWORD } });
    assert.equal(ok.statusCode, 200);
  });

  test('an unexpected error → 500 INTERNAL_ERROR with a generic body, no stack, no message', async () => {
    const other = await startServer({ logLevel: 'fatal' });
    try {
      other.server.app.get('/__boom', async () => {
        throw new TypeError('secret internal detail at /srv/app.js:1:1');
      });
      const res = await other.server.app.inject({ method: 'GET', url: '/__boom' });
      assert.equal(res.statusCode, 500);
      assert.equal(problem(res).code, 'INTERNAL_ERROR');
      assert.ok(!res.body.includes('secret internal detail'));
    } finally {
      await other.close();
    }
  });

  test('/metrics: Prometheus text with request, login, refresh, reuse and session metrics', async () => {
    await login(h.server, 'metric_user');
    await call(h.server, 'POST', '/auth/login', {
      body: { username: 'metric_user', password: 'wrong password!' },
    });
    const res = await call(h.server, 'GET', '/metrics');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    const text = res.body;
    assert.match(
      text,
      /gatehouse_http_requests_total\{method="POST",route="\/auth\/login",status="200"\} \d+/,
    );
    assert.match(
      text,
      /gatehouse_http_request_duration_seconds_bucket\{le="0.1",method="POST",route="\/auth\/login",status="200"\}/,
    );
    assert.match(text, /gatehouse_logins_total\{outcome="success"\} [1-9]/);
    assert.match(text, /gatehouse_logins_total\{outcome="invalid"\} [1-9]/);
    assert.match(text, /gatehouse_refreshes_total\{outcome="rotated"\} \d+/);
    assert.match(text, /gatehouse_refresh_reuse_detected_total 0/);
    assert.match(text, /^gatehouse_active_sessions [1-9]\d*$/m);
    // 404s are one label value, not one per URL.
    await call(h.server, 'GET', '/random-1');
    await call(h.server, 'GET', '/random-2');
    const again = (await call(h.server, 'GET', '/metrics')).body;
    assert.match(again, /route="unmatched",status="404"\} 2/);
    assert.ok(!again.includes('random-1'));
  });

  test('GET /openapi.json is OpenAPI 3.1 with every route, and docs/openapi.json is up to date', async () => {
    const res = await call(h.server, 'GET', '/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of [
      '/auth/register',
      '/auth/login',
      '/auth/token',
      '/auth/logout',
      '/auth/logout-all',
      '/auth/me',
      '/auth/sessions',
      '/auth/sessions/{id}',
      '/auth/password',
      '/.well-known/jwks.json',
      '/.well-known/oauth-authorization-server',
      '/healthz',
      '/readyz',
      '/metrics',
    ]) {
      assert.ok(doc.paths[path], path);
    }
    const generated = serializeOpenApi(await generateOpenApi());
    const committed = readFileSync(new URL('../../../../docs/openapi.json', import.meta.url), 'utf8');
    assert.equal(
      committed,
      generated,
      'docs/openapi.json is stale: run node --import tsx packages/gatehouse-server/scripts/write-openapi.ts',
    );
    // The route schemas are the same ones the server validates with.
    assert.deepEqual(JSON.parse(generated).paths, doc.paths);
  });
});
