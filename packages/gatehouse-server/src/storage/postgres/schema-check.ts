/** Start-up check when automatic migration is off: the schema must be exactly current. */
import { GatehouseError } from 'gatehouse/errors';
import { type Kysely, sql } from 'kysely';
import { MIGRATIONS } from '../kysely/migrations.js';
import type { Schema } from '../kysely/schema.js';

/**
 * Resolves when every known migration is applied; otherwise OPTION_INVALID naming the fix.
 *
 * @example
 * ```ts
 * await checkSchemaCurrent(db); // throws "... pending: run gatehouse migrate"
 * ```
 */
export async function checkSchemaCurrent(db: Kysely<Schema>): Promise<void> {
  const exists = await sql<{
    t: string | null;
  }>`select to_regclass('gatehouse_migrations')::text as t`.execute(db);
  const applied = new Set<number>();
  if (exists.rows[0]?.t) {
    const rows = await db.selectFrom('gatehouse_migrations').select('version').execute();
    for (const r of rows) applied.add(Number(r.version));
  }
  const pending = MIGRATIONS.filter((m) => !applied.has(m.version)).length;
  if (pending > 0) {
    throw new GatehouseError(
      'OPTION_INVALID',
      `The database schema has ${pending} pending migration(s): run gatehouse migrate (automatic migration is off)`,
    );
  }
  const known = Math.max(0, ...MIGRATIONS.map((m) => m.version));
  const newest = Math.max(0, ...applied);
  if (newest > known) {
    throw new GatehouseError(
      'OPTION_INVALID',
      `The database schema (version ${newest}) is newer than this release supports (${known})`,
    );
  }
}
