/** CORS for the configured origins only, and X-Forwarded-For only with GATEHOUSE_TRUST_PROXY. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/env.js';
import { createAuthServer } from '../../src/http/server.js';
import { call, login, startServer } from './helpers.js';

test('CORS: allowed origins are reflected with credentials; others get no CORS header', async () => {
  const h = await startServer({ env: { GATEHOUSE_CORS_ORIGINS: 'http://127.0.0.1:4000' } });
  try {
    const ok = await call(h.server, 'GET', '/healthz', { headers: { origin: 'http://127.0.0.1:4000' } });
    assert.equal(ok.headers['access-control-allow-origin'], 'http://127.0.0.1:4000');
    assert.equal(ok.headers['access-control-allow-credentials'], 'true');
    assert.match(String(ok.headers.vary), /Origin/);
    const evil = await call(h.server, 'GET', '/healthz', { headers: { origin: 'https://evil.example' } });
    assert.equal(evil.headers['access-control-allow-origin'], undefined);

    const preflight = await h.server.app.inject({
      method: 'OPTIONS',
      url: '/auth/login',
      headers: { origin: 'http://127.0.0.1:4000', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.statusCode, 204);
    assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
    assert.match(String(preflight.headers['access-control-allow-headers']), /authorization/);
    const evilPreflight = await h.server.app.inject({
      method: 'OPTIONS',
      url: '/auth/login',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(evilPreflight.headers['access-control-allow-methods'], undefined);
    assert.equal(evilPreflight.headers['access-control-allow-origin'], undefined);
  } finally {
    await h.close();
  }
});

test('X-Forwarded-For is ignored by default and used with GATEHOUSE_TRUST_PROXY', async () => {
  for (const [trust, expected] of [
    ['false', '127.0.0.1'],
    ['true', '203.0.113.7'],
  ] as const) {
    const h = await startServer({ env: { GATEHOUSE_TRUST_PROXY: trust } });
    try {
      const pair = await login(h.server);
      await call(h.server, 'POST', '/auth/login', {
        body: { username: 'alice', password: 'correct horse battery staple' },
        headers: { 'x-forwarded-for': '203.0.113.7' },
      });
      const sessions = (await call(h.server, 'GET', '/auth/sessions', { token: pair.access_token })).json();
      const proxied = sessions.find((s: { current: boolean }) => !s.current);
      assert.equal(proxied.ip, expected, `trust proxy ${trust}`);
    } finally {
      await h.close();
    }
  }
});

test('createAuthServer(config) opens the configured database itself, creating its folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-open-'));
  const dbPath = join(dir, 'nested', 'folder', 'gatehouse.db');
  try {
    const config = loadConfig({
      env: { GATEHOUSE_DATABASE_URL: dbPath, GATEHOUSE_LOG_LEVEL: 'silent' },
      envFile: false,
    });
    const server = await createAuthServer(config);
    try {
      assert.ok(existsSync(dbPath));
      assert.equal((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
      const jwks = (await server.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      assert.equal(jwks.keys.length, 1, 'a signing key is generated on first start');
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
