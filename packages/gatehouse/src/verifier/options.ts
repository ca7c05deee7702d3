/**
 * The verifier's options, checked once at construction: every problem throws
 * `GatehouseError('OPTION_INVALID')` whose message and `claim` name the option at fault.
 */

import { type Algorithm, isAlgorithm } from '../core/algorithms.js';
import type { Jwks, Key } from '../core/keys/key.js';
import type { KeySet } from '../core/keys/key-set.js';
import type { FetchLike } from './http.js';
import { httpUrl, invalid, nonEmpty, seconds } from './option-checks.js';

/** Options of the revocation feed client (times in seconds, or duration strings like '30s'). */
export interface RevocationOptions {
  /** Feed URL; default `${issuer}/auth/revocations`. */
  url?: string;
  /** Client credentials (`gatehouse clients add NAME`), sent with HTTP Basic. */
  clientId: string;
  clientSecret: string;
  /** Poll interval when nothing new arrived; default 1 s (revoked tokens refused within 2 s). */
  interval?: number | string;
  /** Long-poll: let the server hold each request up to this long (0 to 25 s); default 0. */
  wait?: number | string;
  /** Fail closed (503 REVOCATION_STALE) after this long without a successful poll; default: never. */
  maxStaleness?: number | string;
  /** Per-request timeout (on top of `wait`); default 5 s. */
  timeout?: number | string;
  /**
   * Default true: poll in the background (timers, unref'd). false: no timers at all (for
   * serverless functions); `verify()` starts a poll when the last one is older than `interval`
   * (without waiting for it), and `syncRevocations()` polls on demand.
   */
  autoStart?: boolean;
}

/** Tuning of the remote JWKS cache (seconds, or duration strings). */
export interface JwksOptions {
  /** Minimum time between refetches caused by an unknown `kid`; default 30 s. */
  cooldown?: number | string;
  /** Bounds on the server's `Cache-Control: max-age`; default 30 s and 10 min. */
  minCacheAge?: number | string;
  maxCacheAge?: number | string;
  /** Per-request timeout; default 5 s. */
  timeout?: number | string;
}

/** Options of `createVerifier`. Exactly one key source: `secret`, `keys`, `jwksUrl`, or `issuer` alone. */
export interface VerifierOptions {
  /** The auth server's issuer URL: checked against `iss`; alone, its RFC 8414 metadata gives the JWKS. */
  issuer?: string;
  /** A JWKS URL (no discovery). */
  jwksUrl?: string;
  /** Static verification keys. */
  keys?: Key | KeySet | Jwks;
  /** A shared HS256 secret of at least 32 bytes (the seed documents' style). */
  secret?: string | Uint8Array;
  /** Accepted audiences: the token's `aud` must contain one of them. */
  audience?: string | readonly string[];
  /** Allow-list; default ES256, EdDSA, RS256, PS256 (HS256 with `secret`). */
  algorithms?: readonly Algorithm[];
  /** Leeway for `exp`/`nbf`/`iat`; default 5 s. */
  clockTolerance?: number | string;
  /** Required `typ` header; default 'at+jwt' when `issuer` is given; `false` to accept any. */
  typ?: string | false;
  /** Refuse tokens whose `iat` is older than this. */
  maxTokenAge?: number | string;
  /** Claims that must be present; default ['exp']. */
  requiredClaims?: readonly string[];
  /** Verified-token cache; default on (10,000 tokens). Revocation is checked on every call regardless. */
  cache?: boolean | { max?: number };
  /** Remote JWKS tuning. */
  jwks?: JwksOptions;
  /** The revocation feed; off when absent or false. */
  revocation?: RevocationOptions | false;
  /** `fetch` implementation; default the global one. */
  fetch?: FetchLike;
  /** Current time in epoch SECONDS (fractions allowed); default `Date.now() / 1000`. */
  clock?: () => number;
}

/** The options after validation, defaults applied. */
export interface ResolvedOptions {
  source:
    | { kind: 'secret'; secret: string | Uint8Array }
    | { kind: 'keys'; keys: Key | KeySet | Jwks }
    | { kind: 'remote'; jwksUrl: string | undefined; issuer: string | undefined };
  issuer: string | undefined;
  audience: string | readonly string[] | undefined;
  algorithms: readonly Algorithm[];
  clockTolerance: number;
  typ: string | undefined;
  maxTokenAge: number | undefined;
  requiredClaims: readonly string[];
  cacheMax: number | false;
  jwks: { cooldown: number; minCacheAge: number; maxCacheAge: number; timeout: number };
  revocation:
    | {
        url: string;
        clientId: string;
        clientSecret: string;
        interval: number;
        wait: number;
        maxStaleness: number | undefined;
        timeout: number;
        autoStart: boolean;
      }
    | undefined;
  fetch: FetchLike;
  clock: () => number;
}

const JWKS_DEFAULT_ALGS: readonly Algorithm[] = ['ES256', 'EdDSA', 'RS256', 'PS256'];

function resolveRevocation(r: unknown, issuer: string | undefined): ResolvedOptions['revocation'] {
  if (r === undefined || r === false) return undefined;
  if (typeof r !== 'object' || r === null) throw invalid('revocation', 'must be an object or false');
  const o = r as RevocationOptions;
  let url: string;
  if (o.url !== undefined) url = httpUrl('revocation.url', o.url);
  else if (issuer !== undefined) url = `${issuer.replace(/\/$/, '')}/auth/revocations`;
  else throw invalid('revocation.url', 'is required when no issuer is given');
  const interval = seconds('revocation.interval', o.interval, 1);
  if (interval < 0.01) throw invalid('revocation.interval', 'must be at least 0.01 seconds');
  const wait = seconds('revocation.wait', o.wait, 0);
  if (wait > 25) throw invalid('revocation.wait', 'must be at most 25 seconds');
  const maxStaleness =
    o.maxStaleness === undefined ? undefined : seconds('revocation.maxStaleness', o.maxStaleness, 0);
  // A long-poll holds a request up to `wait` seconds with nothing new: that is not staleness.
  if (maxStaleness !== undefined && maxStaleness <= Math.max(wait, interval)) {
    throw invalid(
      'revocation.maxStaleness',
      'must be greater than both revocation.interval and revocation.wait',
    );
  }
  const timeout = seconds('revocation.timeout', o.timeout, 5);
  if (o.autoStart !== undefined && typeof o.autoStart !== 'boolean') {
    throw invalid('revocation.autoStart', 'must be a boolean');
  }
  if (timeout <= 0) throw invalid('revocation.timeout', 'must be positive');
  return {
    url,
    clientId: nonEmpty('revocation.clientId', o.clientId),
    clientSecret: nonEmpty('revocation.clientSecret', o.clientSecret),
    interval,
    wait,
    maxStaleness,
    timeout,
    autoStart: o.autoStart ?? true,
  };
}

function resolveSource(o: VerifierOptions): ResolvedOptions['source'] {
  const given = (['secret', 'keys', 'jwksUrl'] as const).filter((k) => o[k] !== undefined);
  if (given.length > 1) throw invalid(given[1]!, `cannot be combined with ${given[0]}`);
  if (o.secret !== undefined) {
    if (!(typeof o.secret === 'string' || o.secret instanceof Uint8Array))
      throw invalid('secret', 'must be a string');
    const bytes =
      typeof o.secret === 'string' ? new TextEncoder().encode(o.secret).length : o.secret.byteLength;
    // Security: an HS256 secret shorter than the hash output can be brute-forced offline.
    if (bytes < 32) throw invalid('secret', 'must be at least 32 bytes');
    return { kind: 'secret', secret: o.secret };
  }
  if (o.keys !== undefined) {
    if (typeof o.keys !== 'object' || o.keys === null)
      throw invalid('keys', 'must be a Key, a KeySet or a JWKS');
    return { kind: 'keys', keys: o.keys };
  }
  if (o.jwksUrl !== undefined)
    return { kind: 'remote', jwksUrl: httpUrl('jwksUrl', o.jwksUrl), issuer: undefined };
  if (o.issuer !== undefined) return { kind: 'remote', jwksUrl: undefined, issuer: o.issuer };
  throw invalid('issuer', 'is required (or one of secret, keys, jwksUrl)');
}

/**
 * Validates verifier options and applies defaults.
 *
 * @example
 * ```ts
 * resolveOptions({ secret: 'short' }); // throws OPTION_INVALID: "The secret option must be at least 32 bytes"
 * ```
 */
export function resolveOptions(options: VerifierOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object');
  const o = options;
  const issuer = o.issuer === undefined ? undefined : httpUrl('issuer', o.issuer);
  const source = resolveSource(o);
  const symmetric = source.kind === 'secret';
  let algorithms: readonly Algorithm[];
  if (o.algorithms === undefined) algorithms = symmetric ? ['HS256'] : JWKS_DEFAULT_ALGS;
  else {
    if (!Array.isArray(o.algorithms) || o.algorithms.length === 0 || !o.algorithms.every(isAlgorithm)) {
      throw invalid('algorithms', 'must be a non-empty array of supported algorithms (never none)');
    }
    algorithms = [...o.algorithms];
  }
  if (symmetric && (algorithms.length !== 1 || !algorithms[0]!.startsWith('HS'))) {
    throw invalid('algorithms', 'must be exactly one HS* algorithm with a secret');
  }
  // Security: secrets are never published, so an HMAC algorithm with a JWKS could only ever
  // be an algorithm-confusion attempt.
  if (source.kind === 'remote' && algorithms.some((a) => a.startsWith('HS'))) {
    throw invalid('algorithms', 'cannot contain HS* algorithms with a remote JWKS');
  }
  if (o.audience !== undefined) {
    const list = typeof o.audience === 'string' ? [o.audience] : o.audience;
    if (!Array.isArray(list) || list.length === 0 || !list.every((a) => typeof a === 'string' && a !== '')) {
      throw invalid('audience', 'must be a non-empty string or array of strings');
    }
  }
  if (o.typ !== undefined && o.typ !== false && (typeof o.typ !== 'string' || o.typ === '')) {
    throw invalid('typ', 'must be a non-empty string or false');
  }
  const typ = o.typ === false ? undefined : (o.typ ?? (issuer !== undefined ? 'at+jwt' : undefined));
  let cacheMax: number | false = 10_000;
  if (o.cache === false) cacheMax = false;
  else if (typeof o.cache === 'object' && o.cache !== null && o.cache.max !== undefined) {
    if (!Number.isSafeInteger(o.cache.max) || o.cache.max < 1)
      throw invalid('cache.max', 'must be a positive integer');
    cacheMax = o.cache.max;
  } else if (o.cache !== undefined && o.cache !== true && (typeof o.cache !== 'object' || o.cache === null)) {
    throw invalid('cache', 'must be a boolean or { max }');
  }
  if (
    o.requiredClaims !== undefined &&
    (!Array.isArray(o.requiredClaims) || !o.requiredClaims.every((c) => typeof c === 'string'))
  ) {
    throw invalid('requiredClaims', 'must be an array of claim names');
  }
  if (o.fetch !== undefined && typeof o.fetch !== 'function') throw invalid('fetch', 'must be a function');
  if (o.clock !== undefined && typeof o.clock !== 'function') throw invalid('clock', 'must be a function');
  const j = o.jwks ?? {};
  const jwks = {
    cooldown: seconds('jwks.cooldown', j.cooldown, 30),
    minCacheAge: seconds('jwks.minCacheAge', j.minCacheAge, 30),
    maxCacheAge: seconds('jwks.maxCacheAge', j.maxCacheAge, 600),
    timeout: seconds('jwks.timeout', j.timeout, 5),
  };
  if (jwks.maxCacheAge < jwks.minCacheAge)
    throw invalid('jwks.maxCacheAge', 'must be at least jwks.minCacheAge');
  if (jwks.timeout <= 0) throw invalid('jwks.timeout', 'must be positive');
  const fetchFn: FetchLike | undefined = o.fetch ?? (typeof fetch === 'function' ? fetch : undefined);
  if (fetchFn === undefined && (source.kind === 'remote' || o.revocation))
    throw invalid('fetch', 'is required here');
  return {
    source,
    issuer,
    audience: o.audience,
    algorithms,
    clockTolerance: seconds('clockTolerance', o.clockTolerance, 5),
    typ,
    maxTokenAge: o.maxTokenAge === undefined ? undefined : seconds('maxTokenAge', o.maxTokenAge, 0),
    requiredClaims: o.requiredClaims ?? ['exp'],
    cacheMax,
    jwks,
    revocation: resolveRevocation(o.revocation, issuer),
    fetch: fetchFn as FetchLike,
    clock: o.clock ?? (() => Date.now() / 1000),
  };
}
