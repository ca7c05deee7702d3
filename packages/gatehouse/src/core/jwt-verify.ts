/** JWT verification: compact JWS verification, then the claims. */
import { GatehouseError } from '../errors.js';
import type { Algorithm } from './algorithms.js';
import { type ClaimsOptions, type PreparedClaims, prepareClaims, validateClaims } from './claims.js';
import type { JwsHeader, JwtPayload } from './jws-decode.js';
import { type PreparedJwsOptions, prepareJwsOptions, verifyCompact } from './jws-verify.js';
import type { Key } from './keys/key.js';
import type { KeySet } from './keys/key-set.js';

/** Options of {@link verifyJwt}. */
export interface VerifyOptions extends ClaimsOptions {
  /** Required, non-empty: the RFC 8725 allow-list. */
  algorithms: readonly Algorithm[];
  /** Bytes of the compact token; default 8192. */
  maxTokenSize?: number;
  /** Seconds; default: the current time. */
  now?: number;
}

/** The result of a successful verification. */
export interface VerifiedJwt {
  header: JwsHeader;
  payload: JwtPayload;
}

/** @internal All verification options, checked once. */
export interface PreparedVerify {
  readonly jws: PreparedJwsOptions;
  readonly claims: PreparedClaims;
}

/** @internal */
export function prepareVerify(options: VerifyOptions, copy = false): PreparedVerify {
  return { jws: prepareJwsOptions(options, copy), claims: prepareClaims(options, copy) };
}

/** @internal Checks an injected or default time. */
export function checkNow(now: unknown): number {
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw new GatehouseError('OPTION_INVALID', 'The current time must be a finite number of seconds', {
      claim: 'now',
    });
  }
  return now;
}

/** @internal Steps 1-6 with prepared options. */
export function verifyPrepared(
  token: string,
  keys: Key | KeySet,
  prepared: PreparedVerify,
  now: number,
): VerifiedJwt {
  const { header, payload } = verifyCompact(token, keys, prepared.jws, true);
  validateClaims(header, payload, prepared.claims, now);
  return { header, payload };
}

/**
 * Verifies a JWT: strict parsing, the algorithm allow-list, the key (by kid and alg), the
 * signature, `typ`, then the claims. Throws `GatehouseError` with a stable code (see
 * docs/api/core.md for the order). For hot paths prefer {@link createJwtVerifier}, which
 * checks the options once.
 *
 * @example
 * ```ts
 * import { generateKey, signJwt, verifyJwt } from 'gatehouse';
 * const key = generateKey('ES256');
 * const token = signJwt({ sub: 'alice', aud: 'api' }, key, { expiresIn: '15m' });
 * const { payload } = verifyJwt(token, key, { algorithms: ['ES256'], audience: 'api' });
 * ```
 */
export function verifyJwt(token: string, keys: Key | KeySet, options: VerifyOptions): VerifiedJwt {
  const prepared = prepareVerify(options);
  const now = checkNow(options.now ?? Math.floor(Date.now() / 1000));
  const { header, payload } = verifyCompact(token, keys, prepared.jws, true);
  validateClaims(header, payload, prepared.claims, now);
  return { header, payload };
}
