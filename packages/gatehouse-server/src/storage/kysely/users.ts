/** User queries (dialect-neutral). */
import { GatehouseError } from 'gatehouse/errors';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { NewRevocation, NewUser, RevokeReason, UserRecord } from '../types.js';
import { insertRevocation } from './revocations.js';
import { toUser } from './rows.js';
import type { Schema } from './schema.js';
import { isLive } from './sessions-live.js';

type Db = Kysely<Schema>;

export async function createUser(db: Db, u: NewUser): Promise<UserRecord | null> {
  // ON CONFLICT DO NOTHING on the unique key: a race between two registrations is decided by
  // the database, and the loser writes nothing.
  const row = await db
    .insertInto('users')
    .values({
      id: u.id,
      username: u.username,
      username_key: u.usernameKey,
      password_hash: u.passwordHash,
      roles: JSON.stringify(u.roles),
      created_at: u.now,
      updated_at: u.now,
      locked_at: null,
      tokens_valid_after: 0,
    })
    .onConflict((oc) => oc.column('username_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function updatePasswordHash(db: Db, userId: string, hash: string, now: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: hash, updated_at: now })
    .where('id', '=', userId)
    .execute();
}

/** Revokes the live sessions of a user (but one), inside the caller's transaction; returns the count. */
export async function revokeLiveSessions(
  trx: Transaction<Schema>,
  userId: string,
  reason: RevokeReason,
  now: number,
  exceptSessionId: string | null,
): Promise<number> {
  let q = trx
    .updateTable('sessions')
    .set({ revoked_at: now, revoke_reason: reason })
    .where('user_id', '=', userId)
    .where(isLive(now));
  if (exceptSessionId !== null) q = q.where('id', '!=', exceptSessionId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function changePassword(
  db: Db,
  userId: string,
  hash: string,
  keepSessionId: string | null,
  rev: NewRevocation,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: hash, updated_at: rev.now, tokens_valid_after: rev.now })
      .where('id', '=', userId)
      .execute();
    await revokeLiveSessions(trx, userId, 'password_changed', rev.now, keepSessionId);
    await insertRevocation(trx, rev);
  });
}

export async function setLocked(
  db: Db,
  userId: string,
  locked: boolean,
  rev: NewRevocation | null,
): Promise<boolean> {
  if (locked && rev === null) {
    // Locking must cut off the user's tokens everywhere: without the revocation entry the
    // resource servers would keep accepting them until expiry.
    throw new GatehouseError('OPTION_INVALID', 'setLocked(true) needs a revocation entry');
  }
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'locked_at'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) return false;
    if (!locked) {
      const patch = rev === null ? { locked_at: null } : { locked_at: null, updated_at: rev.now };
      await trx.updateTable('users').set(patch).where('id', '=', userId).execute();
      if (rev !== null) await insertRevocation(trx, rev);
      return true;
    }
    const r = rev as NewRevocation;
    await trx
      .updateTable('users')
      .set({ locked_at: user.locked_at ?? r.now, updated_at: r.now, tokens_valid_after: r.now })
      .where('id', '=', userId)
      .execute();
    await revokeLiveSessions(trx, userId, 'locked', r.now, null);
    await insertRevocation(trx, r);
    return true;
  });
}

export async function setRoles(db: Db, userId: string, roles: string[], now: number): Promise<boolean> {
  const res = await db
    .updateTable('users')
    .set({ roles: JSON.stringify(roles), updated_at: now })
    .where('id', '=', userId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Escapes LIKE wildcards so that a filter is matched literally. */
function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listUsers(
  db: Db,
  opts: { limit: number; after?: string; filter?: string },
): Promise<UserRecord[]> {
  let q = db
    .selectFrom('users')
    .selectAll()
    .orderBy('username_key')
    .limit(Math.max(0, Math.floor(opts.limit)));
  if (opts.after !== undefined) q = q.where('username_key', '>', opts.after);
  if (opts.filter !== undefined && opts.filter !== '') {
    // The filter is user input: LIKE wildcards in it are escaped, never interpreted.
    const needle = `%${likeLiteral(opts.filter.normalize('NFKC').toLowerCase())}%`;
    // Explicit ESCAPE: SQLite has no default LIKE escape character, PostgreSQL uses `\`.
    q = q.where(sql<boolean>`${sql.ref('username_key')} like ${needle} escape '\\'`);
  }
  return (await q.execute()).map(toUser);
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
