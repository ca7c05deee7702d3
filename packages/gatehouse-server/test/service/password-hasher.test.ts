import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseArgon2Phc } from '../../src/domain/passwords.js';
import { createLimiter } from '../../src/service/limiter.js';
import { createPasswordHasher } from '../../src/service/password-hasher.js';
import { FAST_HASHING } from './helpers.js';

describe('password hasher', () => {
  test('argon2id hash with the given parameters; verify true/false', async () => {
    const hasher = createPasswordHasher({ params: FAST_HASHING });
    const phc = await hasher.hash('correct horse');
    assert.equal(parseArgon2Phc(phc)?.type, 'argon2id');
    assert.deepEqual(parseArgon2Phc(phc)?.params, FAST_HASHING);
    assert.equal(await hasher.verify(phc, 'correct horse'), true);
    assert.equal(await hasher.verify(phc, 'correct horsE'), false);
    assert.equal(hasher.needsRehash(phc), false);
    assert.equal(createPasswordHasher({ params: { ...FAST_HASHING, timeCost: 2 } }).needsRehash(phc), true);
  });

  test('defaults to OWASP parameters', () => {
    assert.deepEqual(
      { ...createPasswordHasher().params },
      { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    );
  });

  test('a corrupt stored hash verifies as false, never throws', async () => {
    const hasher = createPasswordHasher({ params: FAST_HASHING });
    for (const bad of [
      '',
      'plain text',
      '$argon2id$v=19$m=256,t=1,p=1$$',
      '$2b$10$abcdefghijklmnopqrstuuA',
    ]) {
      assert.equal(await hasher.verify(bad, 'anything at all'), false);
    }
  });

  test('verifyDummy runs a real argon2 verification and never matches; warmUp prepares the dummy once', async () => {
    const hasher = createPasswordHasher({ params: FAST_HASHING, maxConcurrent: 1 });
    await hasher.warmUp();
    const pending = hasher.verifyDummy('');
    // Exactly one argon2 task (the verification; the dummy hash was made by warmUp).
    await new Promise((r) => setImmediate(r));
    assert.equal(hasher.limiter.running, 1);
    assert.equal(hasher.limiter.queued, 0);
    assert.equal(await pending, false);
    assert.equal(await hasher.verifyDummy('correct horse'), false);
  });

  test('past the queue bound: SERVICE_UNAVAILABLE with retryAfter, and the queue drains afterwards', async () => {
    const hasher = createPasswordHasher({ params: FAST_HASHING, maxConcurrent: 1, maxQueue: 2 });
    const started = Array.from({ length: 3 }, () => hasher.hash('correct horse'));
    await assert.rejects(hasher.hash('one too many'), { code: 'SERVICE_UNAVAILABLE', retryAfter: 1 });
    const done = await Promise.all(started);
    assert.equal(done.length, 3);
    assert.equal(hasher.limiter.running, 0);
    assert.equal(hasher.limiter.queued, 0);
    assert.ok(await hasher.hash('room again'));
  });

  test('bad parameters are OPTION_INVALID', () => {
    assert.throws(() => createPasswordHasher({ params: { memoryCost: 1, timeCost: 1, parallelism: 1 } }), {
      code: 'OPTION_INVALID',
    });
    assert.throws(() => createPasswordHasher({ maxConcurrent: 0 }), { code: 'OPTION_INVALID' });
  });
});

describe('limiter', () => {
  test('runs at most maxConcurrent at once, in FIFO order, and releases on failure', async () => {
    const limiter = createLimiter({ maxConcurrent: 2, maxQueue: 10, retryAfter: 1 });
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setImmediate(r));
      order.push(i);
      active--;
      if (i === 3) throw new Error('boom');
      return i;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((i) => limiter.run(task(i))));
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
    assert.equal(limiter.running, 0);
  });
});
