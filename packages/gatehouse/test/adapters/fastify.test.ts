import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { authenticate, gatehouse, requireRole, requireScope } from '../../src/adapters/fastify.js';
import { contractTests, createFixture, type Fixture, REALM, type Requester } from './contract.js';

describe('gatehouse/fastify', () => {
  let fixture: Fixture;
  let app: FastifyInstance;
  const request: Requester = async (path, headers) => {
    const res = await app.inject({ method: 'GET', url: path, headers });
    return {
      status: res.statusCode,
      headers: Object.fromEntries(
        Object.entries(res.headers).map(([k, v]) => [k, v === undefined ? undefined : String(v)]),
      ),
      body: res.body,
    };
  };

  before(async () => {
    fixture = await createFixture();
    const { verifier } = fixture;
    app = Fastify();
    await app.register(gatehouse, { verifier, realm: REALM });
    const me = async (request: FastifyRequest) => ({ sub: request.auth?.claims.sub ?? null });
    app.get('/articles', { preHandler: app.authenticate }, me);
    app.get('/admin', { preHandler: [app.authenticate, requireRole('admin')] }, me);
    app.get('/write', { preHandler: [app.authenticate, requireScope('articles:write')] }, me);
    // Each extra mode in its own encapsulated scope, with its own plugin options.
    await app.register(async (scope) => {
      await scope.register(gatehouse, { verifier, realm: REALM, credentialsRequired: false, global: true });
      scope.get('/optional', me);
    });
    app.get('/cookie', { preHandler: authenticate({ verifier, realm: REALM, cookie: 'access_token' }) }, me);
    await app.ready();
  });
  after(async () => {
    await app.close();
    await fixture.close();
  });

  contractTests(
    () => fixture,
    () => request,
  );

  it('decorates the instance: app.gatehouse is the verifier', () => {
    assert.equal(app.gatehouse, fixture.verifier);
  });

  it('global: true protects every route of the scope; routes outside stay public', async () => {
    const a = Fastify();
    a.get('/public', async () => ({ ok: true }));
    await a.register(async (scope) => {
      await scope.register(gatehouse, { verifier: fixture.verifier, global: true });
      scope.get('/private', async (req) => ({ sub: req.auth?.claims.sub }));
    });
    try {
      assert.equal((await a.inject({ url: '/public' })).statusCode, 200);
      const denied = await a.inject({ url: '/private' });
      assert.equal(denied.statusCode, 401);
      assert.equal(denied.headers['www-authenticate'], 'Bearer realm="gatehouse"');
      const ok = await a.inject({ url: '/private', headers: { authorization: `Bearer ${fixture.token()}` } });
      assert.deepEqual(ok.json(), { sub: 'alice' });
    } finally {
      await a.close();
    }
  });

  it('a nested registration without global: true is refused with a clear error', async () => {
    const a = Fastify();
    await a.register(gatehouse, { verifier: fixture.verifier });
    a.register(async (scope) => {
      await scope.register(gatehouse, { verifier: fixture.verifier, realm: 'other' });
    });
    await assert.rejects(
      async () => {
        await a.ready();
      },
      { code: 'OPTION_INVALID', claim: 'global' },
    );
  });

  it('a plugin-created verifier is closed with the app; a bad option fails registration', async () => {
    const a = Fastify();
    await a.register(gatehouse, { secret: 'y'.repeat(32) });
    await a.ready();
    await a.close();
    const b = Fastify();
    b.register(gatehouse, { secret: 'short' });
    await assert.rejects(
      async () => {
        await b.ready();
      },
      { code: 'OPTION_INVALID', claim: 'secret' },
    );
  });

  it('answers 503 when no signing key can be loaded', async () => {
    const a = Fastify();
    await a.register(gatehouse, { jwksUrl: 'http://127.0.0.1:9/jwks.json', global: true });
    a.get('/x', async () => 'no');
    try {
      const res = await a.inject({ url: '/x', headers: { authorization: `Bearer ${fixture.token()}` } });
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().code, 'JWKS_UNAVAILABLE');
      assert.ok(Number(res.headers['retry-after']) >= 1);
    } finally {
      await a.close();
    }
  });
});
