import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { generateKey, importSecret, type Key, signJwt } from '../../src/index.js';
import { createVerifier } from '../../src/verifier/create-verifier.js';
import { fakeClock, startAuthServer } from './helpers.js';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!';

function token(key: Key, claims: Record<string, unknown>, now: number, typ = 'at+jwt') {
  return signJwt({ sub: 'alice', aud: 'gatehouse', jti: `j-${Math.random()}`, ...claims }, key, {
    typ,
    now,
    expiresIn: 900,
  });
}

const rejects = (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (e: { code?: string }) => {
    assert.equal(e.code, code);
    return true;
  });

describe('createVerifier: secret mode (the seed style)', () => {
  it('verifies HS256 tokens and caches them', async () => {
    const clock = fakeClock();
    const v = createVerifier({ secret: SECRET, clock: clock.now });
    const t = signJwt({ sub: 'alice' }, importSecret(SECRET, 'HS256'), { now: clock.now(), expiresIn: 60 });
    assert.equal((await v.verify(t)).claims.sub, 'alice');
    assert.equal((await v.verify(t)).claims.sub, 'alice');
    const s = v.status();
    assert.deepEqual(s.cache, { enabled: true, hits: 1, misses: 1, size: 1, hitRate: 0.5 });
    assert.deepEqual(s.keys, { source: 'static', up: true, keys: 1 });
    assert.equal(s.revocation, null);
  });

  it('accepts tokens of the seed documents (jsonwebtoken, no kid)', async () => {
    const v = createVerifier({ secret: SECRET });
    const t = jwt.sign({ name: 'Atul Kumar' }, SECRET, { expiresIn: '15m' });
    assert.equal((await v.verify(t)).claims.name, 'Atul Kumar');
    await rejects(
      v.verify(jwt.sign({ name: 'x' }, SECRET, { expiresIn: '15m', algorithm: 'HS512' })),
      'ALG_NOT_ALLOWED',
    );
  });

  it('applies the 5 s default clock tolerance, then expires', async () => {
    const clock = fakeClock();
    const v = createVerifier({ secret: SECRET, clock: clock.now });
    const t = signJwt({ sub: 'a' }, importSecret(SECRET, 'HS256'), { now: clock.now(), expiresIn: 60 });
    clock.advance(64);
    await v.verify(t);
    clock.advance(2);
    await rejects(v.verify(t), 'TOKEN_EXPIRED');
  });

  it('refuses another secret, a token without exp, and empty input', async () => {
    const v = createVerifier({ secret: SECRET });
    const kid = importSecret(SECRET, 'HS256').kid;
    const other = signJwt({ sub: 'a' }, importSecret('b'.repeat(32), 'HS256', { kid }), { expiresIn: 60 });
    await rejects(v.verify(other), 'SIGNATURE_INVALID');
    const otherKid = signJwt({ sub: 'a' }, importSecret('b'.repeat(32), 'HS256'), { expiresIn: 60 });
    await rejects(v.verify(otherKid), 'KEY_UNKNOWN');
    await rejects(v.verify(signJwt({ sub: 'a' }, importSecret(SECRET, 'HS256'))), 'CLAIM_INVALID');
    await rejects(v.verify(''), 'TOKEN_MISSING');
    await rejects(v.verify('not.a.jwt'), 'TOKEN_MALFORMED');
  });
});

describe('createVerifier: claim options', () => {
  const key = generateKey('EdDSA');
  it('typ: false accepts any typ; maxTokenAge and requiredClaims apply', async () => {
    const clock = fakeClock();
    const v = createVerifier({
      keys: key,
      issuer: 'https://auth.example',
      typ: false,
      maxTokenAge: '1m',
      requiredClaims: ['exp', 'sid'],
      clock: clock.now,
    });
    const t = (claims: Record<string, unknown>) =>
      signJwt({ iss: 'https://auth.example', sid: 's', ...claims }, key, {
        typ: 'JWT',
        now: clock.now(),
        expiresIn: 600,
      });
    await v.verify(t({}));
    await rejects(v.verify(t({ sid: undefined })), 'CLAIM_INVALID');
    const old = t({ jti: 'old' });
    clock.advance(120);
    await rejects(v.verify(old), 'TOKEN_TOO_OLD');
  });

  it('typ defaults to at+jwt with an issuer, and to none without', async () => {
    const withIssuer = createVerifier({ keys: key, issuer: 'https://auth.example' });
    const plain = signJwt({ iss: 'https://auth.example' }, key, { expiresIn: 60 });
    await rejects(withIssuer.verify(plain), 'TOKEN_TYPE_INVALID');
    await createVerifier({ keys: key }).verify(plain);
  });
});

describe('createVerifier: issuer discovery and remote JWKS', async () => {
  const key1 = generateKey('ES256', { kid: 'k1' });
  const server = await startAuthServer({ keys: [key1] });
  after(() => server.close());

  it('discovers the JWKS, checks iss/aud/typ (at+jwt by default with an issuer)', async () => {
    const clock = fakeClock();
    const v = createVerifier({ issuer: server.issuer, audience: 'gatehouse', clock: clock.now });
    await v.ready();
    const now = clock.now();
    const ok = token(key1, { iss: server.issuer }, now);
    assert.equal((await v.verify(ok)).header.kid, 'k1');
    await rejects(v.verify(token(key1, { iss: 'http://evil.example' }, now)), 'CLAIM_INVALID');
    await rejects(v.verify(token(key1, { iss: server.issuer, aud: 'other' }, now)), 'CLAIM_INVALID');
    await rejects(v.verify(token(key1, { iss: server.issuer }, now, 'JWT')), 'TOKEN_TYPE_INVALID');
    const status = v.status();
    assert.equal(status.keys.up, true);
    assert.equal(status.keys.keys, 1);
    assert.equal('url' in status.keys && status.keys.url, server.jwksUrl);
  });

  it('refuses metadata that names another issuer', async () => {
    const evil = await startAuthServer({ keys: [key1], metadataIssuer: 'http://other.example' });
    try {
      const v = createVerifier({ issuer: evil.issuer });
      await rejects(v.ready(), 'JWKS_UNAVAILABLE');
      assert.equal(v.status().keys.up, false);
      const keys = v.status().keys;
      assert.equal('lastError' in keys && keys.lastError, 'issuer_mismatch');
    } finally {
      await evil.close();
    }
  });

  it('picks up a rotated key on an unknown kid (one refetch, then retry)', async () => {
    const clock = fakeClock();
    server.state.keys = [key1];
    const v = createVerifier({ jwksUrl: server.jwksUrl, clock: clock.now });
    await v.ready();
    const before = server.state.counts.jwks;
    const key2 = generateKey('ES256', { kid: 'k2' });
    server.state.keys = [key1, key2];
    clock.advance(31); // past the cooldown since the first fetch
    const claims = await v.verify(token(key2, {}, clock.now()));
    assert.equal(claims.header.kid, 'k2');
    assert.equal(server.state.counts.jwks, before + 1);
  });

  it('a flood of forged kids causes at most one refetch per cooldown', async () => {
    const clock = fakeClock();
    server.state.keys = [key1];
    const v = createVerifier({ jwksUrl: server.jwksUrl, clock: clock.now, jwks: { cooldown: 30 } });
    await v.ready();
    const start = server.state.counts.jwks;
    clock.advance(31);
    const forged = Array.from({ length: 200 }, (_, i) =>
      token(generateKey('ES256', { kid: `forged-${i % 20}` }), {}, clock.now()),
    );
    const results = await Promise.allSettled(forged.map((t) => v.verify(t)));
    assert.ok(
      results.every((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'KEY_UNKNOWN'),
    );
    assert.equal(server.state.counts.jwks, start + 1, 'one single-flight refetch');
    for (const t of forged.slice(0, 50)) await rejects(v.verify(t), 'KEY_UNKNOWN');
    clock.advance(10);
    for (const t of forged.slice(0, 50)) await rejects(v.verify(t), 'KEY_UNKNOWN');
    assert.equal(server.state.counts.jwks, start + 1, 'still within the cooldown');
    clock.advance(21);
    await rejects(v.verify(forged[0]!), 'KEY_UNKNOWN');
    assert.equal(server.state.counts.jwks, start + 2, 'one more after the cooldown');
  });

  it('honours Cache-Control max-age within bounds, and keeps serving when the server is down', async () => {
    const clock = fakeClock();
    server.state.keys = [key1];
    server.state.jwksCacheControl = 'public, max-age=120';
    const v = createVerifier({ jwksUrl: server.jwksUrl, clock: clock.now });
    await v.ready();
    const start = server.state.counts.jwks;
    const t = token(key1, {}, clock.now());
    clock.advance(100);
    await v.verify(t);
    assert.equal(server.state.counts.jwks, start, 'fresh for 120 s');
    server.state.jwksMode = 'error';
    clock.advance(30);
    await v.verify(t); // stale: background revalidation fails, cached keys still serve
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(server.state.counts.jwks, start + 1);
    const down = v.status().keys;
    assert.equal(down.up, false);
    assert.equal('lastError' in down && down.lastError, 'http_500');
    assert.equal(down.keys, 1);
    await v.verify(t);
    assert.equal(server.state.counts.jwks, start + 1, 'no refetch per request while failing');
    server.state.jwksMode = 'up';
    server.state.jwksCacheControl = 'max-age=99999';
    clock.advance(3);
    await v.verify(t);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(v.status().keys.up, true);
    const fetchedAt =
      'fetchedAt' in v.status().keys ? (v.status().keys as { fetchedAt: number }).fetchedAt : 0;
    clock.advance(599);
    await v.verify(token(key1, {}, clock.now()));
    assert.equal(server.state.counts.jwks, start + 2, 'max-age capped at 600 s but not reached');
    clock.advance(2);
    await v.verify(token(key1, {}, clock.now()));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(server.state.counts.jwks, start + 3);
    assert.ok(fetchedAt > 0);
    server.state.jwksCacheControl = 'max-age=300';
  });

  it('an unchanged JWKS on revalidation keeps the verified-token cache warm', async () => {
    const clock = fakeClock();
    server.state.keys = [key1];
    const v = createVerifier({ jwksUrl: server.jwksUrl, clock: clock.now });
    const t = token(key1, {}, clock.now());
    await v.verify(t);
    const fetches = server.state.counts.jwks;
    clock.advance(301);
    await v.verify(t); // stale: starts a background refetch
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(server.state.counts.jwks, fetches + 1);
    await v.verify(t);
    assert.equal(v.status().cache.hits, 2);
    // A changed document replaces the key set (and so the cache entries tied to it).
    server.state.keys = [key1, generateKey('ES256', { kid: 'k3' })];
    clock.advance(301);
    await v.verify(t);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(v.status().keys.keys, 2);
    await v.verify(t);
    assert.equal(v.status().cache.hits, 3, 'the entry was verified again against the new set');
    server.state.keys = [key1];
  });

  it('without any cached key, an unreachable JWKS is a 503 JWKS_UNAVAILABLE', async () => {
    server.state.jwksMode = 'reset';
    try {
      const v = createVerifier({ jwksUrl: server.jwksUrl });
      await rejects(v.verify(token(key1, {}, Math.floor(Date.now() / 1000))), 'JWKS_UNAVAILABLE');
      const s = v.status().keys;
      assert.equal(s.up, false);
      assert.equal('lastError' in s && s.lastError, 'network');
    } finally {
      server.state.jwksMode = 'up';
    }
  });

  it('never uses HS256 with a JWKS, even when the JWKS publishes an oct key', async () => {
    const v = createVerifier({ jwksUrl: server.jwksUrl });
    const t = signJwt({ sub: 'a' }, importSecret(SECRET, 'HS256', { kid: 'k1' }), { expiresIn: 60 });
    await rejects(v.verify(t), 'ALG_NOT_ALLOWED');
  });
});
