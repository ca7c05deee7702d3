/** `POST /auth/password`: change the password, end the other sessions. */
import { GatehouseError } from 'gatehouse/errors';
import { checkPasswordShape, validateNewPassword } from '../../domain/passwords.js';
import { userCutoffRevocation } from '../../domain/sessions.js';
import { loginThrottleRules, throttleDecision } from '../../domain/throttle.js';
import type { ServiceContext } from '../context.js';
import type { AccessClaims, RequestContext } from '../types.js';
import { recordSecurityEvent } from './security-audit.js';

/**
 * Verifies the current password, stores the new hash, revokes every other session and cuts
 * off the user's access tokens issued before now (the current session stays; its client
 * refreshes to get a token past the cut-off).
 *
 * Security: wrong current passwords count against the same per-account limit as logins, so a
 * stolen access token cannot be used to guess the password at argon2 speed without bound.
 *
 * @example
 * ```ts
 * await changePassword(ctx, auth, { current_password: 'old one!', new_password: 'new one!!' }, req);
 * ```
 */
export async function changePassword(
  ctx: ServiceContext,
  auth: AccessClaims,
  input: { current_password: string; new_password: string },
  req: RequestContext,
): Promise<void> {
  const current = checkPasswordShape(input?.current_password, 'current_password');
  const next = validateNewPassword(input?.new_password, 'new_password');
  const user = await ctx.store.findUserById(auth.sub);
  if (!user) throw new GatehouseError('UNAUTHORIZED', 'Unknown user');
  const now = ctx.clock();

  const rules = loginThrottleRules(user.usernameKey);
  for (const rule of rules) {
    const decision = throttleDecision(
      rule,
      await ctx.store.incrementAttempts(rule.key, rule.windowMs, now),
      now,
    );
    if (!decision.allowed) {
      throw new GatehouseError('TOO_MANY_ATTEMPTS', 'Too many failed attempts, try again later', {
        retryAfter: decision.retryAfter,
      });
    }
  }
  if (!(await ctx.hasher.verify(user.passwordHash, current))) {
    throw new GatehouseError('INVALID_CREDENTIALS', 'The current password is wrong', {
      claim: 'current_password',
    });
  }
  for (const rule of rules) await ctx.store.resetAttempts(rule.key);

  const hash = await ctx.hasher.hash(next);
  // The cut-off is taken after the (slow) hash: every token issued before the write is cut.
  const cutAt = ctx.clock();
  await ctx.store.changePassword(
    user.id,
    hash,
    auth.sid,
    userCutoffRevocation(user.id, 'password_changed', cutAt, ctx.policy),
  );
  ctx.emit({ type: 'password_changed' });
  await recordSecurityEvent(ctx, 'password_changed', req, { subjectId: user.id });
}
