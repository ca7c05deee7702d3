/** Opens the better-sqlite3 connection with the settings the store relies on. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GatehouseError } from 'gatehouse/errors';
import { mapSqliteError } from './errors.js';

export interface OpenOptions {
  path: string;
  busyTimeoutMs: number;
  readonly: boolean;
}

/** True for SQLite's private in-memory databases (nothing on disk, no WAL). */
export function isMemoryPath(path: string): boolean {
  return path === ':memory:';
}

/**
 * Opens (and for a new file creates, with its parent folder) the database.
 *
 * @example
 * ```ts
 * const db = openDatabase({ path: './data/gatehouse.db', busyTimeoutMs: 2000, readonly: false });
 * ```
 */
export function openDatabase(opts: OpenOptions): Database.Database {
  if (opts.path === '') throw new GatehouseError('OPTION_INVALID', 'The SQLite path must not be empty');
  if (!Number.isInteger(opts.busyTimeoutMs) || opts.busyTimeoutMs < 0) {
    throw new GatehouseError('OPTION_INVALID', 'busyTimeoutMs must be a non-negative integer');
  }
  let db: Database.Database | undefined;
  try {
    if (!isMemoryPath(opts.path) && !opts.readonly) mkdirSync(dirname(opts.path), { recursive: true });
    db = new Database(opts.path, {
      readonly: opts.readonly,
      fileMustExist: opts.readonly,
      timeout: opts.busyTimeoutMs,
    });
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs}`);
    if (!opts.readonly && !isMemoryPath(opts.path)) {
      // WAL: readers never block the writer nor each other, so the CLI can work on the
      // database while a server runs. synchronous=NORMAL is the usual WAL setting: a commit
      // is durable across a process crash; only a power loss may drop the last commits
      // (the database stays consistent). FULL would cost one fsync per refresh.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    // Enforced per connection in SQLite, off by default.
    db.pragma('foreign_keys = ON');
    return db;
  } catch (err) {
    if (db?.open) db.close();
    const mapped = mapSqliteError(err);
    if (mapped) throw mapped;
    const code = (err as { code?: unknown }).code;
    if (
      code === 'EACCES' ||
      code === 'EROFS' ||
      code === 'ENOSPC' ||
      code === 'EPERM' ||
      code === 'ENOTDIR'
    ) {
      throw new GatehouseError('SERVICE_UNAVAILABLE', 'Storage unavailable', { retryAfter: 5, cause: err });
    }
    throw err;
  }
}
