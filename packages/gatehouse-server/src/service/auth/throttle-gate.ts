/**
 * The storage side of throttling (policy in domain/throttle.ts): checks a rule's lock, charges
 * the attempt with one atomic increment, and starts a back-off lock on the attempt that
 * crosses the limit. Counters live in storage, so every instance sharing it shares them.
 */
import { GatehouseError } from 'gatehouse/errors';
import {
  crossesLimit,
  lockDurationMs,
  STRIKE_MEMORY_MS,
  secondsUntil,
  type ThrottleRule,
  throttleDecision,
} from '../../domain/throttle.js';
import type { ServiceContext } from '../context.js';
import type { RequestContext } from '../types.js';
import { recordSecurityEvent } from './security-audit.js';

/** Storage key of a rule's lock. */
export const lockKey = (rule: ThrottleRule): string => `lock:${rule.key}`;
const strikeKey = (rule: ThrottleRule): string => `strike:${rule.key}`;

/**
 * Charges one attempt to each rule in order; throws TOO_MANY_ATTEMPTS (with `retryAfter`)
 * at the first rule that is locked or over its limit. A locked rule is not charged (its
 * counter does not grow while the lock holds) and later rules are neither checked nor charged.
 *
 * @example
 * ```ts
 * await chargeAttempts(ctx, [ipRule, accountRule], req, 'login');
 * ```
 */
export async function chargeAttempts(
  ctx: ServiceContext,
  rules: readonly ThrottleRule[],
  req: RequestContext | undefined,
  scope: 'login' | 'register',
): Promise<void> {
  for (const rule of rules) {
    const now = ctx.clock();
    const lock = await ctx.store.getAttempts(lockKey(rule), now);
    if (lock !== null) throw throttled(secondsUntil(lock.resetAt, now));

    const counter = await ctx.store.incrementAttempts(rule.key, rule.windowMs, now);
    const decision = throttleDecision(rule, counter, now);
    if (decision.allowed) continue;
    if (!crossesLimit(rule, counter)) throw throttled(decision.retryAfter);

    // Exactly one attempt per window gets here, so parallel attempts cannot inflate strikes.
    const strike = (await ctx.store.incrementAttempts(strikeKey(rule), STRIKE_MEMORY_MS, now)).count;
    const duration = lockDurationMs(rule, strike, counter.resetAt, now);
    const started = await ctx.store.incrementAttempts(lockKey(rule), duration, now);
    await recordSecurityEvent(ctx, scope === 'login' ? 'lockout_started' : 'registration_throttled', req, {
      detail: { scope: ruleScope(rule), strike, retryAfter: secondsUntil(started.resetAt, now) },
    });
    throw throttled(secondsUntil(started.resetAt, now));
  }
}

/**
 * Clears a rule's failures and back-off strikes after a proven password: only the real user
 * can do that, so an attacker cannot reset it, and the real user starts afresh.
 *
 * @example
 * ```ts
 * await clearFailures(ctx, accountRule);
 * ```
 */
export async function clearFailures(ctx: ServiceContext, rule: ThrottleRule): Promise<void> {
  await ctx.store.resetAttempts(rule.key);
  await ctx.store.resetAttempts(strikeKey(rule));
}

/** 'account', 'ip' or 'device' — never the name or address itself (the audit has the IP). */
function ruleScope(rule: ThrottleRule): string {
  return rule.key.split(':')[1] ?? 'unknown';
}

function throttled(retryAfter: number): GatehouseError {
  return new GatehouseError('TOO_MANY_ATTEMPTS', 'Too many attempts, try again later', { retryAfter });
}
