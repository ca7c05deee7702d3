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

export type RotationDecision =
  | { action: 'rotate'; graceUsed: boolean }
  | { action: 'reuse' }
  | { action: 'invalid' };

/**
 * Decides the fate of a presented refresh token.
 *
 * @example
 * ```ts
 * decideRotation({ generation: 3, rotatedAt: null }, { generation: 3, revokedAt: null, expiresAt: 2e12, idleExpiresAt: null }, 1e12, 10_000);
 * // → { action: 'rotate', graceUsed: false }
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

  if (token.generation === session.generation) return { action: 'rotate', graceUsed: false };

  // Only the immediate predecessor, and only within the grace period, may rotate again (two
  // tabs refreshing at once). Older generations are reuse at once, even inside the grace
  // period: letting them through is how a stolen old token forks the chain
  // (django-oauth-toolkit#1617).
  const inGrace =
    token.generation === session.generation - 1 &&
    token.rotatedAt !== null &&
    graceMs > 0 &&
    now - token.rotatedAt < graceMs;
  if (inGrace) return { action: 'rotate', graceUsed: true };

  return { action: 'reuse' };
}
