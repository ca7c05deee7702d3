/**
 * The standard OAuth operations on our tokens: RFC 7009 revocation and RFC 7662
 * introspection. (The RFC 6749 refresh grant is the service's own `refresh`; the HTTP layer
 * only changes its envelope.)
 */
import { GatehouseError, isGatehouseError } from 'gatehouse/errors';
import { hashRefreshToken, isRefreshTokenShape } from '../../domain/refresh-token.js';
import { sessionRevocation, tokenRevocation } from '../../domain/sessions.js';
import type { AuditActor, AuditLog } from '../audit.js';
import type { ServiceContext } from '../context.js';
import type { AccessClaims } from '../types.js';
import type { JtiDenylist } from './jti-denylist.js';

/** RFC 7662 section 2.2 response. Inactive tokens get `{ active: false }` and nothing else. */
export type IntrospectionResponse =
  | { active: false }
  | {
      active: true;
      token_type: 'Bearer';
      client_id: string;
      username: string;
      sub: string;
      aud: string | string[];
      iss: string;
      jti: string;
      exp: number;
      iat: number;
      sid: string;
      roles: string[];
    };

export interface OAuthService {
  /**
   * RFC 7009: a refresh token ends its whole session (its access tokens included); one of our
   * access tokens (signature checked) gets a `jti` revocation entry until its `exp`. Unknown,
   * malformed, expired or already revoked tokens are a no-op. Throws only SERVICE_UNAVAILABLE.
   */
  revoke(token: string, hint: string | undefined, by: AuditActor): Promise<void>;
  /**
   * RFC 7662 for a resource server authenticated with `clientId`: the claims of an active
   * access token, `{ active: false }` for anything else (revoked, expired, unknown, refresh).
   */
  introspect(token: string, clientId: string): Promise<IntrospectionResponse>;
}

/**
 * Adds the per-token (`jti`) revocations to an authenticator that checks signature, claims
 * and session state.
 *
 * @example
 * ```ts
 * const authenticate = withJtiRevocation(createAuthenticator(ctx), denylist);
 * ```
 */
export function withJtiRevocation(
  authenticate: (token: string) => Promise<AccessClaims>,
  denylist: JtiDenylist,
): (token: string) => Promise<AccessClaims> {
  return async (token) => {
    const claims = await authenticate(token);
    if (await denylist.isRevoked(claims.jti)) {
      throw new GatehouseError('TOKEN_REVOKED', 'The access token has been revoked', { claim: 'jti' });
    }
    return claims;
  };
}

/** Errors that only say "this token is not valid" (any 401), as opposed to "storage is down". */
function isTokenFailure(err: unknown): boolean {
  return isGatehouseError(err) && err.status === 401;
}

/**
 * Builds the OAuth operations.
 *
 * @example
 * ```ts
 * const oauth = createOAuthService({ ctx, authenticate, denylist, audit });
 * await oauth.revoke(token, 'refresh_token', { actorId: null, ip: '127.0.0.1' });
 * ```
 */
export function createOAuthService(deps: {
  ctx: ServiceContext;
  /** The full check of an access token (signature, claims, session, user, jti). */
  authenticate: (token: string) => Promise<AccessClaims>;
  denylist: JtiDenylist;
  audit: AuditLog;
}): OAuthService {
  const { ctx, authenticate, denylist, audit } = deps;

  async function revokeRefresh(token: string, by: AuditActor): Promise<void> {
    const now = ctx.clock();
    const session = await ctx.store.findSessionByRefreshHash(hashRefreshToken(token), now);
    if (!session) return;
    const ended = await ctx.store.revokeSession(
      session.id,
      'oauth_revoke',
      sessionRevocation(session.id, 'oauth_revoke', now, ctx.policy),
    );
    if (!ended) return;
    ctx.emit({ type: 'session_revoked', reason: 'oauth_revoke', count: 1 });
    await audit.record({
      ...by,
      actorId: by.actorId ?? session.userId,
      type: 'token_revoked',
      subjectId: session.userId,
      detail: { token: 'refresh_token', sessionId: session.id },
    });
  }

  async function revokeAccess(token: string, by: AuditActor): Promise<void> {
    let claims: AccessClaims;
    try {
      // Only our own, valid tokens are worth an entry: a forged or expired one changes nothing.
      claims = await authenticate(token);
    } catch (err) {
      if (isTokenFailure(err)) return;
      throw err;
    }
    const now = ctx.clock();
    const entry = tokenRevocation(claims.jti, claims.exp, 'oauth_revoke', now);
    await ctx.store.appendRevocation(entry);
    denylist.add(claims.jti, entry.expiresAt);
    await audit.record({
      ...by,
      actorId: by.actorId ?? claims.sub,
      type: 'token_revoked',
      subjectId: claims.sub,
      detail: { token: 'access_token', jti: claims.jti, sessionId: claims.sid },
    });
  }

  return {
    async revoke(token, _hint, by) {
      // The hint (RFC 7009 2.1) only speeds up a lookup; our two kinds are told apart by shape.
      if (typeof token !== 'string' || token === '' || token.length > 8192) return;
      const jws = token.split('.').length === 3;
      if (isRefreshTokenShape(token)) return revokeRefresh(token, by);
      if (jws) return revokeAccess(token, by);
    },

    async introspect(token, _clientId) {
      // Refresh tokens are for the client that holds them: a resource server has no business
      // introspecting one, so they answer inactive (RFC 7662 section 2.2 allows exactly this).
      if (typeof token !== 'string' || token === '' || token.length > 8192 || isRefreshTokenShape(token)) {
        return { active: false };
      }
      let claims: AccessClaims;
      try {
        claims = await authenticate(token);
      } catch (err) {
        if (isTokenFailure(err)) return { active: false };
        throw err;
      }
      return {
        active: true,
        token_type: 'Bearer',
        client_id: claims.client_id,
        username: claims.username,
        sub: claims.sub,
        aud: claims.aud,
        iss: claims.iss,
        jti: claims.jti,
        exp: claims.exp,
        iat: claims.iat,
        sid: claims.sid,
        roles: [...claims.roles],
      };
    },
  };
}
