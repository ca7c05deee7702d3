/**
 * The refresh-rotation decision as a pure function: which outcome a presented refresh token
 * gets, given its row and its session's row. `rotate.ts` reads the rows and applies the
 * decision in one transaction; this file holds the security rules, testable alone.
 */

export interface PresentedToken {
  generation: number;
  /** When a newer generation replaced it; null while it is the current one. */
  rotatedAt: number | null;
}

export interface SessionState {
  generation: number;
  revokedAt: number | null;
  expiresAt: number;
  idleExpiresAt: number | null;
}

/**
 * - `rotate`: the current generation; it rotates into the next one.
 * - `grace`: the immediate predecessor within the grace period; nothing rotates, the caller is
 *   handed the current generation again (its sealed successor).
 * - `reuse`: any other generation of a live session; the session must end.
 * - `invalid`: the session is over (revoked, absolute or idle end).
 */
export type RotationDecision =
  | { action: 'rotate' }
  | { action: 'grace' }
  | { action: 'reuse' }
  | { action: 'invalid' };

/**
 * Decides the fate of a presented refresh token.
 *
 * @example
 * ```ts
 * decideRotation({ generation: 3, rotatedAt: null }, { generation: 3, revokedAt: null, expiresAt: 2e12, idleExpiresAt: null }, 1e12, 10_000);
 * // → { action: 'rotate' }
 * ```
 */
export function decideRotation(
  token: PresentedToken,
  session: SessionState,
  now: number,
  graceMs: number,
): RotationDecision {
  // A dead session answers `invalid` to every token, old or new: reuse detection exists to
  // end a live session, and there is nothing left to end.
  if (session.revokedAt !== null) return { action: 'invalid' };
  if (session.expiresAt <= now) return { action: 'invalid' };
  if (session.idleExpiresAt !== null && session.idleExpiresAt <= now) return { action: 'invalid' };

  if (token.generation === session.generation) return { action: 'rotate' };

  // Only the immediate predecessor, and only within the grace period, keeps working (two tabs
  // refreshing at once) — and it does NOT rotate again: it gets the successor that its own
  // rotation produced, so every racer ends up on one chain with one current token. Older
  // generations are reuse at once, even inside the grace period: letting them through is how
  // a stolen old token forks the chain (django-oauth-toolkit#1617).
  const inGrace =
    token.generation === session.generation - 1 &&
    token.rotatedAt !== null &&
    graceMs > 0 &&
    now - token.rotatedAt < graceMs;
  if (inGrace) return { action: 'grace' };

  return { action: 'reuse' };
}
