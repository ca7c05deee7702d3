/**
 * The embedded SQLite backend: better-sqlite3 (WAL, busy_timeout, foreign keys) under the
 * shared Kysely store.
 */
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { Schema } from '../kysely/schema.js';
import { createKyselyStore } from '../kysely/store.js';
import type { Store } from '../types.js';
import { GatehouseSqliteDialect } from './driver.js';
import { sqliteHooks } from './hooks.js';
import { isMemoryPath, openDatabase } from './open.js';

export interface SqliteStoreOptions {
  /** File path (parent folder created if missing) or `':memory:'`. */
  path: string;
  /** How long a write waits for another connection's lock before SERVICE_UNAVAILABLE. Default 2000. */
  busyTimeoutMs?: number;
  /** Open read-only (the file must exist; writes fail with SERVICE_UNAVAILABLE). Default false. */
  readonly?: boolean;
  /** Apply pending migrations on open. Default true (false when read-only). */
  migrate?: boolean;
}

/** A SQLite store; `database` is the raw connection, for diagnostics and tests only. */
export interface SqliteStore extends Store {
  readonly backend: 'sqlite';
  readonly database: Database.Database;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 2000;

/**
 * Opens a SQLite store and brings its schema up to date.
 *
 * @example
 * ```ts
 * const store = await createSqliteStore({ path: './data/gatehouse.db' });
 * const user = await store.findUserByUsernameKey('alice');
 * await store.close();
 * ```
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  const readonly = options.readonly ?? false;
  const database = openDatabase({
    path: options.path,
    busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    readonly,
  });
  const lockKey = isMemoryPath(options.path) ? null : resolve(options.path);
  const db = new Kysely<Schema>({ dialect: new GatehouseSqliteDialect(database, lockKey) });
  const store = Object.assign(createKyselyStore(db, sqliteHooks), { backend: 'sqlite' as const, database });
  if (options.migrate ?? !readonly) {
    try {
      await store.migrate();
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}
