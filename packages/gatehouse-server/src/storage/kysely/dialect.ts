/**
 * What differs between SQL dialects, isolated behind one small interface so that the query
 * modules of this folder stay dialect-neutral. `sqlite/hooks.ts` implements it today; a
 * PostgreSQL backend adds `postgres/hooks.ts` (identity columns, an advisory lock for
 * migrations, a sequence read, its own error codes) and reuses everything else here.
 */
import type { GatehouseError } from 'gatehouse/errors';
import type { ColumnDefinitionBuilder, Kysely, Transaction } from 'kysely';
import type { Schema } from './schema.js';

export interface DialectHooks {
  readonly backend: 'sqlite' | 'postgres';
  /**
   * Shapes an auto-increment integer primary key (a monotonic cursor): SQLite
   * `INTEGER PRIMARY KEY AUTOINCREMENT` (never reuses a value, even after deletes);
   * PostgreSQL `GENERATED ALWAYS AS IDENTITY`.
   */
  readonly serialColumnType: 'integer' | 'bigint';
  serialColumn(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /**
   * Serialises concurrent migration runs, called first inside the migration transaction.
   * SQLite: nothing to do (every write transaction begins IMMEDIATE, which already holds
   * the database's one write lock); PostgreSQL: `pg_advisory_xact_lock`.
   */
  lockForMigration(trx: Transaction<Schema>): Promise<void>;
  /**
   * Dialect-only schema objects, (re)created at the end of every migration run inside the
   * same transaction and lock (idempotent). PostgreSQL: the revocation-append trigger.
   */
  afterMigrations?(trx: Transaction<Schema>): Promise<void>;
  /**
   * The highest revocation cursor ever handed out, even when purge has deleted that row
   * (so the value never goes backwards). 0 when none.
   */
  latestRevocationCursor(db: Kysely<Schema>): Promise<number>;
  /**
   * Maps a driver error to `SERVICE_UNAVAILABLE` when the database is unreachable, locked,
   * read-only or full; `null` for anything else (constraint violations, bugs), which is
   * rethrown unchanged.
   */
  mapError(err: unknown): GatehouseError | null;
}
