import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isPublished, isUsableSigner, keyStatusView, pickSigner } from '../../src/domain/signing-keys.js';
import type { SigningKeyRecord } from '../../src/storage/types.js';

const now = 1_000_000;
const key = (kid: string, over: Partial<SigningKeyRecord> = {}): SigningKeyRecord => ({
  kid,
  alg: 'ES256',
  privateJwk: '{}',
  publicJwk: '{}',
  createdAt: now - 1000,
  activatesAt: now - 1000,
  retiredAt: null,
  revokedAt: null,
  publishUntil: null,
  ...over,
});

describe('signing-key policy', () => {
  test('the newest activated key signs; pending, retired, revoked and other-alg keys do not', () => {
    const keys = [
      key('old', { activatesAt: now - 5000, createdAt: now - 5000 }),
      key('current', { activatesAt: now - 10 }),
      key('pending', { activatesAt: now + 60_000 }),
      key('revoked', { activatesAt: now - 1, revokedAt: now - 1 }),
      key('retired', { activatesAt: now - 2, retiredAt: now - 1 }),
      key('rsa', { alg: 'RS256', activatesAt: now }),
    ];
    assert.equal(pickSigner(keys, 'ES256', now)?.kid, 'current');
    assert.equal(pickSigner(keys, 'ES256', now + 60_000)?.kid, 'pending');
    assert.equal(pickSigner(keys, 'RS256', now)?.kid, 'rsa');
    assert.equal(pickSigner([], 'ES256', now), undefined);
  });

  test('ties are broken the same way everywhere: oldest creation, then smallest kid', () => {
    const a = key('b-kid', { activatesAt: now, createdAt: now - 2 });
    const b = key('a-kid', { activatesAt: now, createdAt: now - 1 });
    const c = key('c-kid', { activatesAt: now, createdAt: now - 2 });
    assert.equal(pickSigner([a, b, c], 'ES256', now)?.kid, 'b-kid');
    assert.equal(pickSigner([c, b, a], 'ES256', now)?.kid, 'b-kid');
  });

  test('a key retiring in the future still signs until then', () => {
    assert.equal(isUsableSigner(key('k', { retiredAt: now + 1 }), 'ES256', now), true);
    assert.equal(isUsableSigner(key('k', { retiredAt: now }), 'ES256', now), false);
  });

  test('published: not revoked and before publishUntil (pending keys too)', () => {
    assert.equal(isPublished(key('k', { activatesAt: now + 1 }), now), true);
    assert.equal(isPublished(key('k', { publishUntil: now + 1 }), now), true);
    assert.equal(isPublished(key('k', { publishUntil: now }), now), false);
    assert.equal(isPublished(key('k', { revokedAt: now - 1 }), now), false);
  });

  test('status view', () => {
    assert.equal(keyStatusView(key('k'), now, 'k').status, 'active');
    assert.equal(keyStatusView(key('k'), now, 'other').status, 'retired');
    assert.equal(keyStatusView(key('k', { activatesAt: now + 1 }), now, 'other').status, 'pending');
    assert.equal(keyStatusView(key('k', { revokedAt: now }), now, 'k').status, 'revoked');
    const v = keyStatusView(key('k', { publishUntil: now }), now, 'k');
    assert.equal(v.publishUntil, new Date(now).toISOString());
    assert.equal(v.createdAt, new Date(now - 1000).toISOString());
  });
});
