/** `POST /auth/logout` and `POST /auth/logout-all`. */
import { hashRefreshToken, isRefreshTokenShape } from '../../domain/refresh-token.js';
import { sessionRevocation, userCutoffRevocation } from '../../domain/sessions.js';
import type { ServiceContext } from '../context.js';
import type { AccessClaims, RequestContext } from '../types.js';
import { recordSecurityEvent } from './security-audit.js';

/**
 * Ends the session a refresh token belongs to (its access tokens included, through a `sid`
 * revocation entry). Idempotent: unknown, malformed or already-ended tokens are a no-op.
 *
 * @example
 * ```ts
 * await logout(ctx, body.refresh_token, req); // 204 either way
 * ```
 */
export async function logout(ctx: ServiceContext, refreshToken: string, _req: RequestContext): Promise<void> {
  if (!isRefreshTokenShape(refreshToken)) return noop(ctx);
  const now = ctx.clock();
  const session = await ctx.store.findSessionByRefreshHash(hashRefreshToken(refreshToken), now);
  if (!session) return noop(ctx);
  const ended = await ctx.store.revokeSession(
    session.id,
    'logout',
    sessionRevocation(session.id, 'logout', now, ctx.policy),
  );
  if (!ended) return noop(ctx);
  ctx.emit({ type: 'logout', outcome: 'ended' });
  ctx.emit({ type: 'session_revoked', reason: 'logout', count: 1 });
}

/**
 * Ends every session of the caller and cuts off every access token issued before now (a
 * `sub` revocation entry with `notBefore = ceil(now / 1000)`).
 *
 * @example
 * ```ts
 * await logoutAll(ctx, auth, req);
 * ```
 */
export async function logoutAll(ctx: ServiceContext, auth: AccessClaims, req: RequestContext): Promise<void> {
  const now = ctx.clock();
  const count = await ctx.store.revokeUserSessions(
    auth.sub,
    'logout_all',
    userCutoffRevocation(auth.sub, 'logout_all', now, ctx.policy),
  );
  ctx.emit({ type: 'session_revoked', reason: 'logout_all', count });
  await recordSecurityEvent(ctx, 'sessions_revoked', req, {
    subjectId: auth.sub,
    detail: { reason: 'logout_all', count },
  });
}

function noop(ctx: ServiceContext): void {
  ctx.emit({ type: 'logout', outcome: 'noop' });
}
