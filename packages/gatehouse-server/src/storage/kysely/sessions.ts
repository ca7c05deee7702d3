/** Sessions (dialect-neutral); rotation lives in `rotate.ts`. */
import type { Kysely } from 'kysely';
import type { NewRevocation, NewSession, RevokeReason, SessionRecord } from '../types.js';
import { insertRevocation } from './revocations.js';
import { toSession } from './rows.js';
import type { Schema } from './schema.js';
import { isLive } from './sessions-live.js';
import { revokeLiveSessions } from './users.js';

type Db = Kysely<Schema>;

export async function createSession(db: Db, s: NewSession): Promise<SessionRecord> {
  const record: SessionRecord = {
    id: s.id,
    userId: s.userId,
    createdAt: s.now,
    lastUsedAt: s.now,
    expiresAt: s.expiresAt,
    idleExpiresAt: s.idleExpiresAt,
    revokedAt: null,
    revokeReason: null,
    userAgent: s.userAgent,
    ip: s.ip,
    generation: 1,
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sessions')
      .values({
        id: s.id,
        user_id: s.userId,
        created_at: s.now,
        last_used_at: s.now,
        expires_at: s.expiresAt,
        idle_expires_at: s.idleExpiresAt,
        revoked_at: null,
        revoke_reason: null,
        user_agent: s.userAgent,
        ip: s.ip,
        generation: 1,
      })
      .execute();
    await trx
      .insertInto('refresh_tokens')
      .values({ hash: s.refreshHash, session_id: s.id, generation: 1, created_at: s.now, rotated_at: null })
      .execute();
  });
  return record;
}

export async function listActiveSessions(db: Db, userId: string, now: number): Promise<SessionRecord[]> {
  const rows = await db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where(isLive(now))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toSession);
}

export async function findSessionByRefreshHash(
  db: Db,
  hash: string,
  now: number,
): Promise<SessionRecord | null> {
  // Any generation of the session finds it: ending a session with an old token is harmless
  // (a thief holding it could only trigger reuse detection, which ends the session anyway).
  const row = await db
    .selectFrom('refresh_tokens')
    .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
    .selectAll('sessions')
    .where('refresh_tokens.hash', '=', hash)
    .where(isLive(now))
    .executeTakeFirst();
  return row ? toSession(row) : null;
}

export async function revokeSession(
  db: Db,
  sessionId: string,
  reason: RevokeReason,
  rev: NewRevocation,
  userId?: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    let q = trx
      .updateTable('sessions')
      .set({ revoked_at: rev.now, revoke_reason: reason })
      .where('id', '=', sessionId)
      .where(isLive(rev.now));
    // The owner check is in the same statement: someone else's session is never touched.
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    const res = await q.executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return false;
    await insertRevocation(trx, rev);
    return true;
  });
}

export async function revokeUserSessions(
  db: Db,
  userId: string,
  reason: RevokeReason,
  rev: NewRevocation,
  exceptSessionId?: string,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const n = await revokeLiveSessions(trx, userId, reason, rev.now, exceptSessionId ?? null);
    await trx.updateTable('users').set({ tokens_valid_after: rev.now }).where('id', '=', userId).execute();
    await insertRevocation(trx, rev);
    return n;
  });
}

export async function countActiveSessions(db: Db, now: number): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(isLive(now))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
