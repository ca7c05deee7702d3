/** The one definition of a live session, used by every query that needs it. */
import type { ExpressionBuilder, ExpressionWrapper, SqlBool } from 'kysely';
import type { Schema } from './schema.js';

type SessionsEb = ExpressionBuilder<Schema, 'sessions'>;

/**
 * Not revoked, and neither the absolute nor the idle deadline reached at `now` (a deadline
 * equal to `now` has passed).
 */
export function isLive(now: number): (eb: SessionsEb) => ExpressionWrapper<Schema, 'sessions', SqlBool> {
  return (eb) =>
    eb.and([
      eb('sessions.revoked_at', 'is', null),
      eb('sessions.expires_at', '>', now),
      eb.or([eb('sessions.idle_expires_at', 'is', null), eb('sessions.idle_expires_at', '>', now)]),
    ]);
}
