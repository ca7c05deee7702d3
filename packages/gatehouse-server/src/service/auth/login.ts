/**
 * `POST /auth/login`: throttling, argon2id verification (dummy hash for unknown users), lock
 * check, parameter upgrade, session creation.
 */
import { randomUUID } from 'node:crypto';
import { GatehouseError } from 'gatehouse/errors';
import { ipBucket } from '../../domain/ip-prefix.js';
import { checkPasswordShape } from '../../domain/passwords.js';
import { generateRefreshToken, hashRefreshToken, isRefreshTokenShape } from '../../domain/refresh-token.js';
import { newSessionTimes } from '../../domain/sessions.js';
import {
  ipLoginRule,
  knownDeviceRule,
  loginThrottleRules,
  type ThrottleRule,
} from '../../domain/throttle.js';
import { normalizeUsername } from '../../domain/usernames.js';
import type { UserRecord } from '../../storage/types.js';
import type { ServiceContext } from '../context.js';
import type { RequestContext, TokenPair } from '../types.js';
import { recordSecurityEvent } from './security-audit.js';
import { chargeAttempts, clearFailures } from './throttle-gate.js';
import { issueTokenPair } from './token-pair.js';

/**
 * Logs a user in and opens a session.
 *
 * Security, in order:
 * 1. Shape checks (VALIDATION_FAILED) do not depend on any account: a name that cannot exist
 *    and a 1 MB password are refused before any lookup or hash.
 * 2. The attempt is charged to the client IP's counter (IPv6 by /64) and to the account's
 *    counter BEFORE the password is checked, so that parallel guesses cannot slip past the
 *    limit; the account counter is keyed by the normalised name whether or not the user
 *    exists, so a throttled unknown name answers 429 exactly like a throttled real one (no
 *    oracle), and no password is checked while throttled. Repeat offenders back off
 *    exponentially (domain/throttle.ts); every lock decays.
 *    Known device: a login that presents a live refresh token of the same user (the refresh
 *    cookie) is charged to that session's own counter instead of the account's, so a flood of
 *    guesses from elsewhere cannot lock the real user out of a device they already use.
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

  const user = await ctx.store.findUserByUsernameKey(usernameKey);
  const accountRule = await accountOrDeviceRule(ctx, usernameKey, user, req, now);
  const ipRule = ipLoginRule(ipBucket(req?.ip));
  try {
    await chargeAttempts(ctx, ipRule ? [ipRule, accountRule] : [accountRule], req, 'login');
  } catch (err) {
    // No audit row per throttled request (that would let a flood fill the audit log): the
    // lock that caused it was recorded once, as lockout_started.
    ctx.emit({ type: 'login', outcome: 'throttled' });
    throw err;
  }

  const ok = user
    ? await ctx.hasher.verify(user.passwordHash, password)
    : await ctx.hasher.verifyDummy(password);
  if (!user || !ok) {
    ctx.emit({ type: 'login', outcome: 'invalid' });
    await recordSecurityEvent(ctx, 'login_failed', req, {
      subjectId: user?.id ?? null,
      detail: { reason: user ? 'wrong_password' : 'unknown_user' },
    });
    throw new GatehouseError('INVALID_CREDENTIALS', 'Invalid username or password');
  }
  // Proven knowledge of the password clears this account's (or device's) failures. The IP
  // counter is not cleared: an attacker would reset it by logging into an account of their own.
  await clearFailures(ctx, accountRule);

  if (user.lockedAt !== null) {
    ctx.emit({ type: 'login', outcome: 'locked' });
    await recordSecurityEvent(ctx, 'login_failed', req, { subjectId: user.id, detail: { reason: 'locked' } });
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
  await recordSecurityEvent(ctx, 'login_succeeded', req, {
    subjectId: user.id,
    detail: { sessionId: session.id, knownDevice: accountRule.key.startsWith('login:device:') },
  });
  return pair;
}

/**
 * The account counter, or the known device's when `req.knownDeviceToken` is a live refresh
 * token of this very user. The lookup is by hash only; a token of another user (or none)
 * falls back to the account counter, so a cookie of the attacker's own account helps nothing.
 */
async function accountOrDeviceRule(
  ctx: ServiceContext,
  usernameKey: string,
  user: UserRecord | null,
  req: RequestContext | undefined,
  now: number,
): Promise<ThrottleRule> {
  const [accountRule] = loginThrottleRules(usernameKey);
  if (accountRule === undefined) throw new Error('no account throttle rule');
  const token = req?.knownDeviceToken;
  if (typeof token !== 'string' || !isRefreshTokenShape(token)) return accountRule;
  // Looked up whether or not the user exists, so the time taken tells nothing about the name.
  const session = await ctx.store.findSessionByRefreshHash(hashRefreshToken(token), now);
  return session !== null && user !== null && session.userId === user.id
    ? knownDeviceRule(session.id)
    : accountRule;
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
