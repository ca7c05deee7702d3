/**
 * Password hashing with argon2id (the `argon2` package: the work runs in libuv's thread pool,
 * off the event loop), behind a concurrency cap with a bounded queue.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import * as argon2 from 'argon2';
import { type Argon2Params, checkArgon2Params, needsRehash, OWASP_ARGON2ID } from '../domain/passwords.js';
import { createLimiter, type Limiter } from './limiter.js';

export interface PasswordHasherOptions {
  /** Defaults to OWASP's m = 19456 KiB, t = 2, p = 1. */
  params?: Argon2Params;
  /**
   * Hashes at once; default: the number of cores. More than that only queues inside libuv's
   * thread pool while starving the event loop (measured: 4 at once on 2 cores put the login
   * event-loop p99 at 47 ms); fewer leaves cores idle under a login burst.
   */
  maxConcurrent?: number;
  /** Hashes waiting; default 64. Past it: SERVICE_UNAVAILABLE with retryAfter 1. */
  maxQueue?: number;
}

export interface PasswordHasher {
  readonly params: Readonly<Argon2Params>;
  /** PHC string of an argon2id hash with the current parameters. */
  hash(password: string): Promise<string>;
  /** False for a wrong password AND for a stored value that is not a valid hash. */
  verify(phc: string, password: string): Promise<boolean>;
  /**
   * Verifies against a fixed dummy hash with the current parameters and returns false: used
   * for unknown users so that the time does not tell them apart from wrong passwords.
   */
  verifyDummy(password: string): Promise<false>;
  /**
   * Computes the dummy hash now (at start-up), so that the first unknown-user login does not
   * pay for it and stand out by its time.
   */
  warmUp(): Promise<void>;
  /** True when `phc` was made with other parameters than the current ones. */
  needsRehash(phc: string): boolean;
  readonly limiter: Limiter;
}

/**
 * Creates the hasher; parameters are checked here, once.
 *
 * @example
 * ```ts
 * const hasher = createPasswordHasher(); // OWASP parameters
 * const phc = await hasher.hash('correct horse battery staple');
 * await hasher.verify(phc, 'correct horse battery staple'); // true
 * ```
 */
export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  const params = Object.freeze(checkArgon2Params(options.params ?? OWASP_ARGON2ID));
  const limiter = createLimiter({
    maxConcurrent: options.maxConcurrent ?? Math.max(1, availableParallelism()),
    maxQueue: options.maxQueue ?? 64,
    retryAfter: 1,
  });
  const hashOptions = { type: argon2.argon2id, ...params } as const;
  let dummy: Promise<string> | undefined;

  const hash = (password: string) => limiter.run(() => argon2.hash(password, hashOptions));

  const verify = (phc: string, password: string) =>
    limiter.run(async () => {
      try {
        return await argon2.verify(phc, password);
      } catch {
        // A corrupt stored value must not become a 500 or an oracle: it matches nothing.
        return false;
      }
    });

  // Security: the dummy is hashed once with the CURRENT parameters (so checking it costs what
  // a real user's check costs) from a random secret nobody knows, so it can never match.
  const dummyHash = async (): Promise<string> => {
    dummy ??= hash(randomBytes(32).toString('base64url'));
    try {
      return await dummy;
    } catch (err) {
      dummy = undefined; // e.g. refused by a full queue: try again next time
      throw err;
    }
  };

  return {
    params,
    limiter,
    hash,
    verify,
    async verifyDummy(password: string): Promise<false> {
      await verify(await dummyHash(), password);
      return false;
    },
    async warmUp() {
      await dummyHash();
    },
    needsRehash: (phc) => needsRehash(phc, params),
  };
}
