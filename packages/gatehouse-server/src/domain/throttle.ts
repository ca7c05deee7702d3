/**
 * Login and registration throttling policy (CONTRACT section 2): at most 10 failed logins per
 * account in 15 minutes, a per-IP limit (IPv6 aggregated by /64), and exponential back-off for
 * repeat offenders. The counters live in storage (`incrementAttempts`, atomic); this file only
 * decides, so it is pure and takes `now`.
 *
 * How a rule works (see service/auth/throttle-gate.ts for the storage side):
 * - every attempt is charged to `key` BEFORE the password is checked (parallel guesses cannot
 *   slip past the limit);
 * - the attempt that first crosses `limit` in a window starts a lock (`lock:` + key) and counts
 *   a strike (`strike:` + key, remembered for {@link STRIKE_MEMORY_MS});
 * - the n-th strike locks for `max(rest of the window, windowMs * 2^(n-1))`, capped at
 *   `maxLockMs`: the lock always decays, so a throttled account is never locked for good.
 */

export interface ThrottleRule {
  /** Counter key in storage. */
  key: string;
  /** Attempts allowed per window. */
  limit: number;
  windowMs: number;
  /** Longest lock that back-off may reach (default: the window). */
  maxLockMs?: number;
}

export const ACCOUNT_FAILURE_LIMIT = 10;
export const ACCOUNT_WINDOW_MS = 15 * 60 * 1000;
/** Back-off of an account never exceeds one hour: the real user gets back in the same day. */
export const ACCOUNT_MAX_LOCK_MS = 60 * 60 * 1000;
/**
 * Login attempts (successful ones included: a success must not let an attacker reset the
 * counter of their own address) per client IP or IPv6 /64 in 15 minutes. Generous, because
 * offices and carrier NATs share one address.
 */
export const IP_ATTEMPT_LIMIT = 100;
export const IP_WINDOW_MS = 15 * 60 * 1000;
export const IP_MAX_LOCK_MS = 2 * 60 * 60 * 1000;
/** Registrations attempted per client IP (or IPv6 /64) per hour. */
export const REGISTER_LIMIT = 20;
export const REGISTER_WINDOW_MS = 60 * 60 * 1000;
/** How long strikes are remembered for back-off. */
export const STRIKE_MEMORY_MS = 24 * 60 * 60 * 1000;

/**
 * The account counter a password attempt on `usernameKey` is charged to. The key is the
 * normalised username whether or not such a user exists, so an unknown name is throttled
 * exactly like a real one (no existence oracle).
 *
 * @example
 * ```ts
 * const [rule] = loginThrottleRules(usernameKey); // login:account:<name>, 10 per 15 minutes
 * ```
 */
export function loginThrottleRules(usernameKey: string): ThrottleRule[] {
  return [
    {
      key: `login:account:${usernameKey}`,
      limit: ACCOUNT_FAILURE_LIMIT,
      windowMs: ACCOUNT_WINDOW_MS,
      maxLockMs: ACCOUNT_MAX_LOCK_MS,
    },
  ];
}

/**
 * The counter of a login from a known device (a live refresh token of the same user was
 * presented): it replaces the account counter, so an attacker who floods the account from
 * elsewhere cannot lock the real user out of the devices they already use. It has the same
 * limit, so the holder of a stolen refresh token gains no extra password guesses.
 *
 * @example
 * ```ts
 * knownDeviceRule(session.id).key; // 'login:device:<session id>'
 * ```
 */
export function knownDeviceRule(sessionId: string): ThrottleRule {
  return {
    key: `login:device:${sessionId}`,
    limit: ACCOUNT_FAILURE_LIMIT,
    windowMs: ACCOUNT_WINDOW_MS,
    maxLockMs: ACCOUNT_MAX_LOCK_MS,
  };
}

/**
 * The per-address login counter, or none when the address is unknown (in-process callers).
 *
 * @example
 * ```ts
 * ipLoginRule('2001:db8::1')?.key; // 'login:ip:2001:db8:0:0::/64'
 * ```
 */
export function ipLoginRule(ipPrefix: string | null): ThrottleRule | null {
  if (ipPrefix === null) return null;
  return {
    key: `login:ip:${ipPrefix}`,
    limit: IP_ATTEMPT_LIMIT,
    windowMs: IP_WINDOW_MS,
    maxLockMs: IP_MAX_LOCK_MS,
  };
}

/**
 * The per-address registration counter, or none when the address is unknown.
 *
 * @example
 * ```ts
 * registerRule('203.0.113.9')?.limit; // 20 per hour
 * ```
 */
export function registerRule(ipPrefix: string | null): ThrottleRule | null {
  if (ipPrefix === null) return null;
  return { key: `register:ip:${ipPrefix}`, limit: REGISTER_LIMIT, windowMs: REGISTER_WINDOW_MS };
}

/**
 * Decision for one counter value after charging the current attempt: allowed while
 * `count <= limit`, else throttled for `retryAfter` whole seconds (at least 1).
 *
 * @example
 * ```ts
 * const d = throttleDecision(rule, await store.incrementAttempts(rule.key, rule.windowMs, now), now);
 * if (!d.allowed) throw new GatehouseError('TOO_MANY_ATTEMPTS', undefined, { retryAfter: d.retryAfter });
 * ```
 */
export function throttleDecision(
  rule: ThrottleRule,
  counter: { count: number; resetAt: number },
  now: number,
): { allowed: true } | { allowed: false; retryAfter: number } {
  if (counter.count <= rule.limit) return { allowed: true };
  return { allowed: false, retryAfter: secondsUntil(counter.resetAt, now) };
}

/**
 * True for the one attempt that crosses the limit in a window: only it starts a lock and
 * counts a strike, so parallel attempts past the limit cannot inflate the back-off.
 *
 * @example
 * ```ts
 * crossesLimit(rule, { count: 11, resetAt }); // true for the 11th of a limit of 10
 * ```
 */
export function crossesLimit(rule: ThrottleRule, counter: { count: number }): boolean {
  return counter.count === rule.limit + 1;
}

/**
 * Exponential back-off: the lock of the `strike`-th crossing (1-based) lasts the rest of the
 * counter's window, or `windowMs * 2^(strike-1)` if longer, capped at `maxLockMs`. Returns
 * milliseconds (> 0).
 *
 * @example
 * ```ts
 * lockDurationMs(rule, 1, counter.resetAt, now); // the rest of the 15-minute window
 * lockDurationMs(rule, 3, counter.resetAt, now); // 60 minutes (cap)
 * ```
 */
export function lockDurationMs(rule: ThrottleRule, strike: number, resetAt: number, now: number): number {
  const cap = rule.maxLockMs ?? rule.windowMs;
  const exponent = Number.isFinite(strike) ? Math.min(Math.max(0, Math.floor(strike) - 1), 20) : 0;
  const backoff = Math.min(cap, rule.windowMs * 2 ** exponent);
  return Math.max(1000, resetAt - now, backoff);
}

/**
 * Whole seconds from `now` until `at`, at least 1 (a `Retry-After` value).
 *
 * @example
 * ```ts
 * secondsUntil(now + 1500, now); // 2
 * ```
 */
export function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}
