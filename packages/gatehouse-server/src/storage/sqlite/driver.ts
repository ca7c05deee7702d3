/**
 * A Kysely dialect for one better-sqlite3 connection, differing from Kysely's own
 * `SqliteDialect` in three ways that matter here:
 * - write transactions begin IMMEDIATE: the write lock is taken before the first read, so a
 *   read-decide-write transaction (refresh rotation, migrations) cannot be overtaken by another
 *   process between its read and its write (a DEFERRED one would fail with SQLITE_BUSY_SNAPSHOT
 *   instead of waiting for busy_timeout);
 * - prepared statements are cached by SQL text (queries here have a fixed shape);
 * - the single connection is handed out in FIFO order, and rollback is skipped when SQLite has
 *   already rolled back on its own (after an I/O or full-disk error), so that the original
 *   error is the one reported.
 */
import type Database from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type TransactionSettings,
} from 'kysely';

const STATEMENT_CACHE_SIZE = 256;

class Connection implements DatabaseConnection {
  readonly #db: Database.Database;
  readonly #cache = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  #prepare(text: string): Database.Statement {
    let stmt = this.#cache.get(text);
    if (stmt === undefined) {
      stmt = this.#db.prepare(text);
      if (this.#cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
      this.#cache.set(text, stmt);
    }
    return stmt;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.#prepare(query.sql);
    const params = query.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(...params) as R[] };
    const { changes, lastInsertRowid } = stmt.run(...params);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered by this driver.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported by the Gatehouse SQLite driver');
  }

  exec(text: string): void {
    this.#db.exec(text);
  }

  get inTransaction(): boolean {
    return this.#db.inTransaction;
  }
}

/** FIFO mutex: one holder at a time, waiters served in arrival order. */
class Mutex {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  async lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}

/**
 * One mutex per database file per process. better-sqlite3 is synchronous: if two connections
 * of one process opened the same file, the second would busy-wait (blocking the event loop)
 * for a lock that the first can only release once the event loop runs again — a stall until
 * busy_timeout, then SQLITE_BUSY. Sharing the mutex makes them take turns instead; other
 * processes are still handled by SQLite's locks and busy_timeout.
 */
const shared = new Map<string, { mutex: Mutex; refs: number }>();

function acquireShared(key: string | null): { mutex: Mutex; release: () => void } {
  if (key === null) return { mutex: new Mutex(), release: () => {} };
  let entry = shared.get(key);
  if (!entry) {
    entry = { mutex: new Mutex(), refs: 0 };
    shared.set(key, entry);
  }
  entry.refs++;
  const e = entry;
  let released = false;
  return {
    mutex: e.mutex,
    release: () => {
      if (released) return;
      released = true;
      if (--e.refs === 0 && shared.get(key) === e) shared.delete(key);
    },
  };
}

class GatehouseSqliteDriver implements Driver {
  readonly #db: Database.Database;
  readonly #connection: Connection;
  readonly #mutex: Mutex;
  readonly #release: () => void;

  constructor(db: Database.Database, lockKey: string | null) {
    this.#db = db;
    this.#connection = new Connection(db);
    const { mutex, release } = acquireShared(lockKey);
    this.#mutex = mutex;
    this.#release = release;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection;
  }

  async beginTransaction(_conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    this.#connection.exec(settings.accessMode === 'read only' ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE');
  }

  async commitTransaction(): Promise<void> {
    this.#connection.exec('COMMIT');
  }

  async rollbackTransaction(): Promise<void> {
    if (this.#connection.inTransaction) this.#connection.exec('ROLLBACK');
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async destroy(): Promise<void> {
    // Graceful: wait for the transaction in flight (and those queued before us), then close.
    // Callers still queued behind get the closed connection and fail fast (mapped to 503).
    await this.#mutex.lock();
    try {
      if (this.#db.open) this.#db.close();
    } finally {
      this.#mutex.unlock();
      this.#release();
    }
  }
}

/**
 * The dialect, over an open better-sqlite3 database (closed by `Kysely.destroy()`).
 *
 * @example
 * ```ts
 * const db = new Kysely<Schema>({ dialect: new GatehouseSqliteDialect(new Database('g.db')) });
 * ```
 */
export class GatehouseSqliteDialect implements Dialect {
  readonly #db: Database.Database;
  readonly #lockKey: string | null;

  /**
   * @param lockKey the database file's absolute path, so that connections of this process to
   *   one file take turns (see `acquireShared`); null for a private database (`:memory:`).
   */
  constructor(db: Database.Database, lockKey: string | null = null) {
    this.#db = db;
    this.#lockKey = lockKey;
  }

  createDriver(): Driver {
    return new GatehouseSqliteDriver(this.#db, this.#lockKey);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's Dialect interface takes Kysely<any>.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
