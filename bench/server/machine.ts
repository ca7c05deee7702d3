/** The machine a run came from, and its argon2id limit (cores / verification time). */
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import argon2 from 'argon2';
import { OWASP_ARGON2ID } from '../../packages/gatehouse-server/src/domain/passwords.js';
import type { Machine } from './rows.js';

/**
 * An argon2id hash of the bench password with the OWASP parameters.
 *
 * @example
 * ```ts
 * const phc = await owaspHash();
 * ```
 */
export function owaspHash(): Promise<string> {
  return argon2.hash('correct horse battery staple', { type: argon2.argon2id, ...OWASP_ARGON2ID });
}

/**
 * The same limit with every core hashing at once: `cores` verifications in flight for
 * `durationMs`. On an idle machine it equals cores / single hash time; on a shared one (or with
 * memory-bandwidth contention) it is what the cores actually deliver.
 *
 * @example
 * ```ts
 * const { perSec } = await argon2Parallel(hash, 2, 2000);
 * ```
 */
export async function argon2Parallel(
  hash: string,
  cores: number,
  durationMs: number,
): Promise<{ verifyMs: number; perSec: number }> {
  const started = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: cores }, async () => {
      while (performance.now() - started < durationMs) {
        await argon2.verify(hash, 'correct horse battery staple');
        done++;
      }
    }),
  );
  const elapsed = performance.now() - started;
  return {
    verifyMs: Math.round(((elapsed * cores) / done) * 100) / 100,
    perSec: Math.round(((done * 1000) / elapsed) * 10) / 10,
  };
}

/**
 * Times `samples` sequential argon2id verifications with the OWASP parameters (what one login
 * costs) on an idle machine; the limit is cores / that time.
 *
 * @example
 * ```ts
 * const m = await describeMachine(20);
 * m.argon2.limitPerSec; // e.g. 45
 * ```
 */
export async function describeMachine(samples: number): Promise<Machine> {
  const hash = await owaspHash();
  await argon2.verify(hash, 'correct horse battery staple'); // warm-up
  const started = performance.now();
  for (let i = 0; i < samples; i++) await argon2.verify(hash, 'correct horse battery staple');
  const verifyMs = (performance.now() - started) / samples;
  const cores = availableParallelism();
  const parallel = await argon2Parallel(hash, cores, 2000);
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${platform()} ${release()}`,
    date: new Date().toISOString(),
    argon2: {
      ...OWASP_ARGON2ID,
      verifyMs: Math.round(verifyMs * 100) / 100,
      limitPerSec: Math.round((cores * 1000 * 10) / verifyMs) / 10,
      parallelVerifyMs: parallel.verifyMs,
      parallelLimitPerSec: parallel.perSec,
    },
  };
}
