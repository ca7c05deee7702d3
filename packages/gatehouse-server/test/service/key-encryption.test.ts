import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decryptPrivateJwk, encryptPrivateJwk, isEncrypted } from '../../src/service/key-encryption.js';

const secret = 'an operator secret of reasonable length';
const jwk = JSON.stringify({ kty: 'EC', crv: 'P-256', d: 'private-part', x: 'x', y: 'y' });

test('enc:v1 round trip; salt and IV are fresh each time', async () => {
  const a = await encryptPrivateJwk(jwk, secret, 'kid-1');
  const b = await encryptPrivateJwk(jwk, secret, 'kid-1');
  assert.match(a, /^enc:v1:[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.notEqual(a, b);
  assert.ok(isEncrypted(a));
  assert.ok(!a.includes('private-part'));
  assert.equal(await decryptPrivateJwk(a, secret, 'kid-1'), jwk);
});

test('plain values pass through unchanged', async () => {
  assert.equal(isEncrypted(jwk), false);
  assert.equal(await decryptPrivateJwk(jwk, undefined, 'kid-1'), jwk);
});

test('wrong secret, another row (kid bound as AAD), tampering, missing secret: OPTION_INVALID', async () => {
  const stored = await encryptPrivateJwk(jwk, secret, 'kid-1');
  const parts = stored.slice('enc:v1:'.length).split('.');
  const ct = Buffer.from(parts[2] ?? '', 'base64url');
  ct[0] = (ct[0] ?? 0) ^ 1;
  const tampered = `enc:v1:${[parts[0], parts[1], ct.toString('base64url'), parts[3]].join('.')}`;
  const cases: [string, string | undefined, string][] = [
    [stored, 'another secret entirely', 'kid-1'],
    [stored, secret, 'kid-2'],
    [tampered, secret, 'kid-1'],
    [stored, undefined, 'kid-1'],
    ['enc:v1:garbage', secret, 'kid-1'],
    ['enc:v9:whatever', secret, 'kid-1'],
  ];
  for (const [value, key, kid] of cases) {
    const err = await decryptPrivateJwk(value, key, kid).catch((e) => e);
    assert.equal(err?.code, 'OPTION_INVALID');
    assert.match(err.message, /GATEHOUSE_KEY_ENCRYPTION_SECRET|encryption format/);
    assert.ok(!err.message.includes(secret) && !err.message.includes('another secret'));
  }
});
