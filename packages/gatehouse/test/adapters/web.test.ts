import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createWebAuth, type WebAuth } from '../../src/adapters/web.js';
import { contractTests, createFixture, type Fixture, REALM, type Requester } from './contract.js';

describe('gatehouse/web', () => {
  let fixture: Fixture;
  let routes: Record<string, (request: Request) => Promise<Response>>;
  const request: Requester = async (path, headers) => {
    const res = await routes[path]!(new Request(`http://localhost${path}`, { headers }));
    return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
  };

  before(async () => {
    fixture = await createFixture();
    const { verifier } = fixture;
    const handler =
      (auth: WebAuth, need?: Parameters<WebAuth>[1]) =>
      async (req: Request): Promise<Response> => {
        const result = await auth(req, need);
        if (!result.ok) return result.response;
        return Response.json({ sub: result.auth?.claims.sub ?? null });
      };
    const auth = createWebAuth({ verifier, realm: REALM });
    routes = {
      '/articles': handler(auth),
      '/admin': handler(auth, { roles: ['admin'] }),
      '/write': handler(auth, { scopes: ['articles:write'] }),
      '/optional': handler(createWebAuth({ verifier, realm: REALM, credentialsRequired: false })),
      '/cookie': handler(createWebAuth({ verifier, realm: REALM, cookie: 'access_token' })),
    };
  });
  after(() => fixture.close());

  contractTests(
    () => fixture,
    () => request,
  );

  it('returns the status next to the response, and the verifier', async () => {
    const auth = createWebAuth({ verifier: fixture.verifier });
    const result = await auth(new Request('http://localhost/'));
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.status, result.response.status);
    assert.equal(auth.verifier, fixture.verifier);
  });

  it('answers 503 JWKS_UNAVAILABLE with Retry-After when no key can be loaded', async () => {
    const auth = createWebAuth({ jwksUrl: 'http://127.0.0.1:9/jwks.json' });
    const result = await auth(
      new Request('http://localhost/', { headers: { authorization: `Bearer ${fixture.token()}` } }),
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.status, 503);
    assert.ok(Number(result.response.headers.get('retry-after')) >= 1);
    assert.equal(((await result.response.json()) as { code: string }).code, 'JWKS_UNAVAILABLE');
    // A malformed token is still a 401, keys or not.
    const bad = await auth(new Request('http://localhost/', { headers: { authorization: 'Bearer abc' } }));
    assert.equal(bad.ok ? 200 : bad.status, 401);
  });

  it('a custom getter may be async', async () => {
    const auth = createWebAuth({
      verifier: fixture.verifier,
      getToken: async (req) => new URL(req.url).hash.slice(1),
    });
    const result = await auth(new Request(`http://localhost/#${fixture.token()}`));
    assert.equal(result.ok && result.auth?.claims.sub, 'alice');
  });

  it('several Authorization headers are refused as malformed', async () => {
    const auth = createWebAuth({ verifier: fixture.verifier });
    const headers = new Headers();
    headers.append('authorization', `Bearer ${fixture.token()}`);
    headers.append('authorization', `Bearer ${fixture.token()}`);
    const result = await auth(new Request('http://localhost/', { headers }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.response.headers.get('www-authenticate') ?? '', /invalid_token/);
  });
});
