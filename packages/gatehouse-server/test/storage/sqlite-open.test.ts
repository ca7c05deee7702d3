/** SQLite: connection settings, folder creation, read-only mode, migrations on open. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSqliteStore } from '../../src/storage/sqlite/index.js';
import { isUnavailable, tempDir } from './helpers.js';

const { dir, cleanup } = tempDir();
after(cleanup);

describe('createSqliteStore', () => {
  it('creates the parent folders and opens in WAL with foreign keys and busy_timeout', async () => {
    const path = join(dir, 'nested', 'deeper', 'gatehouse.db');
    const store = await createSqliteStore({ path, busyTimeoutMs: 1234 });
    try {
      assert.ok(existsSync(path));
      assert.equal(store.backend, 'sqlite');
      assert.equal(store.database.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(store.database.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(store.database.pragma('busy_timeout', { simple: true }), 1234);
      assert.equal(store.database.pragma('synchronous', { simple: true }), 1, 'NORMAL');
    } finally {
      await store.close();
    }
  });

  it('enforces foreign keys: a session for an unknown user is refused', async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    try {
      await assert.rejects(
        store.createSession({
          id: 's',
          userId: 'nobody',
          now: 1,
          expiresAt: 2,
          idleExpiresAt: null,
          userAgent: null,
          ip: null,
          refreshHash: 'h',
        }),
        (err: unknown) => (err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY',
      );
      assert.equal((await store.stats()).sessions, 0);
    } finally {
      await store.close();
    }
  });

  it('migrate: false leaves an empty file', async () => {
    const store = await createSqliteStore({ path: join(dir, 'bare.db'), migrate: false });
    try {
      const tables = store.database.prepare("select name from sqlite_master where type = 'table'").all();
      assert.deepEqual(tables, []);
    } finally {
      await store.close();
    }
  });

  it('read-only: reads work, writes fail with SERVICE_UNAVAILABLE', async () => {
    const path = join(dir, 'ro.db');
    const rw = await createSqliteStore({ path });
    await rw.createUser({
      id: 'u1',
      username: 'alice',
      usernameKey: 'alice',
      passwordHash: 'h',
      roles: [],
      now: 1,
    });
    await rw.close();
    const ro = await createSqliteStore({ path, readonly: true });
    try {
      assert.equal((await ro.findUserById('u1'))?.username, 'alice');
      await assert.rejects(
        ro.createUser({
          id: 'u2',
          username: 'bob',
          usernameKey: 'bob',
          passwordHash: 'h',
          roles: [],
          now: 1,
        }),
        (err: unknown) => isUnavailable(err) && (err as { reason?: string }).reason === 'readonly',
      );
      await ro.ping();
    } finally {
      await ro.close();
    }
  });

  it('read-only on a missing file: SERVICE_UNAVAILABLE, not a crash', async () => {
    await assert.rejects(createSqliteStore({ path: join(dir, 'missing.db'), readonly: true }), isUnavailable);
  });

  it('a path under a regular file (not a folder): SERVICE_UNAVAILABLE', async () => {
    const file = join(dir, 'plain-file');
    const s = await createSqliteStore({ path: file });
    await s.close();
    await assert.rejects(createSqliteStore({ path: join(file, 'sub', 'x.db') }), isUnavailable);
  });

  it('bad options: OPTION_INVALID', async () => {
    await assert.rejects(createSqliteStore({ path: '' }), { code: 'OPTION_INVALID' });
    await assert.rejects(createSqliteStore({ path: ':memory:', busyTimeoutMs: -1 }), {
      code: 'OPTION_INVALID',
    });
  });
});
