import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkArgon2Params,
  checkPasswordShape,
  needsRehash,
  OWASP_ARGON2ID,
  PASSWORD_MAX_BYTES,
  parseArgon2Phc,
  validateNewPassword,
} from '../../src/domain/passwords.js';

describe('validateNewPassword', () => {
  test('at least 8 characters, no composition rules', () => {
    assert.equal(validateNewPassword('aaaaaaaa'), 'aaaaaaaa');
    assert.equal(validateNewPassword('correct horse battery staple'), 'correct horse battery staple');
    assert.throws(() => validateNewPassword('aaaaaaa'), { code: 'VALIDATION_FAILED', reason: 'too_short' });
    // 8 characters that are 4 bytes each count as 8, not 32 or 16.
    assert.equal(validateNewPassword('😀'.repeat(8)), '😀'.repeat(8));
    assert.throws(() => validateNewPassword('😀'.repeat(7)), { reason: 'too_short' });
  });

  test('at most 1024 BYTES of UTF-8', () => {
    assert.equal(validateNewPassword('a'.repeat(PASSWORD_MAX_BYTES)).length, 1024);
    assert.throws(() => validateNewPassword('a'.repeat(1025)), {
      code: 'VALIDATION_FAILED',
      reason: 'too_long',
    });
    // 342 × 'é' (2 bytes each as NFC) = 684 bytes: fine; 513 × 'é' = 1026 bytes: too long.
    assert.doesNotThrow(() => validateNewPassword('é'.repeat(342)));
    assert.throws(() => validateNewPassword('é'.repeat(513)), { reason: 'too_long' });
    assert.throws(() => validateNewPassword('😀'.repeat(257)), { reason: 'too_long' }); // 1028 bytes
  });

  test('a 1 MB password is refused by length alone', () => {
    assert.throws(() => validateNewPassword('x'.repeat(1024 * 1024)), {
      code: 'VALIDATION_FAILED',
      reason: 'too_long',
    });
  });

  test('NFKC normalisation: the same password typed two ways hashes the same', () => {
    assert.equal(validateNewPassword('pa\u0301ssword'), validateNewPassword('pássword'));
  });

  test('non-strings and ill-formed strings are refused, named by field', () => {
    for (const input of [undefined, null, 12345678, {}, ['password1'], Buffer.from('password1')]) {
      assert.throws(() => validateNewPassword(input, 'new_password'), {
        code: 'VALIDATION_FAILED',
        claim: 'new_password',
      });
    }
    assert.throws(() => validateNewPassword('abcdefgh\uDC00'), { reason: 'malformed' });
  });

  test('the message never contains the password', () => {
    try {
      validateNewPassword('hunter2');
      assert.fail('should throw');
    } catch (err) {
      assert.doesNotMatch((err as Error).message, /hunter2/);
    }
  });
});

describe('checkPasswordShape', () => {
  test('no minimum (a short password is just wrong), same maximum', () => {
    assert.equal(checkPasswordShape('x'), 'x');
    assert.throws(() => checkPasswordShape('x'.repeat(2000)), { reason: 'too_long' });
  });
});

describe('argon2 parameters', () => {
  test('the defaults are OWASP argon2id: m = 19456 KiB, t = 2, p = 1', () => {
    assert.deepEqual({ ...OWASP_ARGON2ID }, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    assert.ok(Object.isFrozen(OWASP_ARGON2ID));
  });

  test('checkArgon2Params names the bad option', () => {
    assert.deepEqual(checkArgon2Params({ memoryCost: 256, timeCost: 1, parallelism: 1 }), {
      memoryCost: 256,
      timeCost: 1,
      parallelism: 1,
    });
    assert.throws(() => checkArgon2Params({ memoryCost: 4, timeCost: 1, parallelism: 1 }), {
      code: 'OPTION_INVALID',
      message: /memoryCost/,
    });
    assert.throws(() => checkArgon2Params({ memoryCost: 256, timeCost: 0, parallelism: 1 }), {
      message: /timeCost/,
    });
    assert.throws(() => checkArgon2Params({ memoryCost: 256, timeCost: 1, parallelism: 1.5 }), {
      message: /parallelism/,
    });
  });

  test('parseArgon2Phc reads parameters in any order', () => {
    const a = parseArgon2Phc('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g');
    const b = parseArgon2Phc('$argon2id$v=19$m=19456,p=1,t=2$c2FsdHNhbHQ$aGFzaGhhc2g');
    assert.deepEqual(a, {
      type: 'argon2id',
      version: 19,
      params: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    });
    assert.deepEqual(a, b);
    for (const bad of [
      '',
      'plain',
      '$2b$10$abcdefghijklmnopqrstuv',
      '$argon2id$v=19$m=1$x$y',
      'x'.repeat(10_000),
    ]) {
      assert.equal(parseArgon2Phc(bad), null, bad.slice(0, 20));
    }
  });

  test('needsRehash when the variant, version or any parameter differs', () => {
    const current = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
    assert.equal(needsRehash('$argon2id$v=19$m=19456,p=1,t=2$c2FsdHNhbHQ$aGFzaGhhc2g', current), false);
    assert.equal(needsRehash('$argon2id$v=19$m=65536,p=4,t=3$c2FsdHNhbHQ$aGFzaGhhc2g', current), true);
    assert.equal(needsRehash('$argon2id$v=19$m=19456,p=1,t=1$c2FsdHNhbHQ$aGFzaGhhc2g', current), true);
    assert.equal(needsRehash('$argon2i$v=19$m=19456,p=1,t=2$c2FsdHNhbHQ$aGFzaGhhc2g', current), true);
    assert.equal(needsRehash('$argon2id$v=16$m=19456,p=1,t=2$c2FsdHNhbHQ$aGFzaGhhc2g', current), true);
    assert.equal(needsRehash('$2b$10$notargon', current), true);
  });
});
