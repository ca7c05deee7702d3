/**
 * The PostgreSQL backend: a `pg` Pool under Kysely's PostgresDialect and the shared Kysely
 * store. Refresh rotation stays exactly-once across instances through the conditional updates
 * of `kysely/rotate.ts` (READ COMMITTED re-checks the `generation = head` condition on the
 * locked row, so a lost race updates zero rows); the revocation cursor is gap-safe through the
 * trigger of `hooks.ts`.
 */
import { GatehouseError } from 'gatehouse/errors';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { runMigrations } from '../kysely/migrate.js';
import type { Schema } from '../kysely/schema.js';
import { createKyselyStore } from '../kysely/store.js';
import type { Store } from '../types.js';
import { mapPostgresError } from './errors.js';
import { postgresHooks } from './hooks.js';
import { checkSchemaCurrent } from './schema-check.js';

export interface PostgresStoreOptions {
  /** `postgres://user:pass@host:port/db` (the libpq URL syntax of `pg`). */
  url: string;
  /**
   * Apply pending migrations on open (and on `store.migrate()`). Default true. When false,
   * opening checks that the schema is current and refuses to start otherwise (run
   * `gatehouse migrate` first). The URL parameter `gatehouse_migrate=off` sets it too.
   */
  migrate?: boolean;
  /** Pool size per process. Default 10. */
  maxConnections?: number;
  /** How long a query waits for a pool connection before SERVICE_UNAVAILABLE. Default 5000. */
  connectTimeoutMs?: number;
}

/** A PostgreSQL store; `pool` is the raw pool, for diagnostics and tests only. */
export interface PostgresStore extends Store {
  readonly backend: 'postgres';
  readonly pool: pg.Pool;
}

/** int8 (bigint, oid 20) as a JS number: every such column holds epoch ms or a counter (< 2^53). */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** Splits our own URL parameter off, so `pg` never sees it. */
function splitUrl(url: string): { url: string; migrate: boolean | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    // Not echoed: the URL carries the password.
    throw new GatehouseError('OPTION_INVALID', 'GATEHOUSE_DATABASE_URL is not a valid postgres:// URL', {
      cause,
    });
  }
  const raw = parsed.searchParams.get('gatehouse_migrate');
  if (raw === null) return { url, migrate: undefined };
  if (raw !== 'on' && raw !== 'off') {
    throw new GatehouseError('OPTION_INVALID', 'GATEHOUSE_DATABASE_URL: gatehouse_migrate must be on or off');
  }
  parsed.searchParams.delete('gatehouse_migrate');
  return { url: parsed.toString(), migrate: raw === 'on' };
}

/**
 * Opens a PostgreSQL store and brings its schema up to date (or checks it, see `migrate`).
 *
 * @example
 * ```ts
 * const store = await createPostgresStore({ url: 'postgres://gatehouse@db:5432/gatehouse' });
 * await store.ping();
 * await store.close();
 * ```
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const { url, migrate: fromUrl } = splitUrl(options.url);
  const autoMigrate = options.migrate ?? fromUrl ?? true;
  const max = options.maxConnections ?? 10;
  if (!Number.isInteger(max) || max < 1) {
    throw new GatehouseError('OPTION_INVALID', 'maxConnections must be a positive integer');
  }
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    types,
    application_name: 'gatehouse',
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process:
  // the next query gets a fresh connection, or SERVICE_UNAVAILABLE while the server is down.
  pool.on('error', () => {});
  // A checked-out client has no listener from the pool: a server that goes away between two
  // statements would raise an unhandled 'error'. The failure still reaches the query that was
  // running (as its rejection), and the pool drops the dead client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const base = createKyselyStore(db, postgresHooks);
  const migrate = autoMigrate ? base.migrate : () => checkSchemaCurrent(db).catch(rethrowMapped);
  const store: PostgresStore = Object.assign(base, { backend: 'postgres' as const, pool, migrate });
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

function rethrowMapped(err: unknown): never {
  throw mapPostgresError(err) ?? err;
}

/**
 * Applies pending migrations on the database a URL names (the `gatehouse migrate` command),
 * whatever `gatehouse_migrate` says; returns the versions applied.
 *
 * @example
 * ```ts
 * const applied = await migratePostgres('postgres://gatehouse@db/gatehouse'); // [] when current
 * ```
 */
export async function migratePostgres(url: string): Promise<number[]> {
  const pool = new pg.Pool({
    connectionString: splitUrl(url).url,
    max: 1,
    connectionTimeoutMillis: 5000,
    types,
  });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  try {
    return await runMigrations(db, postgresHooks);
  } catch (err) {
    throw mapPostgresError(err) ?? err;
  } finally {
    await db.destroy();
  }
}
