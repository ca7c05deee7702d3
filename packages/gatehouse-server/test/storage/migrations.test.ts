/** SQLite: migrations are idempotent, safe to run concurrently from several processes. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Kysely } from 'kysely';
import { MIGRATIONS } from '../../src/storage/kysely/migrations.js';
import type { Schema } from '../../src/storage/kysely/schema.js';
import { GatehouseSqliteDialect } from '../../src/storage/sqlite/driver.js';
import { sqliteHooks } from '../../src/storage/sqlite/hooks.js';
import { createSqliteStore } from '../../src/storage/sqlite/index.js';
import { runChild, tempDir } from './helpers.js';

const { dir, cleanup } = tempDir();
after(cleanup);

function versions(store: Awaited<ReturnType<typeof createSqliteStore>>): number[] {
  return store.database
    .prepare('select version from gatehouse_migrations order by version')
    .all()
    .map((r) => (r as { version: number }).version);
}

describe('migrations', () => {
  it('versions are strictly increasing', () => {
    const v = MIGRATIONS.map((m) => m.version);
    assert.deepEqual(
      v,
      [...v].sort((a, b) => a - b),
    );
    assert.equal(new Set(v).size, v.length);
  });

  it('apply once, record every version, and re-running changes nothing', async () => {
    const path = join(dir, 'idem.db');
    const store = await createSqliteStore({ path });
    try {
      assert.deepEqual(
        versions(store),
        MIGRATIONS.map((m) => m.version),
      );
      await store.createUser({
        id: 'u1',
        username: 'a',
        usernameKey: 'a',
        passwordHash: 'h',
        roles: [],
        now: 1,
      });
      await store.migrate();
      await store.migrate();
      assert.equal(versions(store).length, MIGRATIONS.length);
      assert.equal(await store.countUsers(), 1);
    } finally {
      await store.close();
    }
    // Reopening migrates again: a no-op.
    const again = await createSqliteStore({ path });
    assert.equal(await again.countUsers(), 1);
    await again.close();
  });

  it('each migration is itself safe to re-run (if not exists everywhere)', async () => {
    const store = await createSqliteStore({ path: ':memory:', migrate: false });
    const db = new Kysely<Schema>({ dialect: new GatehouseSqliteDialect(store.database) });
    try {
      for (const m of MIGRATIONS) {
        await m.up(db, sqliteHooks);
        await m.up(db, sqliteHooks);
      }
      const tables = store.database
        .prepare(
          "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
        )
        .all()
        .map((r) => (r as { name: string }).name);
      assert.deepEqual(tables, [
        'attempts',
        'audit_log',
        'clients',
        'refresh_tokens',
        'revocations',
        'sessions',
        'signing_keys',
        'users',
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('refuses a database migrated by a newer release', async () => {
    const path = join(dir, 'newer.db');
    const store = await createSqliteStore({ path });
    store.database
      .prepare("insert into gatehouse_migrations (version, name, applied_at) values (999, 'future', 0)")
      .run();
    await store.close();
    await assert.rejects(createSqliteStore({ path }), { code: 'OPTION_INVALID' });
  });

  it('two connections of one process migrating one new database: both open, applied once', async () => {
    const path = join(dir, 'two-conns.db');
    const [a, b] = await Promise.all([createSqliteStore({ path }), createSqliteStore({ path })]);
    try {
      await Promise.all([a.migrate(), b.migrate(), a.migrate()]);
      assert.deepEqual(
        versions(b),
        MIGRATIONS.map((m) => m.version),
      );
      await a.createUser({ id: 'u1', username: 'a', usernameKey: 'a', passwordHash: 'h', roles: [], now: 1 });
      assert.equal(await b.countUsers(), 1, "the second connection sees the first one's writes");
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('two processes migrating one new database at once: all succeed, applied once', async () => {
    const path = join(dir, 'race', 'gatehouse.db');
    const results = await Promise.all([runChild(['migrate', path]), runChild(['migrate', path])]);
    assert.deepEqual(results, [{ ok: true }, { ok: true }]);
    const store = await createSqliteStore({ path });
    try {
      assert.deepEqual(
        versions(store),
        MIGRATIONS.map((m) => m.version),
      );
    } finally {
      await store.close();
    }
  });
});
