/** `POST /auth/token`: refresh-token rotation with a sealed successor for grace, and reuse detection. */
import { GatehouseError } from 'gatehouse/errors';
import { openSuccessor, sealSuccessor } from '../../domain/refresh-seal.js';
import { generateRefreshToken, hashRefreshToken, isRefreshTokenShape } from '../../domain/refresh-token.js';
import {
  accessLifetimeBoundMs,
  graceMs,
  idleExpiryAfterUse,
  type SessionPolicy,
} from '../../domain/sessions.js';
import type { RotateRequest } from '../../storage/types.js';
import type { ServiceContext } from '../context.js';
import type { RequestContext, TokenPair } from '../types.js';
import { issueTokenPair } from './token-pair.js';

/**
 * Exchanges a refresh token for a new pair.
 *
 * - The current token rotates: a new refresh token, and the presented one becomes the
 *   predecessor.
 * - The immediate predecessor within the reuse grace (parallel requests, browser tabs) does
 *   not rotate again: it gets the SAME current refresh token that its rotation produced
 *   (opened from the seal stored on its row) with a fresh access token. So N parallel
 *   refreshes with one token all end up holding one token of one chain; nobody is logged out.
 * - Any other old generation, or the predecessor after the grace, is reuse: the store revokes
 *   the whole session (RFC 9700 section 4.14) and the caller gets REFRESH_TOKEN_REUSED.
 * - Unknown, ended or expired, or a seal that does not open: INVALID_REFRESH_TOKEN.
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
  const now = ctx.clock();
  const nextToken = generateRefreshToken();
  const result = await ctx.store.rotateRefreshToken({
    hash: hashRefreshToken(refreshToken),
    nextHash: hashRefreshToken(nextToken),
    // Only the holder of the presented token can open this: the store never holds a usable
    // token, and a grace call proves possession of the predecessor by opening it.
    nextSealed: sealSuccessor(refreshToken, nextToken),
    now,
    graceMs: graceMs(ctx.policy),
    // The store caps this at the session's absolute end, which we do not look up here.
    idleExpiresAt: idleExpiryAfterUse(ctx.policy, now, Number.POSITIVE_INFINITY),
    onReuse: reuseRevocation(now, ctx.policy),
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

  let token = nextToken;
  if (result.graceUsed) {
    // A corrupt or foreign seal is the client's problem to re-login from, never a 5xx.
    const successor = openSuccessor(refreshToken, result.sealedSuccessor);
    if (successor === null) return invalid(ctx);
    token = successor;
  }
  const pair = await issueTokenPair(ctx, result.user, result.session, token, now);
  ctx.emit({ type: 'refresh', outcome: result.graceUsed ? 'grace' : 'rotated' });
  return pair;
}

/**
 * The `sid` revocation the store appends if this is reuse; the store fills in the session id.
 * Kept while any access token of the session can still be accepted somewhere.
 */
function reuseRevocation(now: number, policy: Pick<SessionPolicy, 'accessTtl'>): RotateRequest['onReuse'] {
  return {
    kind: 'sid',
    notBefore: null,
    expiresAt: now + accessLifetimeBoundMs(policy),
    reason: 'reuse_detected',
    now,
  };
}

function invalid(ctx: ServiceContext): never {
  ctx.emit({ type: 'refresh', outcome: 'invalid' });
  throw new GatehouseError('INVALID_REFRESH_TOKEN', 'Invalid refresh token');
}
