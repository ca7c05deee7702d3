/**
 * The allocation-free hot path (shared scratch buffers for decoding and signing) and the
 * two-generation verified-token cache: same answers as the plain code, whatever the sizes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeCanonical, decodeCanonicalToScratch, scratchBuffer } from '../../src/core/base64url.js';
import { createJwtVerifier, generateKey, signJws, signJwt, verifyJws, verifyJwt } from '../../src/index.js';

const NOW = 1_700_000_000;

describe('scratch decoding', () => {
  it('decodeCanonicalToScratch agrees with decodeCanonical on any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.base64String(),
          fc.uint8Array().map((b) => Buffer.from(b).toString('base64url')),
        ),
        (s) => {
          const plain = decodeCanonical(s);
          const n = decodeCanonicalToScratch(s);
          if (plain === undefined) assert.equal(n, -1);
          else assert.deepEqual(scratchBuffer().subarray(0, n), plain);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('grows for payloads larger than the initial scratch buffer (HS and asymmetric)', () => {
    for (const alg of ['HS256', 'ES256', 'RS256'] as const) {
      const key = generateKey(alg);
      const big = 'é'.repeat(20_000); // 40 KB of UTF-8, non-ASCII
      const token = signJwt({ big, exp: NOW + 60 }, key);
      const { payload } = verifyJwt(token, key, { algorithms: [alg], now: NOW, maxTokenSize: 200_000 });
      assert.equal(payload.big, big);
      // And back to a small token: no stale bytes from the larger one leak into the result.
      const small = signJwt({ sub: 'a', exp: NOW + 60 }, key);
      assert.deepEqual(verifyJwt(small, key, { algorithms: [alg], now: NOW }).payload, {
        sub: 'a',
        exp: NOW + 60,
      });
    }
  });

  it('a JWS payload is returned as its own bytes, not a view of shared memory', () => {
    const key = generateKey('EdDSA');
    const a = verifyJws(signJws('first', key), key, { algorithms: ['EdDSA'] }).payload;
    verifyJws(signJws('second!', key), key, { algorithms: ['EdDSA'] });
    assert.equal(Buffer.from(a).toString(), 'first');
  });
});

describe('two-generation verified-token cache', () => {
  const key = generateKey('HS256');
  const tokens = Array.from({ length: 50 }, (_, i) => signJwt({ i, exp: NOW + 100 }, key));

  it('never holds more than max entries', () => {
    for (const max of [1, 2, 3, 4, 7, 10]) {
      const verify = createJwtVerifier(key, { algorithms: ['HS256'], cache: { max }, clock: () => NOW });
      for (const t of tokens) {
        verify(t);
        assert.ok(verify.cacheStats.size <= max, `max ${max}: size ${verify.cacheStats.size}`);
      }
      assert.ok(verify.cacheStats.size >= Math.min(max, 2) - 1);
    }
  });

  it('keeps a recently used entry and drops the least recently used', () => {
    const verify = createJwtVerifier(key, { algorithms: ['HS256'], cache: { max: 4 }, clock: () => NOW });
    for (const t of tokens.slice(0, 4)) verify(t); // young {2,3}, old {0,1}
    verify(tokens[0]!); // hit in the old generation: back to the young one
    assert.equal(verify.cacheStats.hits, 1);
    verify(tokens[4]!);
    verify(tokens[5]!);
    const before = verify.cacheStats;
    verify(tokens[0]!); // still cached
    assert.equal(verify.cacheStats.hits, before.hits + 1);
    verify(tokens[1]!); // the least recently used: gone
    assert.equal(verify.cacheStats.misses, before.misses + 1);
  });

  it('a miss result is frozen before the caller gets it, so it can never poison later hits', () => {
    const verify = createJwtVerifier(key, { algorithms: ['HS256'], cache: { max: 10 }, clock: () => NOW });
    const token = signJwt({ roles: ['user'], nested: { a: [1, { b: 2 }] }, exp: NOW + 100 }, key);
    const first = verify(token);
    assert.throws(() => (first.payload.roles as string[]).push('admin'), TypeError);
    assert.throws(() => {
      ((first.payload.nested as { a: unknown[] }).a[1] as { b: number }).b = 3;
    }, TypeError);
    assert.deepEqual(verify(token).payload.roles, ['user']);
  });

  it('an expired or key-changed entry in either generation is dropped, not served', () => {
    let t = NOW;
    let current = key;
    const verify = createJwtVerifier(() => current, {
      algorithms: ['HS256'],
      cache: { max: 4 },
      clock: () => t,
    });
    for (const tok of tokens.slice(0, 4)) verify(tok);
    current = generateKey('HS256');
    assert.throws(() => verify(tokens[0]!), { code: 'SIGNATURE_INVALID' }); // old generation
    assert.throws(() => verify(tokens[3]!), { code: 'SIGNATURE_INVALID' }); // young generation
    current = key;
    t = NOW + 100;
    assert.throws(() => verify(tokens[1]!), { code: 'TOKEN_EXPIRED' });
    assert.equal(verify.cacheStats.hits, 0);
  });
});
