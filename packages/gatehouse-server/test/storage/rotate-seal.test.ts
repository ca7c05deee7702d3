/**
 * SQLite specifics of the sealed successor: where the seal lives (only on the immediate
 * predecessor's row), and rows rotated before migration 7 (no seal: a grace call is `invalid`).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Kysely } from 'kysely';
import { runMigrations } from '../../src/storage/kysely/migrate.js';
import { MIGRATIONS } from '../../src/storage/kysely/migrations.js';
import type { Schema } from '../../src/storage/kysely/schema.js';
import { GatehouseSqliteDialect } from '../../src/storage/sqlite/driver.js';
import { sqliteHooks } from '../../src/storage/sqlite/hooks.js';
import { createSqliteStore, type SqliteStore } from '../../src/storage/sqlite/index.js';
import { addUser, hash, newSession, rotateReq, T0 } from '../conformance/fixtures.js';
import { tempDir } from './helpers.js';

const { dir, cleanup } = tempDir();
after(cleanup);

function seals(store: SqliteStore, sessionId: string): (string | null)[] {
  return store.database
    .prepare('select successor_sealed from refresh_tokens where session_id = ? order by generation')
    .all(sessionId)
    .map((r) => (r as { successor_sealed: string | null }).successor_sealed);
}

describe('sealed successor on SQLite', () => {
  it('only the immediate predecessor holds a seal: older ones are cleared at each rotation', async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    try {
      const u = await addUser(store, 'alice');
      const s = newSession(u.id);
      await store.createSession(s);
      assert.deepEqual(seals(store, s.id), [null]);
      const r1 = rotateReq(s.refreshHash, T0 + 1);
      await store.rotateRefreshToken(r1);
      assert.deepEqual(seals(store, s.id), [r1.nextSealed, null]);
      const r2 = rotateReq(r1.nextHash, T0 + 2);
      await store.rotateRefreshToken(r2);
      assert.deepEqual(seals(store, s.id), [null, r2.nextSealed, null]);
      const r3 = rotateReq(r2.nextHash, T0 + 3);
      await store.rotateRefreshToken(r3);
      assert.deepEqual(seals(store, s.id), [null, null, r3.nextSealed, null]);
    } finally {
      await store.close();
    }
  });

  it('a database of release 6 migrates; its rotated rows have no seal: grace answers invalid, writes nothing', async () => {
    const path = join(dir, 'v6.db');
    const store = await createSqliteStore({ path, migrate: false });
    try {
      const db = new Kysely<Schema>({ dialect: new GatehouseSqliteDialect(store.database) });
      assert.deepEqual(await runMigrations(db, sqliteHooks, MIGRATIONS.slice(0, 6)), [1, 2, 3, 4, 5, 6]);
      const u = await addUser(store, 'bob');
      const s = newSession(u.id);
      await store.createSession(s);
      // A rotation as release 6 wrote it: no seal column at all.
      const second = hash();
      store.database
        .prepare('update refresh_tokens set rotated_at = ? where hash = ?')
        .run(T0 + 10, s.refreshHash);
      store.database
        .prepare('insert into refresh_tokens (hash, session_id, generation, created_at) values (?, ?, 2, ?)')
        .run(second, s.id, T0 + 10);
      store.database
        .prepare('update sessions set generation = 2, last_used_at = ? where id = ?')
        .run(T0 + 10, s.id);

      await store.migrate();
      assert.deepEqual(seals(store, s.id), [null, null]);
      const before = await store.findSession(s.id);
      const grace = await store.rotateRefreshToken(rotateReq(s.refreshHash, T0 + 20));
      assert.equal(grace.status, 'invalid');
      assert.deepEqual(await store.findSession(s.id), before, 'nothing written');
      // The current token rotates as ever, and from then on the seal is there.
      const next = rotateReq(second, T0 + 30);
      const r = await store.rotateRefreshToken(next);
      assert.ok(r.status === 'rotated' && r.session.generation === 3);
      const g = await store.rotateRefreshToken(rotateReq(second, T0 + 31));
      assert.ok(g.status === 'rotated' && g.graceUsed && g.sealedSuccessor === next.nextSealed);
    } finally {
      await store.close();
    }
  });
});
