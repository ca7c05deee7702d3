/** Builds the contract's token pair for a live session. */
import { refreshExpiresIn } from '../../domain/sessions.js';
import type { SessionRecord, UserRecord } from '../../storage/types.js';
import type { ServiceContext } from '../context.js';
import type { TokenPair } from '../types.js';

/**
 * Signs an access token for `session` and pairs it with the (already stored) refresh token.
 *
 * @example
 * ```ts
 * return issueTokenPair(ctx, user, session, refreshToken, now);
 * ```
 */
export async function issueTokenPair(
  ctx: ServiceContext,
  user: UserRecord,
  session: SessionRecord,
  refreshToken: string,
  now: number,
): Promise<TokenPair> {
  const access = await ctx.tokens.issue(user, session, now);
  return {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    refresh_token: refreshToken,
    refresh_expires_in: refreshExpiresIn(session, now),
    session_id: session.id,
  };
}
