/**
 * Storage entry point: `openStore(GATEHOUSE_DATABASE_URL)` picks the backend; the types are
 * the contract every backend implements (see `types.ts`).
 */
import { parseDatabaseUrl } from './database-url.js';
import { createPostgresStore } from './postgres/index.js';
import { createSqliteStore } from './sqlite/index.js';
import type { Store } from './types.js';

export { type DatabaseTarget, parseDatabaseUrl } from './database-url.js';
export {
  createPostgresStore,
  migratePostgres,
  type PostgresStore,
  type PostgresStoreOptions,
} from './postgres/index.js';
export { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from './sqlite/index.js';
export type * from './types.js';

/**
 * Opens the store a database URL names and runs its migrations.
 *
 * @example
 * ```ts
 * const store = await openStore(process.env.GATEHOUSE_DATABASE_URL ?? './data/gatehouse.db');
 * ```
 */
export async function openStore(databaseUrl: string): Promise<Store> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.backend === 'postgres') return createPostgresStore({ url: target.url });
  return createSqliteStore({ path: target.path, readonly: target.readonly });
}
