/**
 * The migration runner: one transaction that takes the dialect's migration lock, reads the
 * applied versions and applies the missing ones in order. Safe to run from several processes
 * at once (the second waits for the lock, then finds nothing to do) and to re-run.
 */
import { GatehouseError } from 'gatehouse/errors';
import type { Kysely } from 'kysely';
import type { DialectHooks } from './dialect.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import type { Schema } from './schema.js';

/**
 * Applies pending migrations; returns the versions applied by this call.
 *
 * @example
 * ```ts
 * const applied = await runMigrations(db, sqliteHooks);
 * ```
 */
export async function runMigrations(
  db: Kysely<Schema>,
  hooks: DialectHooks,
  migrations: readonly Migration[] = MIGRATIONS,
  now: number = Date.now(),
): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    await hooks.lockForMigration(trx);
    await trx.schema
      .createTable('gatehouse_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
    const rows = await trx.selectFrom('gatehouse_migrations').select('version').execute();
    const applied = new Set(rows.map((r) => Number(r.version)));
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      // A newer release migrated this database: running old code on it could corrupt it.
      throw new GatehouseError(
        'OPTION_INVALID',
        `The database schema (version ${newest}) is newer than this release supports (${known})`,
      );
    }
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await m.up(trx, hooks);
      await trx
        .insertInto('gatehouse_migrations')
        .values({ version: m.version, name: m.name, applied_at: now })
        .execute();
      done.push(m.version);
    }
    await hooks.afterMigrations?.(trx);
    return done;
  });
}
