/** loadConfig: defaults, precedence (flags > environment > .env), and one-line errors naming the variable. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/env.js';
import { toServiceOptions } from '../../src/config/service-options.js';
import { VARIABLES } from '../../src/config/variables.js';
import type { Store } from '../../src/storage/types.js';

const load = (env: Record<string, string>, flags: Record<string, string> = {}) =>
  loadConfig({ env, flags, envFile: false });

function rejects(
  env: Record<string, string>,
  variable: string,
  flags: Record<string, string> = {},
): ConfigError {
  try {
    load(env, flags);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    assert.equal(err.variable, variable);
    assert.equal(err.code, 'OPTION_INVALID');
    assert.ok(err.message.startsWith(`${variable}: `), err.message);
    assert.ok(!err.message.includes('\n'), 'one line');
    return err;
  }
  assert.fail(`expected a ConfigError for ${variable}`);
}

describe('loadConfig', () => {
  test('defaults of the contract with no configuration at all', () => {
    const c = load({});
    assert.equal(c.port, 5000);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.databaseUrl, './data/gatehouse.db');
    assert.equal(c.redisUrl, null);
    assert.equal(c.issuer, 'http://127.0.0.1:5000');
    assert.equal(c.audience, 'gatehouse');
    assert.equal(c.accessTtl, 15 * 60);
    assert.equal(c.refreshTtl, 30 * 86400);
    assert.equal(c.refreshIdleTtl, null);
    assert.equal(c.reuseGrace, 10);
    assert.equal(c.alg, 'ES256');
    assert.equal(c.keyPropagation, 60);
    assert.equal(c.hsSecret, null);
    assert.equal(c.openRegistration, true);
    assert.equal(c.cookieMode, 'both');
    assert.deepEqual(c.corsOrigins, []);
    assert.equal(c.trustProxy, false);
    assert.equal(c.logLevel, 'info');
  });

  test('every variable is parsed', () => {
    const c = load({
      GATEHOUSE_PORT: '8080',
      GATEHOUSE_HOST: '::1',
      GATEHOUSE_DATABASE_URL: 'file:/tmp/x.db',
      GATEHOUSE_REDIS_URL: 'redis://127.0.0.1:6379',
      GATEHOUSE_AUDIENCE: 'articles',
      GATEHOUSE_ACCESS_TTL: '5m',
      GATEHOUSE_REFRESH_TTL: '7 days',
      GATEHOUSE_REFRESH_IDLE_TTL: '1 week',
      GATEHOUSE_REFRESH_REUSE_GRACE: '0',
      GATEHOUSE_ALG: 'HS256',
      GATEHOUSE_KEY_PROPAGATION: '0',
      GATEHOUSE_HS_SECRET: 's'.repeat(32),
      GATEHOUSE_KEY_ENCRYPTION_SECRET: 'k'.repeat(40),
      GATEHOUSE_OPEN_REGISTRATION: 'no',
      GATEHOUSE_COOKIE_MODE: 'only',
      GATEHOUSE_CORS_ORIGINS: 'https://app.example.com, http://localhost:3000',
      GATEHOUSE_TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
      GATEHOUSE_LOG_LEVEL: 'debug',
    });
    assert.equal(c.port, 8080);
    assert.equal(c.issuer, 'http://[::1]:8080');
    assert.equal(c.databaseUrl, 'file:/tmp/x.db');
    assert.equal(c.redisUrl, 'redis://127.0.0.1:6379');
    assert.equal(c.accessTtl, 300);
    assert.equal(c.refreshTtl, 7 * 86400);
    assert.equal(c.refreshIdleTtl, 7 * 86400);
    assert.equal(c.reuseGrace, 0);
    assert.equal(c.keyPropagation, 0);
    assert.equal(c.alg, 'HS256');
    assert.equal(c.hsSecret, 's'.repeat(32));
    assert.equal(c.openRegistration, false);
    assert.equal(c.cookieMode, 'only');
    assert.deepEqual(c.corsOrigins, ['https://app.example.com', 'http://localhost:3000']);
    assert.deepEqual(c.trustProxy, ['10.0.0.0/8', '127.0.0.1']);
    assert.equal(c.logLevel, 'debug');
    assert.equal(load({ GATEHOUSE_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.equal(load({ GATEHOUSE_TRUST_PROXY: 'true' }).trustProxy, true);
  });

  test('precedence: flags over the environment over .env over defaults; the environment is not modified', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
    try {
      writeFileSync(
        join(dir, '.env'),
        '# comment\nGATEHOUSE_PORT=6000\nGATEHOUSE_AUDIENCE="from-dotenv"\nGATEHOUSE_ACCESS_TTL=2m\n',
      );
      const env = { GATEHOUSE_AUDIENCE: 'from-env' };
      const fromFile = loadConfig({ env, cwd: dir });
      assert.equal(fromFile.port, 6000);
      assert.equal(fromFile.audience, 'from-env');
      assert.equal(fromFile.accessTtl, 120);
      const withFlags = loadConfig({ env, cwd: dir, flags: { port: '7000', audience: 'from-flag' } });
      assert.equal(withFlags.port, 7000);
      assert.equal(withFlags.audience, 'from-flag');
      assert.equal(withFlags.issuer, 'http://127.0.0.1:7000');
      assert.deepEqual(env, { GATEHOUSE_AUDIENCE: 'from-env' });
      assert.equal(process.env.GATEHOUSE_ACCESS_TTL, undefined);
      assert.equal(loadConfig({ env: {}, cwd: dir, envFile: false }).port, 5000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad or insecure values → one line naming the variable', () => {
    rejects({ GATEHOUSE_PORT: '70000' }, 'GATEHOUSE_PORT');
    rejects({ GATEHOUSE_PORT: 'http' }, 'GATEHOUSE_PORT');
    rejects({ GATEHOUSE_PORT: '-1' }, 'GATEHOUSE_PORT');
    rejects({ GATEHOUSE_HOST: 'a b' }, 'GATEHOUSE_HOST');
    rejects({ GATEHOUSE_ALG: 'none' }, 'GATEHOUSE_ALG');
    rejects({ GATEHOUSE_ALG: 'NONE' }, 'GATEHOUSE_ALG');
    rejects({ GATEHOUSE_ALG: 'HS1' }, 'GATEHOUSE_ALG');
    rejects({ GATEHOUSE_ALG: 'HS256' }, 'GATEHOUSE_HS_SECRET');
    rejects({ GATEHOUSE_ALG: 'HS512', GATEHOUSE_HS_SECRET: 'x'.repeat(48) }, 'GATEHOUSE_HS_SECRET');
    rejects({ GATEHOUSE_ACCESS_TTL: '15 parsecs' }, 'GATEHOUSE_ACCESS_TTL');
    rejects({ GATEHOUSE_ACCESS_TTL: '0' }, 'GATEHOUSE_ACCESS_TTL');
    rejects({ GATEHOUSE_REFRESH_TTL: '-5m' }, 'GATEHOUSE_REFRESH_TTL');
    rejects({ GATEHOUSE_REFRESH_IDLE_TTL: 'soon' }, 'GATEHOUSE_REFRESH_IDLE_TTL');
    rejects({ GATEHOUSE_REFRESH_REUSE_GRACE: '1.5.2m' }, 'GATEHOUSE_REFRESH_REUSE_GRACE');
    rejects({ GATEHOUSE_KEY_PROPAGATION: 'later' }, 'GATEHOUSE_KEY_PROPAGATION');
    rejects({ GATEHOUSE_ISSUER: 'not a url' }, 'GATEHOUSE_ISSUER');
    rejects({ GATEHOUSE_ISSUER: 'ftp://auth.example.com' }, 'GATEHOUSE_ISSUER');
    rejects({ GATEHOUSE_ISSUER: 'https://auth.example.com/?x=1' }, 'GATEHOUSE_ISSUER');
    rejects({ GATEHOUSE_DATABASE_URL: 'mysql://db/x' }, 'GATEHOUSE_DATABASE_URL');
    rejects({ GATEHOUSE_REDIS_URL: 'http://cache' }, 'GATEHOUSE_REDIS_URL');
    rejects({ GATEHOUSE_OPEN_REGISTRATION: 'maybe' }, 'GATEHOUSE_OPEN_REGISTRATION');
    rejects({ GATEHOUSE_COOKIE_MODE: 'sometimes' }, 'GATEHOUSE_COOKIE_MODE');
    rejects({ GATEHOUSE_CORS_ORIGINS: 'https://app.example.com/path' }, 'GATEHOUSE_CORS_ORIGINS');
    rejects({ GATEHOUSE_CORS_ORIGINS: '*' }, 'GATEHOUSE_CORS_ORIGINS');
    rejects({ GATEHOUSE_TRUST_PROXY: '10.0.0.0/99' }, 'GATEHOUSE_TRUST_PROXY');
    rejects({ GATEHOUSE_LOG_LEVEL: 'loud' }, 'GATEHOUSE_LOG_LEVEL');
    rejects({ GATEHOUSE_KEY_ENCRYPTION_SECRET: 'short' }, 'GATEHOUSE_KEY_ENCRYPTION_SECRET');
    rejects({}, 'GATEHOUSE_PORT', { port: 'abc' });
    const unknownFlag = rejects({}, '--hs-secret', { 'hs-secret': 'x'.repeat(40) });
    assert.match(unknownFlag.message, /unknown configuration flag/);
  });

  test('secret values never appear in messages; other values are quoted on one line', () => {
    const hs = rejects(
      { GATEHOUSE_ALG: 'HS256', GATEHOUSE_HS_SECRET: 'tooshort-secret' },
      'GATEHOUSE_HS_SECRET',
    );
    assert.ok(!hs.message.includes('tooshort-secret'));
    assert.match(hs.message, /15 bytes, at least 32/);
    const kes = rejects({ GATEHOUSE_KEY_ENCRYPTION_SECRET: 'abc123' }, 'GATEHOUSE_KEY_ENCRYPTION_SECRET');
    assert.ok(!kes.message.includes('abc123'));
    const redis = rejects({ GATEHOUSE_REDIS_URL: 'nota url with :password@' }, 'GATEHOUSE_REDIS_URL');
    assert.ok(!redis.message.includes('password'));
    const multi = rejects({ GATEHOUSE_PORT: '1\n2\r\n3' }, 'GATEHOUSE_PORT');
    assert.ok(!/[\r\n]/.test(multi.message));
  });

  test('empty values count as unset', () => {
    assert.equal(load({ GATEHOUSE_PORT: '', GATEHOUSE_REDIS_URL: '' }).port, 5000);
  });

  test('toServiceOptions maps durations and secrets', () => {
    const c = load({
      GATEHOUSE_ALG: 'HS256',
      GATEHOUSE_HS_SECRET: 'h'.repeat(32),
      GATEHOUSE_REFRESH_IDLE_TTL: '1h',
    });
    const store = {} as Store;
    const o = toServiceOptions(c, store, {
      passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    });
    assert.equal(o.store, store);
    assert.equal(o.hsSecret, 'h'.repeat(32));
    assert.equal(o.refreshIdleTtl, 3600);
    assert.equal(o.accessTtl, 900);
    assert.equal(o.keyEncryptionSecret, undefined);
    assert.deepEqual(o.passwordHashing, { memoryCost: 1024, timeCost: 1, parallelism: 1 });
  });

  test('docs/configuration.md documents every variable', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8');
    for (const v of VARIABLES) assert.ok(doc.includes(`\`${v.name}\``), v.name);
  });
});
