/** The SQLite side of `DialectHooks`. */
import { sql } from 'kysely';
import type { DialectHooks } from '../kysely/dialect.js';
import { mapSqliteError } from './errors.js';

/**
 * SQLite specifics for the shared Kysely store.
 *
 * @example
 * ```ts
 * const store = createKyselyStore(db, sqliteHooks);
 * ```
 */
export const sqliteHooks: DialectHooks = {
  backend: 'sqlite',
  serialColumnType: 'integer',
  // INTEGER PRIMARY KEY AUTOINCREMENT: values only grow, and a deleted highest value is never
  // handed out again (plain rowid reuse would let a feed reader miss entries).
  serialColumn: (col) => col.primaryKey().autoIncrement(),
  // Every write transaction begins IMMEDIATE (see driver.ts): the migration transaction
  // already holds the one write lock of the database file.
  lockForMigration: async () => {},
  async latestRevocationCursor(db) {
    // sqlite_sequence remembers the highest AUTOINCREMENT value even after purge deleted it.
    const res = await sql<{ seq: number | null }>`
      select max(coalesce((select seq from sqlite_sequence where name = 'revocations'), 0),
                 coalesce((select max(cursor) from revocations), 0)) as seq`.execute(db);
    return Number(res.rows[0]?.seq ?? 0);
  },
  mapError: mapSqliteError,
};
