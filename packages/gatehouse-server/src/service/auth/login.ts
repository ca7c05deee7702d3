/**
 * `POST /auth/login`: throttling, argon2id verification (dummy hash for unknown users), lock
 * check, parameter upgrade, session creation.
 */
import { randomUUID } from 'node:crypto';
import { GatehouseError } from 'gatehouse/errors';
import { checkPasswordShape } from '../../domain/passwords.js';
import { generateRefreshToken, hashRefreshToken } from '../../domain/refresh-token.js';
import { newSessionTimes } from '../../domain/sessions.js';
import { loginThrottleRules, throttleDecision } from '../../domain/throttle.js';
import { normalizeUsername } from '../../domain/usernames.js';
import type { UserRecord } from '../../storage/types.js';
import type { ServiceContext } from '../context.js';
import type { RequestContext, TokenPair } from '../types.js';
import { issueTokenPair } from './token-pair.js';

/**
 * Logs a user in and opens a session.
 *
 * Security, in order:
 * 1. Shape checks (VALIDATION_FAILED) do not depend on any account: a name that cannot exist
 *    and a 1 MB password are refused before any lookup or hash.
 * 2. The attempt is charged to the account's counter BEFORE the password is checked, so that
 *    parallel guesses cannot slip past the limit; the counter is keyed by the normalised name
 *    whether or not the user exists, so a throttled unknown name answers 429 exactly like a
 *    throttled real one (no oracle), and no password is checked while throttled.
 * 3. Unknown users are verified against a dummy hash: same code, similar time.
 * 4. ACCOUNT_LOCKED only after a correct password; a locked account answers a wrong password
 *    exactly like an unknown user.
 *
 * @example
 * ```ts
 * const pair = await login(ctx, { username: 'alice', password: 'correct horse' }, { ip: '127.0.0.1', userAgent: null });
 * ```
 */
export async function login(
  ctx: ServiceContext,
  input: { username: string; password: string },
  req: RequestContext,
): Promise<TokenPair> {
  const { usernameKey } = normalizeUsername(input?.username);
  const password = checkPasswordShape(input?.password);
  const now = ctx.clock();

  const rules = loginThrottleRules(usernameKey);
  for (const rule of rules) {
    const decision = throttleDecision(
      rule,
      await ctx.store.incrementAttempts(rule.key, rule.windowMs, now),
      now,
    );
    if (!decision.allowed) {
      ctx.emit({ type: 'login', outcome: 'throttled' });
      throw new GatehouseError('TOO_MANY_ATTEMPTS', 'Too many failed logins, try again later', {
        retryAfter: decision.retryAfter,
      });
    }
  }

  const user = await ctx.store.findUserByUsernameKey(usernameKey);
  const ok = user
    ? await ctx.hasher.verify(user.passwordHash, password)
    : await ctx.hasher.verifyDummy(password);
  if (!user || !ok) {
    ctx.emit({ type: 'login', outcome: 'invalid' });
    throw new GatehouseError('INVALID_CREDENTIALS', 'Invalid username or password');
  }
  // Proven knowledge of the password clears this account's failures.
  for (const rule of rules) await ctx.store.resetAttempts(rule.key);

  if (user.lockedAt !== null) {
    ctx.emit({ type: 'login', outcome: 'locked' });
    throw new GatehouseError('ACCOUNT_LOCKED', 'This account is locked');
  }

  await upgradeHash(ctx, user, password);

  const refreshToken = generateRefreshToken();
  const session = await ctx.store.createSession({
    id: randomUUID(),
    userId: user.id,
    now,
    ...newSessionTimes(ctx.policy, now),
    userAgent: clip(req?.userAgent, 512),
    ip: clip(req?.ip, 64),
    refreshHash: hashRefreshToken(refreshToken),
  });
  const pair = await issueTokenPair(ctx, user, session, refreshToken, now);
  ctx.emit({ type: 'login', outcome: 'success' });
  return pair;
}

/** Re-hashes with the current parameters when the stored ones differ (best effort). */
async function upgradeHash(ctx: ServiceContext, user: UserRecord, password: string): Promise<void> {
  if (!ctx.hasher.needsRehash(user.passwordHash)) return;
  try {
    const hash = await ctx.hasher.hash(password);
    await ctx.store.updatePasswordHash(user.id, hash, ctx.clock());
    ctx.emit({ type: 'password_rehashed' });
  } catch {
    // A busy hasher or a failed write only postpones the upgrade to the next login.
  }
}

/** Header values are stored for display only; bound their size. */
function clip(value: string | null | undefined, max: number): string | null {
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : null;
}
