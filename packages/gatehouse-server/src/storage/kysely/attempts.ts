/** Throttling counters: one atomic upsert per increment (dialect-neutral). */
import { type Kysely, sql } from 'kysely';
import { num } from './rows.js';
import type { Schema } from './schema.js';

type Db = Kysely<Schema>;

export async function incrementAttempts(
  db: Db,
  key: string,
  windowMs: number,
  now: number,
): Promise<{ count: number; resetAt: number }> {
  // One statement, so concurrent increments never lose a count: the window logic runs in SQL
  // on the row the database has locked. A window ends at reset_at (reached = expired); the
  // first increment after it restarts the counter at 1 with a fresh window. Later increments
  // inside a window never extend it.
  const row = await db
    .insertInto('attempts')
    .values({ key, count: 1, reset_at: now + windowMs })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when ${sql.ref('attempts.reset_at')} <= ${now} then 1 else ${sql.ref('attempts.count')} + 1 end`,
        reset_at: sql<number>`case when ${sql.ref('attempts.reset_at')} <= ${now} then ${sql.ref('excluded.reset_at')} else ${sql.ref('attempts.reset_at')} end`,
      }),
    )
    .returning(['count', 'reset_at'])
    .executeTakeFirstOrThrow();
  return { count: num(row.count), resetAt: num(row.reset_at) };
}

export async function getAttempts(
  db: Db,
  key: string,
  now: number,
): Promise<{ count: number; resetAt: number } | null> {
  const row = await db
    .selectFrom('attempts')
    .select(['count', 'reset_at'])
    .where('key', '=', key)
    .where('reset_at', '>', now)
    .executeTakeFirst();
  return row ? { count: num(row.count), resetAt: num(row.reset_at) } : null;
}

export async function resetAttempts(db: Db, key: string): Promise<void> {
  await db.deleteFrom('attempts').where('key', '=', key).execute();
}
