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
  /** Verified-token cache (approximate LRU, at most `max` entries); default false in the core. */
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

/**
 * Freezes a verified result and everything reachable from it (a JSON tree: plain objects and
 * arrays), skipping what is already frozen (the shared parsed header). Cheap enough for the
 * miss path: no key arrays are allocated.
 */
function deepFreeze(value: object): void {
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) deepFreeze(v);
    }
    return;
  }
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue; // own members only, as JSON.parse made them
    const v: unknown = (value as Record<string, unknown>)[k];
    if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) deepFreeze(v);
  }
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
 * With `cache: { max }`, verified tokens are kept in an approximate LRU (two generations of
 * at most `max / 2` entries each) keyed by the exact token string: a hit is one or two Map
 * look-ups plus a time check, and a miss adds one Map insertion. An entry is never used at or after the
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
  // Two generations approximate an LRU at the cost of plain Map look-ups: new entries go to
  // `young`; when it holds `generation` entries it becomes `old` (the previous `old`, the least
  // recently used half, is dropped at once) and a fresh `young` starts. A hit in `old` moves the
  // entry back to `young`. A hit in `young` touches nothing, and a miss never walks a Map (a
  // Map's first live key can sit behind many deleted slots). At most `max` entries (max - 1
  // when max is odd and above 1).
  const generation = Math.max(1, max >> 1);
  const keepOld = max > 1;
  let young = new Map<string, CacheEntry>();
  let old = new Map<string, CacheEntry>();
  const stats = { hits: 0, misses: 0 };
  const store = (token: string, entry: CacheEntry): void => {
    if (young.size >= generation) {
      old = keepOld ? young : new Map();
      young = new Map();
    }
    young.set(token, entry);
  };

  const verify = (token: string, now?: number): VerifiedJwt => {
    const t = now ?? fixedNow ?? clock();
    const currentKeys = resolve();
    if (max !== 0) {
      let entry = young.get(token);
      const inOld = entry === undefined;
      if (inOld) entry = old.get(token);
      if (entry !== undefined) {
        if (inOld) old.delete(token);
        if (t < entry.validUntil && t >= entry.validFrom && entry.keys === currentKeys) {
          stats.hits++;
          if (inOld) store(token, entry); // recently used again: back to the young generation
          return entry.result;
        }
        if (!inOld) young.delete(token);
      }
      stats.misses++;
    }
    const result = verifyPrepared(token, currentKeys, prepared, checkNow(t));
    if (max !== 0) {
      const { validFrom, validUntil } = cacheBounds(result.payload, prepared.claims);
      if (validUntil !== Number.POSITIVE_INFINITY) {
        // Shared by every later hit, so frozen before anyone (this caller included) gets it.
        deepFreeze(result);
        store(token, { result, validFrom, validUntil, keys: currentKeys });
      }
    }
    return result;
  };
  Object.defineProperty(verify, 'cacheStats', {
    get: () => ({ hits: stats.hits, misses: stats.misses, size: young.size + old.size }),
    enumerable: true,
  });
  Object.defineProperty(verify, 'clearCache', {
    value: () => {
      young = new Map();
      old = new Map();
    },
    enumerable: true,
  });
  return verify as JwtVerifier;
}
