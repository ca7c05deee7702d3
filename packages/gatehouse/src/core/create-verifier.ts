/** A prepared JWT verifier with an optional cache of verified tokens. */
import { GatehouseError } from '../errors.js';
import { cacheBounds } from './claims.js';
import {
  checkNow,
  type PreparedVerify,
  prepareVerify,
  type VerifiedJwt,
  type VerifyOptions,
  verifyPrepared,
} from './jwt-verify.js';
import type { Key } from './keys/key.js';
import type { KeySet } from './keys/key-set.js';

/** Options of {@link createJwtVerifier}. */
export interface JwtVerifierOptions extends VerifyOptions {
  /** Verified-token LRU cache; default false in the core. */
  cache?: false | { max?: number };
  /** Seconds; default the current time. */
  clock?: () => number;
}

/** A prepared verify function. */
export interface JwtVerifier {
  (token: string, now?: number): VerifiedJwt;
  readonly cacheStats: { hits: number; misses: number; size: number };
  clearCache(): void;
}

interface CacheEntry {
  readonly result: VerifiedJwt;
  readonly validFrom: number;
  readonly validUntil: number;
  /** The Key/KeySet the token verified with: when the key source changes, the entry is void. */
  readonly keys: Key | KeySet;
}

const defaultClock = (): number => Math.floor(Date.now() / 1000);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function checkCache(cache: unknown): number {
  if (cache === undefined || cache === false) return 0;
  const max =
    typeof cache === 'object' && cache !== null ? ((cache as { max?: unknown }).max ?? 1000) : undefined;
  if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 1) {
    throw new GatehouseError(
      'OPTION_INVALID',
      'The cache option must be false or { max: a positive integer }',
      {
        claim: 'cache',
      },
    );
  }
  return max;
}

/**
 * Checks the options once and returns a prepared verify function. `keys` may be a function,
 * called on every verification, so that a key set can be replaced (rotation, JWKS refetch).
 *
 * With `cache: { max }`, verified tokens are kept in an LRU map keyed by the exact token
 * string: a hit is one Map lookup plus a time check. An entry is never used at or after the
 * token's `exp` (or past `maxTokenAge`), nor before its `nbf`/`iat`, nor once `keys` returns
 * another Key/KeySet object. Tokens without `exp` (and no `maxTokenAge`) are not cached.
 * Cached results are deeply frozen, as they are shared.
 *
 * @example
 * ```ts
 * import { createJwtVerifier, generateKey, signJwt } from 'gatehouse';
 * const key = generateKey('EdDSA');
 * const verify = createJwtVerifier(key, { algorithms: ['EdDSA'], issuer: 'https://auth.example', cache: { max: 10_000 } });
 * const token = signJwt({ iss: 'https://auth.example', sub: 'alice' }, key, { expiresIn: '5m' });
 * verify(token).payload.sub; // 'alice'
 * ```
 */
export function createJwtVerifier(
  keys: Key | KeySet | (() => Key | KeySet),
  options: JwtVerifierOptions,
): JwtVerifier {
  const prepared: PreparedVerify = prepareVerify(options, true);
  const max = checkCache(options.cache);
  const clock = options.clock ?? defaultClock;
  if (typeof clock !== 'function')
    throw new GatehouseError('OPTION_INVALID', 'The clock option must be a function');
  if (options.now !== undefined) checkNow(options.now);
  const fixedNow = options.now;
  const resolve = typeof keys === 'function' ? keys : () => keys;
  const cache = new Map<string, CacheEntry>();
  const stats = { hits: 0, misses: 0 };

  const verify = (token: string, now?: number): VerifiedJwt => {
    const t = now ?? fixedNow ?? clock();
    const currentKeys = resolve();
    if (max !== 0) {
      const entry = cache.get(token);
      if (entry !== undefined) {
        if (t < entry.validUntil && t >= entry.validFrom && entry.keys === currentKeys) {
          stats.hits++;
          // LRU: move to the most recent end.
          cache.delete(token);
          cache.set(token, entry);
          return entry.result;
        }
        cache.delete(token);
      }
      stats.misses++;
    }
    const result = verifyPrepared(token, currentKeys, prepared, checkNow(t));
    if (max !== 0) {
      const { validFrom, validUntil } = cacheBounds(result.payload, prepared.claims);
      if (validUntil !== Number.POSITIVE_INFINITY) {
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(token, { result: deepFreeze(result), validFrom, validUntil, keys: currentKeys });
      }
    }
    return result;
  };
  Object.defineProperty(verify, 'cacheStats', {
    get: () => ({ hits: stats.hits, misses: stats.misses, size: cache.size }),
    enumerable: true,
  });
  Object.defineProperty(verify, 'clearCache', {
    value: () => {
      cache.clear();
    },
    enumerable: true,
  });
  return verify as JwtVerifier;
}
