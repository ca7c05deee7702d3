import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lookupKey, normalizeUsername } from '../../src/domain/usernames.js';

describe('normalizeUsername', () => {
  test('NFKC for display, NFKC + lower case for the key', () => {
    assert.deepEqual(normalizeUsername('Alice'), { username: 'Alice', usernameKey: 'alice' });
    // Full-width letters (compatibility forms) fold to ASCII under NFKC.
    assert.deepEqual(normalizeUsername('ＡＬＩＣＥ'), { username: 'ALICE', usernameKey: 'alice' });
    // Composed and decomposed forms give one key.
    assert.equal(normalizeUsername('Jose\u0301').usernameKey, normalizeUsername('José').usernameKey);
    // The ligature ﬁ is two letters after NFKC.
    assert.equal(normalizeUsername('ﬁle').usernameKey, 'file');
  });

  test('length is counted in characters (code points) after normalisation: 3..64', () => {
    assert.equal(normalizeUsername('abc').username, 'abc');
    assert.equal(normalizeUsername('a'.repeat(64)).username.length, 64);
    assert.equal(normalizeUsername('😀😀😀').username, '😀😀😀'); // 3 code points, 6 UTF-16 units
    assert.throws(() => normalizeUsername('ab'), { code: 'VALIDATION_FAILED', reason: 'too_short' });
    assert.throws(() => normalizeUsername('a'.repeat(65)), { code: 'VALIDATION_FAILED', reason: 'too_long' });
    assert.throws(() => normalizeUsername('😀'.repeat(65)), {
      code: 'VALIDATION_FAILED',
      reason: 'too_long',
    });
  });

  test('hostile input is refused with VALIDATION_FAILED, never a crash', () => {
    const bad: unknown[] = [
      undefined,
      null,
      42,
      {},
      [],
      ['alice'],
      '',
      'x'.repeat(10_000),
      'al\u0000ice',
      'ali\nce',
      'ali\u0085ce', // C1 control
      'ali\u202Ece', // bidi override
      'ali\u2066ce', // bidi isolate
      'ali\u2028ce',
      ' alice',
      'alice ',
      'ali\uD800ce', // lone surrogate
    ];
    for (const input of bad) {
      assert.throws(
        () => normalizeUsername(input),
        { code: 'VALIDATION_FAILED', claim: 'username' },
        String(input),
      );
    }
  });

  test('the expensive normalisation never runs on oversize input', () => {
    // U+FDFA expands to 18 characters under NFKC; 10k of them are refused up front.
    assert.throws(() => normalizeUsername('\uFDFA'.repeat(10_000)), { reason: 'too_long' });
  });

  test('the error message never echoes the input', () => {
    try {
      normalizeUsername('secret\u0000name');
      assert.fail('should throw');
    } catch (err) {
      assert.doesNotMatch((err as Error).message, /secret/);
    }
  });
});

describe('lookupKey', () => {
  test('the key of a valid name, null otherwise', () => {
    assert.equal(lookupKey('ALICE'), 'alice');
    assert.equal(lookupKey('a'), null);
    assert.equal(lookupKey({ toString: () => 'alice' }), null);
  });
});
