import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  generateRefreshToken,
  hashRefreshToken,
  isRefreshTokenShape,
} from '../../src/domain/refresh-token.js';
import { hasRole, normalizeRoles } from '../../src/domain/roles.js';
import { ACCOUNT_FAILURE_LIMIT, loginThrottleRules, throttleDecision } from '../../src/domain/throttle.js';

describe('refresh tokens', () => {
  test('ghr_ + 256 random bits in base64url', () => {
    const t = generateRefreshToken();
    assert.match(t, /^ghr_[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(t.slice(4), 'base64url').length, 32);
    const many = new Set(Array.from({ length: 1000 }, generateRefreshToken));
    assert.equal(many.size, 1000);
  });

  test('stored as SHA-256 base64url', () => {
    const t = generateRefreshToken();
    assert.equal(hashRefreshToken(t), createHash('sha256').update(t).digest('base64url'));
    assert.notEqual(hashRefreshToken(t), t);
  });

  test('shape check refuses anything else without hashing it', () => {
    assert.equal(isRefreshTokenShape(generateRefreshToken()), true);
    for (const bad of [
      undefined,
      null,
      42,
      {},
      '',
      'ghr_',
      `ghp_${'A'.repeat(43)}`,
      `ghr_${'A'.repeat(42)}`,
      `ghr_${'A'.repeat(44)}`,
      `ghr_${'A'.repeat(42)}=`,
      `ghr_${'A'.repeat(42)}+`,
      `ghr_${'x'.repeat(1_000_000)}`,
    ]) {
      assert.equal(isRefreshTokenShape(bad), false, String(bad).slice(0, 50));
    }
  });
});

describe('roles', () => {
  test('validated, deduplicated, order kept', () => {
    assert.deepEqual(normalizeRoles(['admin', 'editor', 'admin']), ['admin', 'editor']);
    assert.deepEqual(normalizeRoles([]), []);
    assert.equal(hasRole(['a', 'admin'], 'admin'), true);
    assert.equal(hasRole(['administrator'], 'admin'), false);
  });

  test('bad role lists are VALIDATION_FAILED', () => {
    for (const bad of [
      'admin',
      [1],
      [''],
      ['has space'],
      ['x'.repeat(65)],
      Array.from({ length: 33 }, (_, i) => `r${i}`),
    ]) {
      assert.throws(() => normalizeRoles(bad), { code: 'VALIDATION_FAILED', claim: 'roles' });
    }
  });
});

describe('login throttling policy', () => {
  const [rule] = loginThrottleRules('alice');

  test('10 failures per account per 15 minutes, keyed by the normalised name', () => {
    assert.ok(rule);
    assert.equal(rule.limit, ACCOUNT_FAILURE_LIMIT);
    assert.equal(ACCOUNT_FAILURE_LIMIT, 10);
    assert.equal(rule.windowMs, 15 * 60 * 1000);
    assert.equal(rule.key, 'login:account:alice');
  });

  test('allowed up to the limit, then throttled with a whole-second retryAfter >= 1', () => {
    assert.ok(rule);
    assert.deepEqual(throttleDecision(rule, { count: 10, resetAt: 5000 }, 0), { allowed: true });
    assert.deepEqual(throttleDecision(rule, { count: 11, resetAt: 5001 }, 0), {
      allowed: false,
      retryAfter: 6,
    });
    assert.deepEqual(throttleDecision(rule, { count: 11, resetAt: 0 }, 0), { allowed: false, retryAfter: 1 });
  });
});
