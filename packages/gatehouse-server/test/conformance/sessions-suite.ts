/** Conformance: sessions (rotation has its own suite). */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { addUser, DAY, type MakeStore, newSession, rev, rotateReq, T0, withStore } from './fixtures.js';

export function sessionSuite(make: MakeStore): void {
  it('createSession stores generation 1 and finds it by id and by refresh hash', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'alice');
      const input = newSession(u.id, { idleExpiresAt: T0 + DAY, userAgent: 'ua', ip: '10.0.0.1' });
      const s = await store.createSession(input);
      assert.deepEqual(s, {
        id: input.id,
        userId: u.id,
        createdAt: T0,
        lastUsedAt: T0,
        expiresAt: input.expiresAt,
        idleExpiresAt: T0 + DAY,
        revokedAt: null,
        revokeReason: null,
        userAgent: 'ua',
        ip: '10.0.0.1',
        generation: 1,
      });
      assert.deepEqual(await store.findSession(s.id), s);
      assert.deepEqual(await store.findSessionByRefreshHash(input.refreshHash, T0 + 1), s);
      assert.equal(await store.findSession(randomUUID()), null);
      assert.equal(await store.findSessionByRefreshHash('unknown', T0), null);
      const st = await store.stats();
      assert.equal(st.sessions, 1);
      assert.equal(st.refresh_tokens, 1);
    }));

  it('findSessionByRefreshHash: any generation of a live session, null once dead', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'bob');
      const input = newSession(u.id, { expiresAt: T0 + 1000, idleExpiresAt: T0 + 500 });
      await store.createSession(input);
      const r = await store.rotateRefreshToken(
        rotateReq(input.refreshHash, T0 + 10, { idleExpiresAt: T0 + 600 }),
      );
      assert.equal(r.status, 'rotated');
      assert.equal((await store.findSessionByRefreshHash(input.refreshHash, T0 + 20))?.id, input.id);
      assert.equal(await store.findSessionByRefreshHash(input.refreshHash, T0 + 600), null, 'idle deadline');
      assert.equal(
        await store.findSessionByRefreshHash(input.refreshHash, T0 + 1000),
        null,
        'absolute deadline',
      );
      await store.revokeSession(input.id, 'logout', rev('sid', input.id, { now: T0 + 30 }));
      assert.equal(await store.findSessionByRefreshHash(input.refreshHash, T0 + 31), null, 'revoked');
    }));

  it('listActiveSessions: live ones only, newest first', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'carol');
      const other = await addUser(store, 'dan');
      const a = await store.createSession(newSession(u.id, { now: T0 }));
      const b = await store.createSession(newSession(u.id, { now: T0 + 10 }));
      const c = await store.createSession(newSession(u.id, { now: T0 + 20 }));
      await store.createSession(newSession(u.id, { now: T0 + 30, expiresAt: T0 + 100 }));
      await store.createSession(newSession(u.id, { now: T0 + 40, idleExpiresAt: T0 + 100 }));
      await store.createSession(newSession(other.id, { now: T0 + 50 }));
      await store.revokeSession(b.id, 'logout', rev('sid', b.id, { now: T0 + 60 }));
      assert.deepEqual((await store.listActiveSessions(u.id, T0 + 99)).map((s) => s.id).length, 4);
      assert.deepEqual(
        (await store.listActiveSessions(u.id, T0 + 100)).map((s) => s.id),
        [c.id, a.id],
      );
      assert.equal(await store.countActiveSessions(T0 + 100), 3);
      assert.equal(await store.countActiveSessions(T0 + 30 * DAY + 50), 0);
    }));

  it('revokeSession: once, owner-checked, revocation appended only on success', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'erin');
      const mallory = await addUser(store, 'mallory');
      const s = await store.createSession(newSession(u.id));
      const now = T0 + 100;
      assert.equal(
        await store.revokeSession(s.id, 'session_deleted', rev('sid', s.id, { now }), mallory.id),
        false,
      );
      assert.equal((await store.findSession(s.id))?.revokedAt, null);
      assert.equal(await store.latestRevocationCursor(), 0);
      assert.equal(await store.revokeSession(s.id, 'session_deleted', rev('sid', s.id, { now }), u.id), true);
      const after = await store.findSession(s.id);
      assert.equal(after?.revokedAt, now);
      assert.equal(after?.revokeReason, 'session_deleted');
      assert.equal(await store.revokeSession(s.id, 'logout', rev('sid', s.id, { now: now + 1 })), false);
      assert.equal((await store.findSession(s.id))?.revokeReason, 'session_deleted');
      assert.equal(await store.revokeSession(randomUUID(), 'logout', rev('sid', 'x', { now })), false);
      assert.equal(await store.latestRevocationCursor(), 1);
    }));

  it('concurrent revokeSession: exactly one succeeds, one revocation entry', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'fay');
      const s = await store.createSession(newSession(u.id));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.revokeSession(s.id, 'logout', rev('sid', s.id, { now: T0 + i })),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal((await store.listRevocationsAfter(0, 100, T0)).length, 1);
    }));

  it('revokeUserSessions: all live but one, cut-off set, count returned', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'gus');
      const other = await addUser(store, 'hal');
      const keep = await store.createSession(newSession(u.id));
      await store.createSession(newSession(u.id));
      await store.createSession(newSession(u.id));
      const dead = await store.createSession(newSession(u.id));
      await store.revokeSession(dead.id, 'logout', rev('sid', dead.id, { now: T0 + 1 }));
      const os = await store.createSession(newSession(other.id));
      const now = T0 + 200;
      const n = await store.revokeUserSessions(
        u.id,
        'logout_all',
        rev('sub', u.id, { reason: 'logout_all', now }),
        keep.id,
      );
      assert.equal(n, 2);
      assert.equal((await store.findUserById(u.id))?.tokensValidAfter, now);
      assert.deepEqual(
        (await store.listActiveSessions(u.id, now)).map((s) => s.id),
        [keep.id],
      );
      assert.equal(
        (await store.findSession(dead.id))?.revokeReason,
        'logout',
        'an ended session keeps its reason',
      );
      assert.equal((await store.findSession(os.id))?.revokedAt, null);
      assert.equal(await store.revokeUserSessions(u.id, 'admin', rev('sub', u.id, { now: now + 1 })), 1);
      assert.equal(await store.revokeUserSessions(u.id, 'admin', rev('sub', u.id, { now: now + 2 })), 0);
      assert.equal(await store.latestRevocationCursor(), 4);
    }));
}
