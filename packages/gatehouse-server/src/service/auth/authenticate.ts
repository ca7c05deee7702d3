/**
 * Verification of our own access tokens for the auth server's Bearer endpoints: signature
 * and claims by the core (typ `at+jwt`, issuer, audience), then the server-side state that a
 * resource server only learns through the revocation feed — session ended, user locked or
 * cut off (logout-all, password change), key revoked.
 */
import { type Algorithm, createJwtVerifier, decodeJwt, type JwtVerifier } from 'gatehouse';
import { GatehouseError, isGatehouseError } from 'gatehouse/errors';
import { issuedBeforeCutoff, VERIFIER_CLOCK_TOLERANCE_S } from '../../domain/sessions.js';
import type { ServiceContext } from '../context.js';
import type { AccessClaims } from '../types.js';

/** The claims every access token of ours carries (RFC 9068 plus `sid`, `roles`, `username`). */
const REQUIRED = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'sid', 'roles', 'username'] as const;

/**
 * Returns `authenticate(token)`; the core verifier is prepared once and rebuilt only when the
 * keyring's algorithms change.
 *
 * @example
 * ```ts
 * const authenticate = createAuthenticator(ctx);
 * const auth = await authenticate(bearerToken); // throws TOKEN_EXPIRED, TOKEN_REVOKED, ...
 * ```
 */
export function createAuthenticator(ctx: ServiceContext): (token: string) => Promise<AccessClaims> {
  let prepared: { algs: readonly Algorithm[]; verify: JwtVerifier } | undefined;

  const verifier = (): JwtVerifier => {
    const algs = ctx.keyring.algorithms();
    if (prepared?.algs !== algs) {
      prepared = {
        algs,
        verify: createJwtVerifier(() => ctx.keyring.verificationKeys(), {
          algorithms: algs,
          typ: 'at+jwt',
          issuer: ctx.issuer,
          audience: ctx.audience,
          requiredClaims: REQUIRED,
          clockTolerance: VERIFIER_CLOCK_TOLERANCE_S,
        }),
      };
    }
    return prepared.verify;
  };

  return async function authenticate(token: string): Promise<AccessClaims> {
    if (typeof token !== 'string' || token === '') {
      throw new GatehouseError('UNAUTHORIZED', 'An access token is required');
    }
    const now = ctx.clock();
    let header: { kid?: string };
    let payload: Record<string, unknown>;
    try {
      ({ header, payload } = verifier()(token, Math.floor(now / 1000)));
    } catch (err) {
      if (!isGatehouseError(err))
        throw new GatehouseError('UNAUTHORIZED', 'Invalid access token', { cause: err });
      // A revoked key is out of the key set, so the core reports KEY_UNKNOWN; name it.
      if (err.code === 'KEY_UNKNOWN' && ctx.keyring.isRevoked(kidOf(token))) throw revoked('kid');
      throw err;
    }
    const claims = toClaims(payload);

    // Security: a leaked key's tokens are refused at once, even while they are unexpired.
    if (header.kid !== undefined && ctx.keyring.isRevoked(header.kid)) throw revoked('kid');
    const session = await ctx.store.findSession(claims.sid);
    if (!session || session.userId !== claims.sub || session.revokedAt !== null || session.expiresAt <= now) {
      throw revoked('sid');
    }
    const user = await ctx.store.findUserById(claims.sub);
    if (!user || user.lockedAt !== null || issuedBeforeCutoff(claims.iat, user.tokensValidAfter)) {
      throw revoked('sub');
    }
    return claims;
  };
}

function toClaims(p: Record<string, unknown>): AccessClaims {
  const str = (name: string) => {
    const v = p[name];
    if (typeof v !== 'string' || v === '') throw claimInvalid(name);
    return v;
  };
  const roles = p.roles;
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) throw claimInvalid('roles');
  const aud = p.aud;
  if (typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))) {
    throw claimInvalid('aud');
  }
  // exp and iat were checked to be finite numbers by the core.
  return {
    sub: str('sub'),
    sid: str('sid'),
    jti: str('jti'),
    roles: [...roles],
    username: str('username'),
    client_id: str('client_id'),
    iat: p.iat as number,
    exp: p.exp as number,
    iss: str('iss'),
    aud,
  };
}

/** The `kid` of a token's header, or '' (only used after the core has parsed the header). */
function kidOf(token: string): string {
  try {
    const kid = decodeJwt(token).header.kid;
    return typeof kid === 'string' ? kid : '';
  } catch {
    return '';
  }
}

function claimInvalid(claim: string): GatehouseError {
  return new GatehouseError('CLAIM_INVALID', 'Invalid access token claim', { claim, reason: 'invalid' });
}

function revoked(claim: 'sid' | 'sub' | 'kid'): GatehouseError {
  return new GatehouseError('TOKEN_REVOKED', 'The access token has been revoked', { claim });
}
