/**
 * better-sqlite3 error → `SERVICE_UNAVAILABLE`. Extended result codes (`SQLITE_BUSY_SNAPSHOT`,
 * `SQLITE_IOERR_WRITE`, `SQLITE_READONLY_DBMOVED`...) are matched by their primary code.
 */
import { GatehouseError } from 'gatehouse/errors';

/** Primary result code → seconds a client should wait before retrying. */
const UNAVAILABLE: Readonly<Record<string, number>> = {
  // Another connection holds the lock: usually over within a second.
  SQLITE_BUSY: 1,
  SQLITE_LOCKED: 1,
  // The file cannot be written, opened or grown: needs an operator, retry later.
  SQLITE_READONLY: 5,
  SQLITE_CANTOPEN: 5,
  SQLITE_IOERR: 5,
  SQLITE_FULL: 5,
  SQLITE_PROTOCOL: 1,
};

/**
 * Returns the `SERVICE_UNAVAILABLE` error for a driver error that means "the database cannot be
 * used right now", or `null`. The driver's message (which can contain file paths) is kept only
 * as `cause`.
 *
 * @example
 * ```ts
 * try { db.exec('...'); } catch (err) { throw mapSqliteError(err) ?? err; }
 * ```
 */
export function mapSqliteError(err: unknown): GatehouseError | null {
  if (!(err instanceof Error)) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    const primary = code.split('_', 2).join('_');
    const retryAfter = UNAVAILABLE[primary];
    if (retryAfter === undefined) return null;
    return new GatehouseError('SERVICE_UNAVAILABLE', 'Storage unavailable', {
      retryAfter,
      reason: primary.slice('SQLITE_'.length).toLowerCase(),
      cause: err,
    });
  }
  // better-sqlite3 throws a TypeError once the connection is closed (shutdown in progress).
  if (err instanceof TypeError && err.message.includes('database connection is not open')) {
    return new GatehouseError('SERVICE_UNAVAILABLE', 'Storage unavailable', {
      retryAfter: 1,
      reason: 'closed',
      cause: err,
    });
  }
  return null;
}
