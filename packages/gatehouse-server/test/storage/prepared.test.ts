/** Compile-once queries: slots are bound per call, constants kept, inlined slots refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kysely, sql } from 'kysely';
import { prepared } from '../../src/storage/kysely/prepared.js';
import type { Schema } from '../../src/storage/kysely/schema.js';
import { GatehouseSqliteDialect } from '../../src/storage/sqlite/driver.js';
import { createSqliteStore } from '../../src/storage/sqlite/index.js';

describe('prepared', () => {
  it('binds slots per call, keeps constant parameters, compiles once', async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    const db = new Kysely<Schema>({ dialect: new GatehouseSqliteDialect(store.database) });
    try {
      let builds = 0;
      const insert = prepared<{ id: string; key: string }, never>(db, (db, p) => {
        builds++;
        return db.insertInto('users').values({
          id: p('id'),
          username: 'constant-name',
          username_key: p('key'),
          password_hash: 'h',
          roles: '[]',
          created_at: 1,
          updated_at: 1,
          locked_at: null,
          tokens_valid_after: 0,
        });
      });
      await insert(db, { id: 'a', key: 'k-a' });
      await insert(db, { id: 'b', key: 'k-b' });
      assert.equal(builds, 1);
      const byKey = prepared<{ key: string }, { id: string; username: string }>(db, (db, p) =>
        db.selectFrom('users').select(['id', 'username']).where('username_key', '=', p('key')),
      );
      assert.deepEqual((await byKey(db, { key: 'k-b' })).rows, [{ id: 'b', username: 'constant-name' }]);
      assert.deepEqual((await byKey(db, { key: 'nope' })).rows, []);
      // Inside a transaction the executor is the transaction.
      await db.transaction().execute(async (trx) => {
        await insert(trx, { id: 'c', key: 'k-c' });
      });
      assert.equal(await store.countUsers(), 3);
    } finally {
      await db.destroy();
    }
  });

  it('refuses a slot the compiler would inline into the SQL text', async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    const db = new Kysely<Schema>({ dialect: new GatehouseSqliteDialect(store.database) });
    try {
      const bad = prepared<{ v: string }, never>(db, (db, p) =>
        db
          .selectFrom('users')
          .selectAll()
          .where('id', '=', sql.lit(p('v'))),
      );
      await assert.rejects(bad(db, { v: 'x' }), /not a bound parameter|invalid immediate value/);
    } finally {
      await db.destroy();
    }
  });
});
