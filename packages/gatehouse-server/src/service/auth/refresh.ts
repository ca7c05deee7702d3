/** `POST /auth/token`: refresh-token rotation with grace and reuse detection. */
import { GatehouseError } from 'gatehouse/errors';
import { generateRefreshToken, hashRefreshToken, isRefreshTokenShape } from '../../domain/refresh-token.js';
import { graceMs, idleExpiryAfterUse, sessionRevocation } from '../../domain/sessions.js';
import type { ServiceContext } from '../context.js';
import type { RequestContext, TokenPair } from '../types.js';
import { issueTokenPair } from './token-pair.js';

/**
 * Exchanges a refresh token for a new pair. The old token stops working, except as the
 * immediate predecessor within the reuse grace (parallel tabs); any other old generation is
 * reuse: the store revokes the whole session (RFC 9700 section 4.14) and the caller gets
 * REFRESH_TOKEN_REUSED. Unknown, ended or expired: INVALID_REFRESH_TOKEN.
 *
 * @example
 * ```ts
 * const pair = await refresh(ctx, body.refresh_token, { ip, userAgent });
 * ```
 */
export async function refresh(
  ctx: ServiceContext,
  refreshToken: string,
  req: RequestContext,
): Promise<TokenPair> {
  // Anything that is not exactly one of our tokens is refused without a lookup.
  if (!isRefreshTokenShape(refreshToken)) return invalid(ctx);
  const hash = hashRefreshToken(refreshToken);
  const now = ctx.clock();
  // The session is looked up first only to name it in the revocation entry that the store
  // appends, in its own transaction, if this turns out to be reuse.
  const owner = await ctx.store.findSessionByRefreshHash(hash, now);
  if (!owner) return invalid(ctx);

  const nextToken = generateRefreshToken();
  const result = await ctx.store.rotateRefreshToken({
    hash,
    nextHash: hashRefreshToken(nextToken),
    now,
    graceMs: graceMs(ctx.policy),
    idleExpiresAt: idleExpiryAfterUse(ctx.policy, now, owner.expiresAt),
    onReuse: sessionRevocation(owner.id, 'reuse_detected', now, ctx.policy),
  });

  if (result.status === 'invalid') return invalid(ctx);
  if (result.status === 'reused') {
    ctx.emit({ type: 'refresh', outcome: 'reused' });
    ctx.emit({ type: 'session_revoked', reason: 'reuse_detected', count: 1 });
    await ctx.store
      .appendAudit({
        type: 'refresh_token_reused',
        actorId: null,
        subjectId: result.userId,
        ip: req?.ip ?? null,
        detail: { sessionId: result.sessionId },
        now,
      })
      .catch(() => {});
    throw new GatehouseError('REFRESH_TOKEN_REUSED', 'Refresh token reused: the session has been ended');
  }
  if (result.user.lockedAt !== null) return invalid(ctx); // locking revokes sessions; belt and braces

  const pair = await issueTokenPair(ctx, result.user, result.session, nextToken, now);
  ctx.emit({ type: 'refresh', outcome: result.graceUsed ? 'grace' : 'rotated' });
  return pair;
}

function invalid(ctx: ServiceContext): never {
  ctx.emit({ type: 'refresh', outcome: 'invalid' });
  throw new GatehouseError('INVALID_REFRESH_TOKEN', 'Invalid refresh token');
}
