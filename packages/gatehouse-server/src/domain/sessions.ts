/**
 * Session policy: lifetimes (absolute and idle), the times of issued access tokens, and the
 * revocation entries that end sessions, users' tokens and keys — each with the right
 * `expiresAt` (the instant after which no token the entry can hit is still valid, so the entry
 * may be purged). Pure: `now` is always a parameter, in epoch milliseconds.
 */
import type { NewRevocation, RevokeReason, SessionRecord } from '../storage/types.js';

/** Lifetimes, in seconds, as `config/` validated them. */
export interface SessionPolicy {
  accessTtl: number;
  refreshTtl: number;
  /** null: no idle limit. */
  refreshIdleTtl: number | null;
  /** How long a rotated refresh token keeps working; 0 allowed. */
  reuseGrace: number;
}

/**
 * The clock tolerance resource servers apply to `exp` (CONTRACT section 3: 5 seconds). An
 * access token is accepted somewhere until `exp + tolerance`.
 */
export const VERIFIER_CLOCK_TOLERANCE_S = 5;

/**
 * How long after `now` an access token issued at or before `now` may still be accepted
 * anywhere: the access TTL, plus one second because `iat` may be rounded up to the next
 * second (see {@link accessTokenTimes}), plus the verifiers' clock tolerance.
 *
 * @example
 * ```ts
 * const until = now + accessLifetimeBoundMs(policy);
 * ```
 */
export function accessLifetimeBoundMs(policy: Pick<SessionPolicy, 'accessTtl'>): number {
  return (policy.accessTtl + 1 + VERIFIER_CLOCK_TOLERANCE_S) * 1000;
}

/**
 * Absolute and idle deadlines of a session created at `now`.
 *
 * @example
 * ```ts
 * const { expiresAt, idleExpiresAt } = newSessionTimes(policy, now);
 * ```
 */
export function newSessionTimes(
  policy: SessionPolicy,
  now: number,
): { expiresAt: number; idleExpiresAt: number | null } {
  const expiresAt = now + policy.refreshTtl * 1000;
  return { expiresAt, idleExpiresAt: idleExpiryAfterUse(policy, now, expiresAt) };
}

/**
 * The idle deadline after a use of the session at `now` (never past the absolute end).
 *
 * @example
 * ```ts
 * store.rotateRefreshToken({ ..., idleExpiresAt: idleExpiryAfterUse(policy, now, Infinity) });
 * ```
 */
export function idleExpiryAfterUse(policy: SessionPolicy, now: number, expiresAt: number): number | null {
  if (policy.refreshIdleTtl === null) return null;
  return Math.min(now + policy.refreshIdleTtl * 1000, expiresAt);
}

/**
 * True when the session can still be used at `now`: not revoked, before its absolute end and
 * before its idle end.
 *
 * @example
 * ```ts
 * if (!isSessionLive(session, now)) throw new GatehouseError('TOKEN_REVOKED');
 * ```
 */
export function isSessionLive(session: SessionRecord, now: number): boolean {
  return (
    session.revokedAt === null &&
    now < session.expiresAt &&
    (session.idleExpiresAt === null || now < session.idleExpiresAt)
  );
}

/**
 * Reuse grace in milliseconds, for `RotateRequest.graceMs`.
 *
 * @example
 * ```ts
 * graceMs({ reuseGrace: 10 }); // 10000
 * ```
 */
export function graceMs(policy: Pick<SessionPolicy, 'reuseGrace'>): number {
  return policy.reuseGrace * 1000;
}

/**
 * `iat`, `exp` and `expires_in` (all seconds) of an access token issued at `now`.
 *
 * Security: `iat` is at least `ceil(tokensValidAfter / 1000)`. The cut-off of a logout-all or
 * password change is in milliseconds but `iat` has whole seconds: without rounding up, a token
 * issued in the same second AFTER the cut-off would carry an `iat` before it and be refused,
 * and one issued just BEFORE would pass a floor-based check. `exp` never passes the session's
 * absolute end: no access token outlives its session.
 *
 * @example
 * ```ts
 * const { iat, exp, expiresIn } = accessTokenTimes(policy, now, user.tokensValidAfter, session.expiresAt);
 * ```
 */
export function accessTokenTimes(
  policy: Pick<SessionPolicy, 'accessTtl'>,
  now: number,
  tokensValidAfter: number,
  sessionExpiresAt: number,
): { iat: number; exp: number; expiresIn: number } {
  const nowSec = Math.floor(now / 1000);
  const iat = Math.max(nowSec, Math.ceil(tokensValidAfter / 1000));
  const exp = Math.max(iat + 1, Math.min(iat + policy.accessTtl, Math.floor(sessionExpiresAt / 1000)));
  return { iat, exp, expiresIn: exp - nowSec };
}

/**
 * True when an access token's `iat` falls before the user's cut-off (logout-all, password
 * change, lock): the counterpart of the rounding in {@link accessTokenTimes}.
 *
 * @example
 * ```ts
 * if (issuedBeforeCutoff(claims.iat, user.tokensValidAfter)) throw new GatehouseError('TOKEN_REVOKED');
 * ```
 */
export function issuedBeforeCutoff(iat: number, tokensValidAfter: number): boolean {
  return iat < Math.ceil(tokensValidAfter / 1000);
}

/**
 * `refresh_expires_in`: whole seconds until the session's absolute end.
 *
 * @example
 * ```ts
 * refreshExpiresIn(session, now); // 2592000 right after login with a 30-day TTL
 * ```
 */
export function refreshExpiresIn(session: Pick<SessionRecord, 'expiresAt'>, now: number): number {
  return Math.max(0, Math.floor((session.expiresAt - now) / 1000));
}

/**
 * Revocation entry ending one session (`sid`): its access tokens are refused everywhere until
 * they have expired anyway.
 *
 * @example
 * ```ts
 * await store.revokeSession(id, 'logout', sessionRevocation(id, 'logout', now, policy));
 * ```
 */
export function sessionRevocation(
  sessionId: string,
  reason: RevokeReason,
  now: number,
  policy: Pick<SessionPolicy, 'accessTtl'>,
): NewRevocation {
  return {
    kind: 'sid',
    value: sessionId,
    notBefore: null,
    expiresAt: now + accessLifetimeBoundMs(policy),
    reason,
    now,
  };
}

/**
 * Revocation entry cutting off every token of a user issued before `now` (`sub` with
 * `notBefore = ceil(now / 1000)`, matching `tokensValidAfter = now` in storage).
 *
 * @example
 * ```ts
 * await store.revokeUserSessions(userId, 'logout_all', userCutoffRevocation(userId, 'logout_all', now, policy));
 * ```
 */
export function userCutoffRevocation(
  userId: string,
  reason: RevokeReason,
  now: number,
  policy: Pick<SessionPolicy, 'accessTtl'>,
): NewRevocation {
  return {
    kind: 'sub',
    value: userId,
    notBefore: Math.ceil(now / 1000),
    expiresAt: now + accessLifetimeBoundMs(policy),
    reason,
    now,
  };
}

/**
 * Revocation entry for one access token (`jti`), kept until the token's own `exp` (seconds)
 * plus the verifiers' tolerance.
 *
 * @example
 * ```ts
 * await store.appendRevocation(tokenRevocation(claims.jti, claims.exp, 'oauth_revoke', now));
 * ```
 */
export function tokenRevocation(jti: string, exp: number, reason: RevokeReason, now: number): NewRevocation {
  return {
    kind: 'jti',
    value: jti,
    notBefore: null,
    expiresAt: Math.max(now, (exp + VERIFIER_CLOCK_TOLERANCE_S) * 1000),
    reason,
    now,
  };
}

/**
 * Revocation entry for a leaked signing key (`kid`): every token it signed is refused until
 * the last of them has expired.
 *
 * @example
 * ```ts
 * await store.appendRevocation(keyRevocation(kid, now, policy));
 * ```
 */
export function keyRevocation(
  kid: string,
  now: number,
  policy: Pick<SessionPolicy, 'accessTtl'>,
): NewRevocation {
  return {
    kind: 'kid',
    value: kid,
    notBefore: null,
    expiresAt: now + accessLifetimeBoundMs(policy),
    reason: 'key_revoked',
    now,
  };
}
