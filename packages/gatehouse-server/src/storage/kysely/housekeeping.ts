/** Purge and row counts (dialect-neutral). */
import type { Kysely } from 'kysely';
import type { PurgeResult } from '../types.js';
import { COUNTED_TABLES, type Schema } from './schema.js';

type Db = Kysely<Schema>;

/**
 * Deletes what can no longer matter at `now`, in one transaction:
 * - sessions dead (revoked, or past their absolute or idle deadline) at `now - retainMs`,
 *   with all their refresh-token generations (kept until then, so that reuse of an old token
 *   is still recognised and answered as such);
 * - revocation entries with `expiresAt <= now`: no token they could hit is valid any more.
 *   An entry with `expiresAt > now` is never deleted;
 * - counters whose window ended; signing keys whose `publishUntil` passed.
 */
export async function purgeExpired(db: Db, now: number, retainMs: number): Promise<PurgeResult> {
  const cutoff = now - Math.max(0, retainMs);
  return db.transaction().execute(async (trx) => {
    const dead = trx
      .selectFrom('sessions')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('revoked_at', '<=', cutoff),
          eb('expires_at', '<=', cutoff),
          eb('idle_expires_at', '<=', cutoff),
        ]),
      );
    const tokens = await trx.deleteFrom('refresh_tokens').where('session_id', 'in', dead).executeTakeFirst();
    const sessions = await trx
      .deleteFrom('sessions')
      .where((eb) =>
        eb.or([
          eb('revoked_at', '<=', cutoff),
          eb('expires_at', '<=', cutoff),
          eb('idle_expires_at', '<=', cutoff),
        ]),
      )
      .executeTakeFirst();
    const revocations = await trx.deleteFrom('revocations').where('expires_at', '<=', now).executeTakeFirst();
    const attempts = await trx.deleteFrom('attempts').where('reset_at', '<=', now).executeTakeFirst();
    const keys = await trx.deleteFrom('signing_keys').where('publish_until', '<=', now).executeTakeFirst();
    return {
      sessions: Number(sessions.numDeletedRows),
      refreshTokens: Number(tokens.numDeletedRows),
      revocations: Number(revocations.numDeletedRows),
      attempts: Number(attempts.numDeletedRows),
      keys: Number(keys.numDeletedRows),
    };
  });
}

export async function stats(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}
