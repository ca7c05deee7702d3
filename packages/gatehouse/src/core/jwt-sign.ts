/** JWT signing. */
import { GatehouseError } from '../errors.js';
import { parseDuration } from './duration.js';
import type { JwtPayload } from './jws-decode.js';
import { assembleAndSign, headerSegment, signerOf } from './jws-sign.js';
import type { Key } from './keys/key.js';

/** Options of {@link signJwt}. */
export interface SignJwtOptions {
  /** The `typ` header; default `'JWT'`. The auth server uses `'at+jwt'` (RFC 9068). */
  typ?: string;
  /** Extra header parameters (`alg`, `kid` and `typ` come from the key and options; `crit`, `b64` are refused). */
  header?: Record<string, unknown>;
  /** Seconds; default the current time when `expiresIn` or `notBefore` is given. */
  now?: number;
  /** Seconds or duration: `exp = now + expiresIn` (and `iat = now` when the payload has none). */
  expiresIn?: number | string;
  /** Seconds or duration: `nbf = now + notBefore`. */
  notBefore?: number | string;
}

function checkNumericClaims(payload: JwtPayload): void {
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    const v = payload[claim];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new GatehouseError('CLAIM_INVALID', `The "${claim}" claim must be a number`, {
        claim,
        reason: 'not_a_number',
      });
    }
  }
}

/**
 * Signs a claims set as a compact JWT with header `{alg, typ, kid}`. Never emits `alg: none`,
 * `b64: false` or `crit`. `KEY_INVALID` for a public key.
 *
 * @example
 * ```ts
 * import { generateKey, signJwt } from 'gatehouse';
 * const key = generateKey('ES256');
 * const token = signJwt({ iss: 'https://auth.example', sub: 'alice', aud: 'api' }, key, {
 *   typ: 'at+jwt',
 *   expiresIn: '15m',
 * });
 * ```
 */
export function signJwt(payload: JwtPayload, key: Key, options: SignJwtOptions = {}): string {
  const sign = signerOf(key);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new GatehouseError('OPTION_INVALID', 'The payload must be a plain object', { claim: 'payload' });
  }
  let claims = payload;
  if (options.expiresIn !== undefined || options.notBefore !== undefined) {
    const now = options.now ?? Math.floor(Date.now() / 1000);
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new GatehouseError('OPTION_INVALID', 'The now option must be a number of seconds', {
        claim: 'now',
      });
    }
    claims = { ...payload };
    if (options.expiresIn !== undefined) {
      claims.exp = now + parseDuration(options.expiresIn);
      if (claims.iat === undefined) claims.iat = now;
    }
    if (options.notBefore !== undefined) claims.nbf = now + parseDuration(options.notBefore);
  }
  checkNumericClaims(claims);
  const typ = options.typ ?? 'JWT';
  if (typeof typ !== 'string' || typ === '')
    throw new GatehouseError('OPTION_INVALID', 'The typ option must be a non-empty string');
  let json: string;
  try {
    json = JSON.stringify(claims);
  } catch (err) {
    throw new GatehouseError('CLAIM_INVALID', 'The claims are not serializable as JSON', {
      reason: 'not_json',
      cause: err,
    });
  }
  if (typeof json !== 'string' || json.charCodeAt(0) !== 0x7b) {
    throw new GatehouseError('CLAIM_INVALID', 'The claims must serialize to a JSON object', {
      reason: 'not_json',
    });
  }
  return assembleAndSign(headerSegment(key, typ, options.header), json, sign);
}
