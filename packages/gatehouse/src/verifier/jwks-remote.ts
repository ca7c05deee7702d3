/**
 * A remote JWKS, cached: honours `Cache-Control: max-age` within bounds, serves the cached
 * keys while revalidating or while the auth server is down, and refetches on an unknown `kid`
 * at most once per cooldown, single-flight (the shape of jose's `createRemoteJWKSet`).
 */

import type { Algorithm } from '../core/algorithms.js';
import { createKeySet, importJwks, type KeySet } from '../core/keys/key-set.js';
import { GatehouseError } from '../errors.js';
import { FetchFailure, type FetchLike, getJson } from './http.js';

/** Settings of {@link RemoteJwks} (validated by `createVerifier`; times in seconds). */
export interface RemoteJwksConfig {
  /** The JWKS URL, or a function resolving it (issuer discovery). */
  url: string | (() => Promise<string>);
  algorithms: readonly Algorithm[];
  /** Minimum seconds between two refetches caused by an unknown `kid`. */
  cooldown: number;
  /** Bounds applied to the server's `Cache-Control: max-age`. */
  minCacheAge: number;
  maxCacheAge: number;
  /** Cache age when the response carries no max-age. */
  defaultCacheAge: number;
  timeout: number;
  fetch: FetchLike;
  clock: () => number;
  /** Key ids revoked by the revocation feed: never loaded into the key set. */
  isRevokedKid?: (kid: string) => boolean;
}

/** Key-source health, as reported by `verifier.status()`. */
export interface JwksStatus {
  source: 'remote';
  url: string | null;
  /** The last fetch succeeded. */
  up: boolean;
  keys: number;
  /** Epoch seconds of the last successful fetch, or null. */
  fetchedAt: number | null;
  /** Seconds since the keys were fetched, or null. */
  ageSeconds: number | null;
  /** Reason of the last failure, or null. */
  lastError: string | null;
  fetches: number;
}

// After a failed fetch, wait this long before the next attempt (never a fetch per request).
const FAILURE_BACKOFF = 2;

function cacheAge(header: string | null, c: RemoteJwksConfig): number {
  let age = c.defaultCacheAge;
  if (header !== null) {
    const directives = header
      .toLowerCase()
      .split(',')
      .map((d) => d.trim());
    if (directives.includes('no-store') || directives.includes('no-cache')) age = 0;
    else {
      const m = directives.map((d) => /^max-age=(\d+)$/.exec(d)).find((x) => x !== null);
      if (m) age = Number(m[1]);
    }
  }
  return Math.min(c.maxCacheAge, Math.max(c.minCacheAge, age));
}

/**
 * @example
 * ```ts
 * const jwks = new RemoteJwks({ url: 'https://auth.example/.well-known/jwks.json', algorithms: ['ES256'],
 *   cooldown: 30, minCacheAge: 30, maxCacheAge: 600, defaultCacheAge: 300, timeout: 5,
 *   fetch: globalThis.fetch, clock: () => Date.now() / 1000 });
 * const keys = await jwks.get();
 * ```
 */
export class RemoteJwks {
  readonly #c: RemoteJwksConfig;
  #keys: KeySet | undefined;
  #lastDocument: string | undefined;
  #url: string | null = null;
  #fetchedAt: number | null = null;
  #expiresAt = 0;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  #lastFailureAt = Number.NEGATIVE_INFINITY;
  #lastError: string | null = null;
  #fetches = 0;
  #pending: Promise<KeySet> | undefined;
  readonly #closer = new AbortController();

  constructor(config: RemoteJwksConfig) {
    this.#c = config;
    if (typeof config.url === 'string') this.#url = config.url;
  }

  /** The key set in memory, if any (synchronous; may be past its cache age). */
  get current(): KeySet | undefined {
    return this.#keys;
  }

  /**
   * The keys to verify with. Loads them on first use (throws JWKS_UNAVAILABLE when that
   * fails); afterwards returns the cached set at once and, once it is past its cache age,
   * revalidates in the background (stale-while-revalidate: the auth server being down never
   * stops verification with known keys).
   */
  async get(): Promise<KeySet> {
    const keys = this.#keys;
    if (keys !== undefined) {
      this.revalidateIfStale();
      return keys;
    }
    if (this.#pending === undefined && !this.#mayFetch()) throw this.#unavailable();
    try {
      return await this.#refresh();
    } catch {
      throw this.#unavailable();
    }
  }

  /** Synchronous hot-path check: past the cache age, starts a background refetch (never awaited). */
  revalidateIfStale(): void {
    if (this.#pending === undefined && this.#c.clock() >= this.#expiresAt && this.#mayFetch()) {
      this.#refresh().catch(() => {});
    }
  }

  /**
   * Called when a token names a `kid` the cached set lacks: refetches at most once per
   * cooldown (a flood of forged kids causes one request, not one per token). Resolves true
   * when a fetch happened and succeeded, so the caller can retry once.
   */
  async refreshForUnknownKid(): Promise<boolean> {
    if (this.#pending !== undefined) {
      return this.#pending.then(
        () => true,
        () => false,
      );
    }
    const now = this.#c.clock();
    if (now - this.#lastAttemptAt < this.#c.cooldown || !this.#mayFetch()) return false;
    return this.#refresh().then(
      () => true,
      () => false,
    );
  }

  /** Removes a (revoked) key from the cache at once. */
  drop(kid: string): void {
    const keys = this.#keys;
    if (keys?.get(kid) === undefined) return;
    this.#keys = createKeySet(keys!.keys.filter((k) => k.kid !== kid));
  }

  /** Key-source health. */
  status(): JwksStatus {
    const now = this.#c.clock();
    return {
      source: 'remote',
      url: this.#url,
      up: this.#lastError === null && this.#keys !== undefined,
      keys: this.#keys?.keys.length ?? 0,
      fetchedAt: this.#fetchedAt,
      ageSeconds: this.#fetchedAt === null ? null : Math.max(0, now - this.#fetchedAt),
      lastError: this.#lastError,
      fetches: this.#fetches,
    };
  }

  /** Aborts a fetch in flight. */
  close(): void {
    this.#closer.abort();
  }

  #mayFetch(): boolean {
    return !this.#closer.signal.aborted && this.#c.clock() - this.#lastFailureAt >= FAILURE_BACKOFF;
  }

  #unavailable(): GatehouseError {
    return new GatehouseError('JWKS_UNAVAILABLE', 'Signing keys could not be loaded', {
      reason: this.#lastError ?? 'unavailable',
      retryAfter: FAILURE_BACKOFF,
    });
  }

  // Single-flight: every caller during a fetch shares the same promise.
  #refresh(): Promise<KeySet> {
    this.#pending ??= this.#load().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #load(): Promise<KeySet> {
    const c = this.#c;
    this.#lastAttemptAt = c.clock();
    this.#fetches += 1;
    try {
      if (this.#url === null && typeof c.url === 'function') this.#url = await c.url();
      const { body, headers } = await getJson(this.#url!, {
        fetch: c.fetch,
        timeoutMs: c.timeout * 1000,
        signal: this.#closer.signal,
      });
      // An unchanged document keeps the same KeySet object, so the verified-token cache (which
      // is tied to the key-set object) survives routine revalidations.
      const text = JSON.stringify(body);
      let keys = this.#keys;
      if (keys === undefined || text !== this.#lastDocument) {
        try {
          keys = importJwks(body, { algorithms: c.algorithms });
        } catch (err) {
          throw new FetchFailure('bad_jwks', { cause: err });
        }
      }
      // Security: a key the revocation feed has revoked never comes back through a JWKS
      // response that predates its removal (or a cache in between).
      const revoked = c.isRevokedKid;
      if (revoked !== undefined && keys.keys.some((k) => revoked(k.kid))) {
        keys = createKeySet(keys.keys.filter((k) => !revoked(k.kid)));
      }
      const now = c.clock();
      this.#lastDocument = text;
      this.#keys = keys;
      this.#fetchedAt = now;
      this.#expiresAt = now + cacheAge(headers.get('cache-control'), c);
      this.#lastError = null;
      return keys;
    } catch (err) {
      this.#lastFailureAt = c.clock();
      this.#lastError =
        err instanceof FetchFailure ? err.reason : err instanceof GatehouseError ? err.code : 'unavailable';
      throw err;
    }
  }
}
