/** The sealed successor: round trip, only the presented token opens it, tampering detected. */
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { openSuccessor, sealSuccessor } from '../../src/domain/refresh-seal.js';
import { generateRefreshToken } from '../../src/domain/refresh-token.js';

/** The construction as documented, rebuilt from node:crypto alone (an independent check). */
function reference(presented: string) {
  const key = Buffer.from(
    hkdfSync(
      'sha256',
      Buffer.from(presented),
      Buffer.from('gatehouse/refresh-seal'),
      Buffer.from('gatehouse refresh successor v1'),
      32,
    ),
  );
  const aad = Buffer.from('v1');
  return { key, aad };
}

function referenceSeal(presented: string, plaintext: string): string {
  const { key, aad } = reference(presented);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv).setAAD(aad);
  const body = Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
  return `v1.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/** Flips one bit of the decoded byte `index` of segment `seg` (1 = IV, 2 = ciphertext+tag). */
function flip(sealed: string, seg: 1 | 2, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[seg] ?? '', 'base64url');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  parts[seg] = bytes.toString('base64url');
  return parts.join('.');
}

describe('sealSuccessor / openSuccessor', () => {
  test('round trip: the presented token opens the seal and gets the successor', () => {
    const presented = generateRefreshToken();
    const successor = generateRefreshToken();
    const sealed = sealSuccessor(presented, successor);
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{84}$/);
    assert.equal(openSuccessor(presented, sealed), successor);
  });

  test('matches the documented construction (HKDF-SHA256 key, AES-256-GCM, AAD = version)', () => {
    const presented = generateRefreshToken();
    const successor = generateRefreshToken();
    // Ours opened by the reference...
    const sealed = sealSuccessor(presented, successor);
    const [, iv, body] = sealed.split('.');
    const raw = Buffer.from(body ?? '', 'base64url');
    const { key, aad } = reference(presented);
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv ?? '', 'base64url')).setAAD(aad);
    d.setAuthTag(raw.subarray(raw.length - 16));
    assert.equal(
      Buffer.concat([d.update(raw.subarray(0, raw.length - 16)), d.final()]).toString(),
      successor,
    );
    // ...and the reference's opened by ours.
    assert.equal(openSuccessor(presented, referenceSeal(presented, successor)), successor);
  });

  test('the seal does not contain the successor, and every seal is different (random IV)', () => {
    const presented = generateRefreshToken();
    const successor = generateRefreshToken();
    const a = sealSuccessor(presented, successor);
    const b = sealSuccessor(presented, successor);
    assert.notEqual(a, b);
    for (const s of [a, b]) {
      assert.ok(!s.includes(successor.slice(4)));
      assert.ok(!Buffer.from(s.split('.')[2] ?? '', 'base64url').includes(Buffer.from(successor)));
    }
  });

  test('any other token cannot open it: not another token, not the successor, not the hash', () => {
    const presented = generateRefreshToken();
    const successor = generateRefreshToken();
    const sealed = sealSuccessor(presented, successor);
    const hashOfPresented = createHash('sha256').update(presented).digest('base64url');
    for (const wrong of [
      generateRefreshToken(),
      successor,
      hashOfPresented,
      `${presented.slice(0, -1)}A`,
      '',
    ]) {
      if (wrong === presented) continue;
      assert.equal(openSuccessor(wrong, sealed), null);
    }
  });

  test('tampering with any byte of the IV, ciphertext or tag is detected', () => {
    const presented = generateRefreshToken();
    const sealed = sealSuccessor(presented, generateRefreshToken());
    for (let i = 0; i < 12; i++) assert.equal(openSuccessor(presented, flip(sealed, 1, i)), null, `iv ${i}`);
    for (let i = 0; i < 63; i++)
      assert.equal(openSuccessor(presented, flip(sealed, 2, i)), null, `body ${i}`);
  });

  test('malformed seals are null, never a throw', () => {
    const presented = generateRefreshToken();
    const sealed = sealSuccessor(presented, generateRefreshToken());
    const [, iv, body] = sealed.split('.');
    const bad: unknown[] = [
      '',
      'v1',
      'v1..',
      `v2.${iv}.${body}`,
      `V1.${iv}.${body}`,
      `${sealed}A`,
      sealed.slice(0, -1),
      `v1.${body}.${iv}`,
      `v1.${iv}.${body}.x`,
      `v1.${iv}.${'A'.repeat(84)}`,
      `v1.${iv}.${body?.replace(/[A-Za-z0-9]/, '+')}`,
      'x'.repeat(1024 * 1024),
      null,
      undefined,
      42,
      {},
    ];
    for (const s of bad) assert.equal(openSuccessor(presented, s as string), null, String(s).slice(0, 40));
    assert.equal(openSuccessor(undefined as unknown as string, sealed), null);
  });

  test('a seal that holds something other than a refresh token is refused', () => {
    const presented = generateRefreshToken();
    // Same construction and length, but not our token's shape.
    assert.equal(openSuccessor(presented, referenceSeal(presented, `xyz_${'A'.repeat(43)}`)), null);
    assert.equal(openSuccessor(presented, referenceSeal(presented, generateRefreshToken())) !== null, true);
  });
});
