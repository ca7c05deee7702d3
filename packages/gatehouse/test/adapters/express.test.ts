import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express, { type Request, type Response } from 'express';
import { authenticate, requireRole, requireScope } from '../../src/adapters/express.js';
import { contractTests, createFixture, type Fixture, REALM, type Requester } from './contract.js';

describe('gatehouse/express', () => {
  let fixture: Fixture;
  let server: Server;
  let request: Requester;

  before(async () => {
    fixture = await createFixture();
    const { verifier } = fixture;
    const app = express();
    const auth = authenticate({ verifier, realm: REALM });
    const me = (req: Request, res: Response) => {
      res.json({ sub: req.auth?.claims.sub ?? null });
    };
    app.get('/articles', auth, me);
    app.get('/admin', auth, requireRole('admin'), me);
    app.get('/write', auth, requireScope('articles:write'), me);
    app.get('/optional', authenticate({ verifier, realm: REALM, credentialsRequired: false }), me);
    app.get('/cookie', authenticate({ verifier, realm: REALM, cookie: 'access_token' }), me);
    app.get('/custom', authenticate({ verifier, realm: REALM, getToken: (req) => req.get('x-token') }), me);
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    request = async (path, headers) => {
      const res = await fetch(base + path, { headers });
      return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
    };
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await fixture.close();
  });

  contractTests(
    () => fixture,
    () => request,
  );

  it('reads the token with a custom getter', async () => {
    const ok = await request('/custom', { 'x-token': fixture.token() });
    assert.equal(ok.status, 200);
    const none = await request('/custom', { authorization: `Bearer ${fixture.token()}` });
    assert.equal(none.status, 401, 'the getter replaces the header lookup');
  });

  it('a throwing getter is a 500 without details, never a crash', async () => {
    const app = express();
    app.get(
      '/x',
      authenticate({
        verifier: fixture.verifier,
        getToken: () => {
          throw new Error('db password=secret');
        },
      }),
      (_req, res) => {
        res.end('no');
      },
    );
    const s = app.listen(0, '127.0.0.1');
    await once(s, 'listening');
    try {
      const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/x`);
      assert.equal(res.status, 500);
      const body = await res.text();
      assert.ok(!body.includes('secret'));
      assert.equal(JSON.parse(body).code, 'INTERNAL_ERROR');
    } finally {
      s.closeAllConnections();
      s.close();
    }
  });

  it('answers 503 with Retry-After when no signing key can be loaded', async () => {
    const app = express();
    app.get('/x', authenticate({ jwksUrl: 'http://127.0.0.1:9/jwks.json', realm: REALM }), (_req, res) => {
      res.end('no');
    });
    const s = app.listen(0, '127.0.0.1');
    await once(s, 'listening');
    try {
      const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/x`, {
        headers: { authorization: `Bearer ${fixture.token()}` },
      });
      assert.equal(res.status, 503);
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
      assert.equal(JSON.parse(await res.text()).code, 'JWKS_UNAVAILABLE');
    } finally {
      s.closeAllConnections();
      s.close();
    }
  });

  it('checks guard arguments and options at declaration time', () => {
    const bad = (options: unknown, claim: string) =>
      assert.throws(() => authenticate(options as Parameters<typeof authenticate>[0]), {
        code: 'OPTION_INVALID',
        claim,
      });
    bad({ verifier: fixture.verifier, credentialsRequired: 'no' }, 'credentialsRequired');
    bad({ verifier: fixture.verifier, realm: 7 }, 'realm');
    bad({ verifier: fixture.verifier, getToken: 'x' }, 'getToken');
    bad({ verifier: {} }, 'verifier');
    bad(null, 'options');
    assert.throws(() => requireRole(), { code: 'OPTION_INVALID' });
    assert.throws(() => requireScope(''), { code: 'OPTION_INVALID' });
    assert.throws(() => authenticate({ secret: 'short' }), { code: 'OPTION_INVALID', claim: 'secret' });
    assert.throws(() => authenticate({ secret: 'x'.repeat(32), cookie: 'a b' }), {
      code: 'OPTION_INVALID',
      claim: 'cookie',
    });
  });

  it('exposes the verifier for status endpoints', () => {
    const mw = authenticate({ verifier: fixture.verifier });
    assert.equal(mw.verifier, fixture.verifier);
    assert.equal(mw.verifier.status().revocation?.deny.jti, 1);
  });
});
