/**
 * Login throttling policy: at most 10 failed logins per account in 15 minutes (CONTRACT
 * section 2). The counters live in storage (`incrementAttempts`); this file only decides.
 * Designed as a list of rules so that the per-IP limit and back-off of a later issue are one
 * more rule, not a rewrite.
 */

export interface ThrottleRule {
  /** Counter key in storage. */
  key: string;
  /** Attempts allowed per window. */
  limit: number;
  windowMs: number;
}

export const ACCOUNT_FAILURE_LIMIT = 10;
export const ACCOUNT_WINDOW_MS = 15 * 60 * 1000;

/**
 * The counters a password attempt on `usernameKey` is charged to. The key is the normalised
 * username whether or not such a user exists, so an unknown name is throttled exactly like
 * a real one (no existence oracle).
 *
 * @example
 * ```ts
 * for (const rule of loginThrottleRules(usernameKey)) await store.incrementAttempts(rule.key, rule.windowMs, now);
 * ```
 */
export function loginThrottleRules(usernameKey: string): ThrottleRule[] {
  return [{ key: `login:account:${usernameKey}`, limit: ACCOUNT_FAILURE_LIMIT, windowMs: ACCOUNT_WINDOW_MS }];
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
  return { allowed: false, retryAfter: Math.max(1, Math.ceil((counter.resetAt - now) / 1000)) };
}
