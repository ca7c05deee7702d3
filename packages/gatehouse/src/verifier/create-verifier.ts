/**
 * `createVerifier`: the resource server's one object. Options are checked here, once; the
 * returned `verify(token)` adds the only async edges (remote JWKS, revocation feed) around the
 * synchronous token core.
 */

import { createJwtVerifier, type JwtVerifier } from '../core/create-verifier.js';
import { decodeJwt } from '../core/jws-decode.js';
import type { VerifyOptions } from '../core/jwt-verify.js';
import { importSecret } from '../core/keys/import.js';
import { isKey, type Key } from '../core/keys/key.js';
import { createKeySet, importJwks, isKeySet, type KeySet } from '../core/keys/key-set.js';
import { GatehouseError, isGatehouseError } from '../errors.js';
import { discoverJwksUri } from './discover.js';
import { RemoteJwks } from './jwks-remote.js';
import { type ResolvedOptions, resolveOptions, type VerifierOptions } from './options.js';
import { RevocationFeed } from './revocation-feed.js';
import type { AccessTokenClaims, AuthInfo, VerifierStatus } from './types.js';

/** A configured resource-server verifier. */
export interface Verifier {
  /**
   * Verifies an access token: signature, `alg` allow-list, `typ`, `iss`, `aud`, `exp`/`nbf`/`iat`
   * (with the clock tolerance), then revocation on EVERY call, cached token or not. Rejects with
   * a GatehouseError: 401 codes for a bad token (`TOKEN_REVOKED` included), 503
   * `JWKS_UNAVAILABLE` / `REVOCATION_STALE` when it cannot decide safely.
   */
  verify(token: string): Promise<AuthInfo>;
  /** Resolves once keys (and the first revocation poll) are loaded; rejects with the failure. */
  ready(): Promise<void>;
  /** Polls the revocation feed now (no-op without a feed). */
  syncRevocations(): Promise<void>;
  /** Keys age and source health, feed lag/cursor, deny-set size, cache hit rate. */
  status(): VerifierStatus;
  /** Stops the feed and aborts fetches in flight; timers never keep the process alive anyway. */
  close(): void;
}

function staticKeySet(o: ResolvedOptions): KeySet | undefined {
  const src = o.source;
  try {
    if (src.kind === 'secret') {
      return createKeySet([importSecret(src.secret, o.algorithms[0] as 'HS256' | 'HS384' | 'HS512')]);
    }
    if (src.kind === 'keys') {
      if (isKeySet(src.keys)) return src.keys;
      if (isKey(src.keys)) return createKeySet([src.keys as Key]);
      return importJwks(src.keys, { algorithms: o.algorithms });
    }
  } catch (err) {
    const option = src.kind;
    throw new GatehouseError('OPTION_INVALID', `The ${option} option is not a usable key`, {
      claim: option,
      cause: err,
    });
  }
  return undefined;
}

/**
 * Creates a verifier. A bad option throws `OPTION_INVALID` naming it.
 *
 * @example
 * ```ts
 * import { createVerifier } from 'gatehouse';
 * const verifier = createVerifier({
 *   issuer: 'http://127.0.0.1:5000',
 *   audience: 'gatehouse',
 *   revocation: { clientId: process.env.RS_CLIENT_ID!, clientSecret: process.env.RS_CLIENT_SECRET! },
 * });
 * const { claims } = await verifier.verify(token);
 * ```
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const o = resolveOptions(options);
  const clock = o.clock;
  let keys = staticKeySet(o);
  const staticKeys = keys !== undefined;
  let feed: RevocationFeed | undefined;

  let remote: RemoteJwks | undefined;
  if (o.source.kind === 'remote') {
    const { jwksUrl, issuer } = o.source;
    remote = new RemoteJwks({
      url: jwksUrl ?? (() => discoverJwksUri(issuer!, { fetch: o.fetch, timeoutMs: o.jwks.timeout * 1000 })),
      algorithms: o.algorithms,
      cooldown: o.jwks.cooldown,
      minCacheAge: o.jwks.minCacheAge,
      maxCacheAge: o.jwks.maxCacheAge,
      defaultCacheAge: Math.min(o.jwks.maxCacheAge, Math.max(o.jwks.minCacheAge, 300)),
      timeout: o.jwks.timeout,
      fetch: o.fetch,
      clock,
      isRevokedKid: (kid) => feed?.deny.hasKid(kid) === true,
    });
  }

  const verifyOptions: VerifyOptions = {
    algorithms: o.algorithms,
    clockTolerance: o.clockTolerance,
    requiredClaims: o.requiredClaims,
  };
  if (o.issuer !== undefined) verifyOptions.issuer = o.issuer;
  if (o.audience !== undefined) verifyOptions.audience = o.audience;
  if (o.typ !== undefined) verifyOptions.typ = o.typ;
  if (o.maxTokenAge !== undefined) verifyOptions.maxTokenAge = o.maxTokenAge;

  const empty = createKeySet([]);
  const jwt: JwtVerifier = createJwtVerifier(() => remote?.current ?? keys ?? empty, {
    ...verifyOptions,
    cache: o.cacheMax === false ? false : { max: o.cacheMax },
    clock: () => Math.floor(clock()),
  });

  if (o.revocation !== undefined) {
    feed = new RevocationFeed({
      ...o.revocation,
      grace: o.clockTolerance,
      fetch: o.fetch,
      clock,
      onKidRevoked: (kid) => {
        // A revoked signing key leaves the key cache at once (tokens it signed are denied by
        // the deny set too, cached or not).
        remote?.drop(kid);
        if (staticKeys && keys?.get(kid) !== undefined)
          keys = createKeySet(keys.keys.filter((k) => k.kid !== kid));
      },
    });
    if (o.revocation.autoStart) feed.start();
  }

  function revokedKidOf(token: string): boolean {
    if (feed === undefined) return false;
    try {
      const kid = decodeJwt(token).header.kid;
      return typeof kid === 'string' && feed.deny.hasKid(kid);
    } catch {
      return false;
    }
  }

  async function verify(token: string): Promise<AuthInfo> {
    if (typeof token !== 'string' || token === '')
      throw new GatehouseError('TOKEN_MISSING', 'No access token');
    if (remote !== undefined) {
      if (remote.current === undefined) {
        decodeJwt(token); // a malformed token is a 401 even while no key could be loaded yet
        await remote.get();
      } else remote.revalidateIfStale(); // serves the cached keys; refetches in the background once stale
    }
    // The first poll is awaited so that a fresh process never serves a token revoked before it started.
    if (feed !== undefined) {
      if (!feed.synced) await feed.ready();
      feed.pollIfDue();
    }
    let verified: ReturnType<JwtVerifier>;
    try {
      verified = jwt(token);
    } catch (err) {
      if (!isGatehouseError(err) || err.code !== 'KEY_UNKNOWN' || remote === undefined) throw err;
      // A signing key the feed revoked: say so instead of refetching the JWKS for it.
      if (revokedKidOf(token)) throw new GatehouseError('TOKEN_REVOKED', 'Token revoked', { reason: 'kid' });
      // Key rotation: one refetch (single-flight, cooldown-limited), then one retry.
      if (!(await remote.refreshForUnknownKid())) throw err;
      verified = jwt(token);
    }
    if (feed !== undefined) {
      feed.assertFresh();
      const kind = feed.check(verified);
      if (kind !== undefined) throw new GatehouseError('TOKEN_REVOKED', 'Token revoked', { reason: kind });
    }
    return { claims: verified.payload as AccessTokenClaims, header: verified.header };
  }

  return {
    verify,
    async ready() {
      if (remote !== undefined) await remote.get();
      if (feed !== undefined) {
        await feed.ready();
        if (!feed.synced) {
          throw new GatehouseError('REVOCATION_STALE', 'The revocation feed could not be loaded', {
            reason: feed.status().lastError ?? 'unavailable',
          });
        }
      }
    },
    async syncRevocations() {
      await feed?.sync();
    },
    status(): VerifierStatus {
      const stats = jwt.cacheStats;
      const lookups = stats.hits + stats.misses;
      return {
        keys: remote?.status() ?? { source: 'static', up: true, keys: keys?.keys.length ?? 0 },
        revocation: feed?.status() ?? null,
        cache: {
          enabled: o.cacheMax !== false,
          hits: stats.hits,
          misses: stats.misses,
          size: stats.size,
          hitRate: lookups === 0 ? 0 : stats.hits / lookups,
        },
      };
    },
    close() {
      feed?.close();
      remote?.close();
    },
  };
}
