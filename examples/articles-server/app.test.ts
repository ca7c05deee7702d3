/**
 * The articles server without a browser or an auth server: HS256 tokens signed here with the
 * shared secret (the seed documents' style), requests through a real socket on port 0.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { importSecret, signJwt } from 'gatehouse';

const SECRET = 'a shared secret of at least 32 bytes!';
const ISSUER = 'http://127.0.0.1:5000';

interface ArticlesApp {
  app: { listen(port: number, host: string, cb: () => void): Server };
  close(): void;
}
// A computed specifier: app.js is plain JavaScript (checked by its own tsconfig.json).
const { createArticlesApp } = (await import(new URL('./app.js', import.meta.url).href)) as {
  createArticlesApp: (options: Record<string, unknown>) => ArticlesApp;
};

const key = importSecret(SECRET, 'HS256');
const token = (username: string, roles: string[] = [], claims: Record<string, unknown> = {}) =>
  signJwt({ iss: ISSUER, aud: 'gatehouse', sub: `id-${username}`, username, roles, ...claims }, key, {
    typ: 'at+jwt',
    expiresIn: 60,
  });

describe('examples/articles-server', () => {
  let articles: ArticlesApp;
  let server: Server;
  let base: string;
  const get = (path: string, bearer?: string) =>
    fetch(base + path, bearer === undefined ? {} : { headers: { authorization: `Bearer ${bearer}` } });

  before(async () => {
    articles = createArticlesApp({ issuer: ISSUER, secret: SECRET });
    server = await new Promise<Server>((resolve) => {
      const s = articles.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  after(async () => {
    articles.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('GET /public needs no token; every answer carries the strict CSP', async () => {
    const res = await get('/public');
    assert.equal(res.status, 200);
    assert.match((await res.json()).message, /Anyone/);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self' http:\/\/127\.0\.0\.1:5000(;|$)/);
    assert.doesNotMatch(csp, /unsafe/);
  });

  test('GET /articles: 401 with a Bearer challenge without a token or with a bad one', async () => {
    const none = await get('/articles');
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="articles"');
    const forged = signJwt(
      { iss: ISSUER, aud: 'gatehouse', username: 'x' },
      importSecret('another secret of 32 bytes or more', 'HS256'),
      { typ: 'at+jwt', expiresIn: 60 },
    );
    const bad = await get('/articles', forged);
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    const wrongIssuer = await get('/articles', token('alice', [], { iss: 'http://evil.example' }));
    assert.equal(wrongIssuer.status, 401);
  });

  test("GET /articles: the caller's own articles, compared case-insensitively", async () => {
    const res = await get('/articles', token('alice'));
    assert.equal(res.status, 200);
    const list = (await res.json()) as { name: string }[];
    assert.equal(list.length, 3);
    assert.ok(list.every((a) => a.name === 'alice'));
    const again = (await (await get('/articles', token('ALICE'))).json()) as unknown[];
    assert.equal(again.length, 3, 'no second set for the same user');
  });

  test('GET /articles/all: 403 insufficient_scope without the admin role, everything with it', async () => {
    const user = await get('/articles/all', token('bob'));
    assert.equal(user.status, 403);
    assert.match(user.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
    const admin = await get('/articles/all', token('root', ['admin']));
    assert.equal(admin.status, 200);
    const names = new Set(((await admin.json()) as { name: string }[]).map((a) => a.name));
    assert.ok(names.has('Kyle') && names.has('alice'));
  });

  test('the page, its config (no secret) and only the .js files of the built SDK', async () => {
    const page = await get('/');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script type="module" src="\/app.js">/);
    const config = await (await get('/config.json')).text();
    assert.doesNotMatch(config, /shared secret/);
    assert.equal(JSON.parse(config).algorithm, 'HS256');
    assert.equal((await get('/vendor/gatehouse/client/index.js')).status, 200);
    for (const path of [
      '/vendor/gatehouse/client/index.d.ts',
      '/vendor/gatehouse/../package.json',
      '/vendor/gatehouse/%2e%2e/package.json',
      '/nope',
    ]) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(await res.text(), /at .*\.js:\d+/, 'no stack trace');
    }
  });

  test('bad options stop start-up with a GatehouseError naming the option', () => {
    assert.throws(() => createArticlesApp({ issuer: ISSUER, secret: 'short' }), { code: 'OPTION_INVALID' });
    assert.throws(() => createArticlesApp({ issuer: 'not a url' }), { code: 'OPTION_INVALID' });
    assert.throws(() => createArticlesApp({ issuer: ISSUER, authUrl: 'nope' }), { code: 'OPTION_INVALID' });
  });
});
