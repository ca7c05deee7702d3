/**
 * SQLite faults: the database locked by another connection, full, or read-only → a
 * SERVICE_UNAVAILABLE (503 + retryAfter) that names no file, and recovery once it is back.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createSqliteStore, type SqliteStore } from '../../src/storage/sqlite/index.js';
import type { NewUser } from '../../src/storage/types.js';
import { isUnavailable, runChild, tempDir } from './helpers.js';

const { dir, cleanup } = tempDir();
after(cleanup);

let n = 0;
function user(name: string): NewUser {
  return { id: `id-${++n}`, username: name, usernameKey: name, passwordHash: 'h', roles: [], now: 1 };
}

async function withSession(store: SqliteStore) {
  const u = await store.createUser(user(`owner${n}`));
  assert.ok(u);
  const refreshHash = randomBytes(32).toString('base64url');
  const s = await store.createSession({
    id: `s-${n}`,
    userId: u.id,
    now: 1_700_000_000_000,
    expiresAt: 1_800_000_000_000,
    idleExpiresAt: null,
    userAgent: null,
    ip: null,
    refreshHash,
  });
  return { sessionId: s.id, refreshHash };
}

function rotate(hash: string, sessionId: string) {
  return {
    hash,
    nextHash: randomBytes(32).toString('base64url'),
    nextSealed: `v1.sealed-for-${sessionId}`,
    now: 1_700_000_000_100,
    graceMs: 0,
    idleExpiresAt: null,
    onReuse: {
      kind: 'sid' as const,
      notBefore: null,
      expiresAt: 1_800_000_000_000,
      reason: 'reuse_detected' as const,
      now: 1_700_000_000_100,
    },
  };
}

describe('SQLite faults', () => {
  it('locked by another connection: 503 with retryAfter, reads go on (WAL), then recovery', async () => {
    const path = join(dir, 'locked.db');
    const store = await createSqliteStore({ path, busyTimeoutMs: 50 });
    const other = new Database(path);
    try {
      const { sessionId, refreshHash } = await withSession(store);
      other.exec('BEGIN IMMEDIATE');
      let caught: unknown;
      await store.createUser(user('bob')).catch((err: unknown) => {
        caught = err;
      });
      assert.ok(isUnavailable(caught), 'createUser → SERVICE_UNAVAILABLE');
      const e = caught as { retryAfter: number; message: string; cause: { code: string } };
      assert.equal(e.retryAfter, 1);
      assert.match(e.cause.code, /^SQLITE_BUSY/);
      assert.ok(!e.message.includes(path), 'no file path in the message');
      await assert.rejects(store.rotateRefreshToken(rotate(refreshHash, sessionId)), isUnavailable);
      await assert.rejects(store.incrementAttempts('k', 1000, 1), isUnavailable);
      // WAL: readers are not blocked by the writer.
      assert.equal(await store.countUsers(), 1);
      await store.ping();
      other.exec('ROLLBACK');
      // Back: the same store works again, and the failed rotation left nothing behind.
      assert.ok(await store.createUser(user('bob')));
      const r = await store.rotateRefreshToken(rotate(refreshHash, sessionId));
      assert.equal(r.status, 'rotated');
      assert.ok(r.status === 'rotated' && r.session.generation === 2);
    } finally {
      other.close();
      await store.close();
    }
  });

  it('locked exclusively (readers too): 503 on reads and ping, then recovery', async () => {
    const path = join(dir, 'exclusive.db');
    const store = await createSqliteStore({ path, busyTimeoutMs: 50 });
    await store.createUser(user('carol'));
    await store.close();
    // A connection in exclusive locking mode, in rollback-journal mode, keeps everyone out.
    const other = new Database(path);
    other.pragma('journal_mode = DELETE');
    other.pragma('locking_mode = EXCLUSIVE');
    other.exec('BEGIN EXCLUSIVE');
    let reopened: SqliteStore | undefined;
    try {
      await assert.rejects(createSqliteStore({ path, busyTimeoutMs: 50 }), isUnavailable);
      other.exec('COMMIT');
      other.close();
      reopened = await createSqliteStore({ path, busyTimeoutMs: 50 });
      assert.equal(await reopened.countUsers(), 1);
    } finally {
      if (other.open) other.close();
      await reopened?.close();
    }
  });

  it('disk full mid-transaction: 503, nothing half-written, recovery when space is back', async () => {
    const path = join(dir, 'full.db');
    const store = await createSqliteStore({ path });
    try {
      const { sessionId, refreshHash } = await withSession(store);
      const pages = store.database.pragma('page_count', { simple: true }) as number;
      store.database.pragma(`max_page_count = ${pages}`);
      const big = 'x'.repeat(64 * 1024);
      let caught: unknown;
      await store
        .appendAudit({ type: 'big', actorId: null, subjectId: null, ip: null, detail: { big }, now: 1 })
        .catch((err: unknown) => {
          caught = err;
        });
      assert.ok(isUnavailable(caught));
      assert.equal((caught as { retryAfter: number }).retryAfter, 5);
      assert.equal((caught as { reason: string }).reason, 'full');
      assert.equal((await store.stats()).audit_log, 0);
      store.database.pragma('max_page_count = 1073741823');
      await store.appendAudit({
        type: 'big',
        actorId: null,
        subjectId: null,
        ip: null,
        detail: { big },
        now: 1,
      });
      assert.equal((await store.rotateRefreshToken(rotate(refreshHash, sessionId))).status, 'rotated');
    } finally {
      await store.close();
    }
  });

  it('file not writable (chmod 0444): 503', {
    skip: process.getuid?.() === 0 ? 'root ignores file modes' : false,
  }, async () => {
    const path = join(dir, 'chmod.db');
    const store = await createSqliteStore({ path });
    await store.close();
    chmodSync(path, 0o444);
    try {
      await assert.rejects(
        (async () => {
          const s = await createSqliteStore({ path });
          try {
            await s.createUser(user('dan'));
          } finally {
            await s.close();
          }
        })(),
        isUnavailable,
      );
    } finally {
      chmodSync(path, 0o644);
    }
  });

  it('a closed store answers SERVICE_UNAVAILABLE, not a TypeError', async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    await store.close();
    await assert.rejects(store.countUsers(), isUnavailable);
  });

  it('two processes rotating one token: one rotation in total, never two chains', async () => {
    const path = join(dir, 'procs.db');
    const store = await createSqliteStore({ path });
    const { sessionId, refreshHash } = await withSession(store);
    await store.close();
    const results = (await Promise.all([
      runChild(['rotate', path, refreshHash, sessionId, '5']),
      runChild(['rotate', path, refreshHash, sessionId, '5']),
    ])) as string[][];
    const all = results.flat();
    assert.equal(all.filter((s) => s === 'rotated').length, 1);
    assert.equal(all.filter((s) => s === 'reused').length, 1);
    assert.equal(all.filter((s) => s === 'invalid').length, 8);
    const check = await createSqliteStore({ path });
    try {
      assert.equal((await check.stats()).refresh_tokens, 2);
      assert.equal((await check.findSession(sessionId))?.revokeReason, 'reuse_detected');
    } finally {
      await check.close();
    }
  });
});

describe('SQLite grace across processes', () => {
  it('two processes presenting one token within grace: one rotation, every other call a grace', async () => {
    const path = join(dir, 'grace-race.db');
    const store = await createSqliteStore({ path });
    const { sessionId, refreshHash } = await withSession(store);
    await store.close();
    const results = (await Promise.all([
      runChild(['rotate', path, refreshHash, sessionId, '5', '10000']),
      runChild(['rotate', path, refreshHash, sessionId, '5', '10000']),
    ])) as string[][];
    const all = results.flat().sort();
    assert.deepEqual(all, [
      'grace',
      'grace',
      'grace',
      'grace',
      'grace',
      'grace',
      'grace',
      'grace',
      'grace',
      'rotated',
    ]);
    const check = await createSqliteStore({ path });
    try {
      assert.equal((await check.stats()).refresh_tokens, 2);
      const s = await check.findSession(sessionId);
      assert.equal(s?.generation, 2);
      assert.equal(s?.revokedAt, null);
    } finally {
      await check.close();
    }
  });
});

describe('SQLite close', () => {
  it('close waits for work in flight; later calls get SERVICE_UNAVAILABLE, nothing hangs', async () => {
    const store = await createSqliteStore({ path: join(dir, 'closing.db') });
    const { sessionId, refreshHash } = await withSession(store);
    const inFlight = [
      store.rotateRefreshToken(rotate(refreshHash, sessionId)),
      store.createUser(user('late')),
      store.countUsers(),
    ];
    const closing = store.close();
    const settled = await Promise.allSettled(inFlight);
    await closing;
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'fulfilled', 'fulfilled'],
    );
    assert.equal((settled[0] as PromiseFulfilledResult<{ status: string }>).value.status, 'rotated');
    await assert.rejects(store.countUsers(), isUnavailable);
  });
});

describe('two stores of one process on one file', () => {
  it('take turns instead of stalling on each other (no SQLITE_BUSY)', async () => {
    const path = join(dir, 'shared.db');
    const a = await createSqliteStore({ path, busyTimeoutMs: 100 });
    const b = await createSqliteStore({ path, busyTimeoutMs: 100 });
    try {
      const { sessionId, refreshHash } = await withSession(a);
      const ops: Promise<unknown>[] = [];
      for (let i = 0; i < 30; i++) {
        ops.push(a.rotateRefreshToken(rotate(refreshHash, sessionId)));
        ops.push(b.createUser(user(`shared${i}`)));
        ops.push(b.incrementAttempts('k', 60_000, 1));
      }
      const settled = await Promise.allSettled(ops);
      assert.deepEqual(
        settled.filter((s) => s.status === 'rejected'),
        [],
      );
      assert.equal((await a.getAttempts('k', 2))?.count, 30);
      assert.equal(await a.countUsers(), 31);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
