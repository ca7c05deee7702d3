/**
 * Locking and unlocking an account: the one implementation behind the CLI (`AdminService`)
 * and the HTTP admin routes (`UserAdmin`), which differ only in how they audit the actor.
 */
import { userCutoffRevocation } from '../../domain/sessions.js';
import type { ServiceContext } from '../context.js';

/**
 * Locks (or unlocks) a user and returns how many live sessions the lock ended (0 on unlock).
 *
 * Security: locking ends every session and cuts off every access token issued so far (a `sub`
 * revocation entry, in the same transaction, reaches resource servers through the feed); new
 * logins are refused with ACCOUNT_LOCKED, and only after a correct password (no oracle).
 *
 * @example
 * ```ts
 * const ended = await setAccountLock(ctx, user.id, true);
 * ```
 */
export async function setAccountLock(ctx: ServiceContext, userId: string, locked: boolean): Promise<number> {
  if (!locked) {
    await ctx.store.setLocked(userId, false, null);
    return 0;
  }
  const now = ctx.clock();
  const live = (await ctx.store.listActiveSessions(userId, now)).length;
  await ctx.store.setLocked(userId, true, userCutoffRevocation(userId, 'locked', now, ctx.policy));
  ctx.emit({ type: 'session_revoked', reason: 'locked', count: live });
  return live;
}
