/**
 * The PostgreSQL side of `DialectHooks`, and the one schema object only PostgreSQL needs: the
 * trigger that keeps the revocation cursor gap-safe.
 *
 * Why a trigger (DECISIONS, issue 8): an identity column hands out values in call order, but
 * transactions commit in any order. Writer A takes cursor 10, writer B takes 11 and commits
 * first; a feed reader that reads at that moment gets 11, remembers cursor 11, and never sees
 * 10 when A commits. So appends are serialised: a statement-level BEFORE INSERT trigger takes
 * a transaction-level advisory lock *before* the row's identity value is drawn, and holds it
 * until commit. The cursor order is then the commit order, and every committed prefix of the
 * log is contiguous: a reader can only ever miss an entry that is not committed yet, which has
 * a higher cursor than anything it has seen. The alternative (read only below the oldest
 * in-flight xid) needs no lock but a snapshot query per read; revocations are rare, short
 * writes, so one lock costs nothing measurable. Being a trigger, it covers every insert path
 * (logout, admin revoke, reuse detection inside rotation, the CLI), with no code in the
 * dialect-neutral query modules.
 */
import { sql } from 'kysely';
import type { DialectHooks } from '../kysely/dialect.js';
import { mapPostgresError } from './errors.js';

/** Advisory lock keys (one 64-bit namespace per database): "gh" + 1 / 2. */
export const MIGRATION_LOCK = 0x6768_0001;
export const REVOCATION_LOCK = 0x6768_0002;

/**
 * PostgreSQL specifics for the shared Kysely store.
 *
 * @example
 * ```ts
 * const store = createKyselyStore(new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) }), postgresHooks);
 * ```
 */
export const postgresHooks: DialectHooks = {
  backend: 'postgres',
  serialColumnType: 'bigint',
  // Identity values only grow and are never reused (a rolled-back draw leaves a hole in the
  // numbering, not a skipped entry: nothing was committed there).
  serialColumn: (col) => col.primaryKey().generatedAlwaysAsIdentity(),
  async lockForMigration(trx) {
    // Several instances starting at once: the first migrates, the others wait here, then find
    // nothing to do. Released at commit or rollback.
    await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK)})`.execute(trx);
  },
  async afterMigrations(trx) {
    await sql`
      create or replace function gatehouse_revocations_serialise() returns trigger
      language plpgsql as $$
      begin
        perform pg_advisory_xact_lock(${sql.lit(REVOCATION_LOCK)});
        return null;
      end
      $$`.execute(trx);
    await sql`drop trigger if exists gatehouse_revocations_serialise on revocations`.execute(trx);
    await sql`
      create trigger gatehouse_revocations_serialise before insert on revocations
      for each statement execute function gatehouse_revocations_serialise()`.execute(trx);
  },
  async latestRevocationCursor(db) {
    // Wait for in-flight appends (shared lock vs their exclusive one): the sequence may already
    // hold a value drawn by an uncommitted writer, and a reader starting "after" it would
    // skip that entry. The sequence survives purge, so the value never goes backwards.
    return db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock_shared(${sql.lit(REVOCATION_LOCK)})`.execute(trx);
      const res = await sql<{ seq: string | number | null }>`
        select greatest(
          coalesce(pg_sequence_last_value(pg_get_serial_sequence('revocations', 'cursor')::regclass), 0),
          coalesce((select max(cursor) from revocations), 0)) as seq`.execute(trx);
      return Number(res.rows[0]?.seq ?? 0);
    });
  },
  mapError: mapPostgresError,
};
