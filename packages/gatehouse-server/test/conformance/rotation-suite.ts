/** Conformance: refresh-token rotation, grace and reuse detection — the heart of the store. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RotateResult, Store } from '../../src/storage/types.js';
import { addUser, hash, type MakeStore, newSession, rev, rotateReq, T0, withStore } from './fixtures.js';

const GRACE = 10_000;

async function start(store: Store, over: Parameters<typeof newSession>[1] = {}) {
  const u = await addUser(store, 'alice');
  const input = newSession(u.id, over);
  await store.createSession(input);
  return { user: u, sessionId: input.id, first: input.refreshHash };
}

function counts(results: RotateResult[]) {
  return {
    rotated: results.filter((r) => r.status === 'rotated' && !r.graceUsed).length,
    grace: results.filter((r) => r.status === 'rotated' && r.graceUsed).length,
    reused: results.filter((r) => r.status === 'reused').length,
    invalid: results.filter((r) => r.status === 'invalid').length,
  };
}

export function rotationSuite(make: MakeStore): void {
  it('the current generation rotates: next hash current, session touched', () =>
    withStore(make, async (store) => {
      const { user, sessionId, first } = await start(store, { idleExpiresAt: T0 + 1000 });
      const req = rotateReq(first, sessionId, T0 + 100, { idleExpiresAt: T0 + 1100 });
      const r = await store.rotateRefreshToken(req);
      assert.equal(r.status, 'rotated');
      assert.ok(r.status === 'rotated');
      assert.equal(r.graceUsed, false);
      assert.equal(r.session.id, sessionId);
      assert.equal(r.session.generation, 2);
      assert.equal(r.session.lastUsedAt, T0 + 100);
      assert.equal(r.session.idleExpiresAt, T0 + 1100);
      assert.equal(r.user.id, user.id);
      assert.deepEqual(await store.findSession(sessionId), r.session);
      const again = await store.rotateRefreshToken(rotateReq(req.nextHash, sessionId, T0 + 200));
      assert.equal(again.status, 'rotated');
      assert.ok(again.status === 'rotated' && again.session.generation === 3 && !again.graceUsed);
    }));

  it('the immediate predecessor within grace rotates again from the head (graceUsed)', () =>
    withStore(make, async (store) => {
      const { sessionId, first } = await start(store);
      const a = rotateReq(first, sessionId, T0 + 100);
      assert.equal((await store.rotateRefreshToken(a)).status, 'rotated');
      const b = rotateReq(first, sessionId, T0 + 100 + GRACE - 1);
      const rb = await store.rotateRefreshToken(b);
      assert.ok(rb.status === 'rotated');
      assert.equal(rb.graceUsed, true);
      assert.equal(rb.session.generation, 3);
      // The head that `a` produced became the predecessor, with its own grace from now.
      const ra = await store.rotateRefreshToken(rotateReq(a.nextHash, sessionId, T0 + 100 + GRACE + 5));
      assert.ok(ra.status === 'rotated' && ra.graceUsed && ra.session.generation === 4);
      // `b.nextHash` (generation 3) is now the predecessor of 4: still in its grace.
      const rb2 = await store.rotateRefreshToken(rotateReq(b.nextHash, sessionId, T0 + 100 + GRACE + 6));
      assert.ok(rb2.status === 'rotated' && rb2.graceUsed && rb2.session.generation === 5);
      assert.equal((await store.stats()).refresh_tokens, 5);
    }));

  it('the predecessor after grace is reuse: session revoked, revocation appended', () =>
    withStore(make, async (store) => {
      const { user, sessionId, first } = await start(store);
      const a = rotateReq(first, sessionId, T0 + 100);
      await store.rotateRefreshToken(a);
      const late = T0 + 100 + GRACE; // exactly graceMs later: the grace is over
      const r = await store.rotateRefreshToken(rotateReq(first, sessionId, late));
      assert.equal(r.status, 'reused');
      assert.ok(r.status === 'reused');
      assert.equal(r.sessionId, sessionId);
      assert.equal(r.userId, user.id);
      const s = await store.findSession(sessionId);
      assert.equal(s?.revokedAt, late);
      assert.equal(s?.revokeReason, 'reuse_detected');
      const log = await store.listRevocationsAfter(0, 10, late);
      assert.equal(log.length, 1);
      assert.equal(log[0]?.cursor, r.cursor);
      assert.equal(log[0]?.kind, 'sid');
      assert.equal(log[0]?.value, sessionId);
      assert.equal(log[0]?.reason, 'reuse_detected');
      // Every token of the session is dead now, the current one included.
      assert.equal(
        (await store.rotateRefreshToken(rotateReq(a.nextHash, sessionId, late + 1))).status,
        'invalid',
      );
      assert.equal((await store.rotateRefreshToken(rotateReq(first, sessionId, late + 2))).status, 'invalid');
      assert.equal(await store.latestRevocationCursor(), r.cursor);
    }));

  it('older generations are reuse at once, even inside the grace period', () =>
    withStore(make, async (store) => {
      const { user, sessionId, first } = await start(store);
      const other = newSession(user.id);
      await store.createSession(other);
      const a = rotateReq(first, sessionId, T0 + 1);
      await store.rotateRefreshToken(a);
      await store.rotateRefreshToken(rotateReq(a.nextHash, sessionId, T0 + 2));
      const r = await store.rotateRefreshToken(rotateReq(first, sessionId, T0 + 3));
      assert.equal(r.status, 'reused');
      assert.equal((await store.findSession(sessionId))?.revokeReason, 'reuse_detected');
      assert.equal(
        (await store.findSession(other.id))?.revokedAt,
        null,
        'other sessions of the user live on',
      );
    }));

  it('graceMs 0: the predecessor is reuse at once', () =>
    withStore(make, async (store) => {
      const { sessionId, first } = await start(store);
      await store.rotateRefreshToken(rotateReq(first, sessionId, T0 + 1, { graceMs: 0 }));
      const r = await store.rotateRefreshToken(rotateReq(first, sessionId, T0 + 1, { graceMs: 0 }));
      assert.equal(r.status, 'reused');
    }));

  it('invalid: unknown hash, revoked, expired or idle session — and nothing is written', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'bob');
      const abs = newSession(u.id, { expiresAt: T0 + 1000 });
      const idle = newSession(u.id, { idleExpiresAt: T0 + 500 });
      const revoked = newSession(u.id);
      for (const s of [abs, idle, revoked]) await store.createSession(s);
      await store.revokeSession(revoked.id, 'logout', rev('sid', revoked.id, { now: T0 + 1 }));
      const before = await store.stats();
      const cursor = await store.latestRevocationCursor();
      const results = [
        await store.rotateRefreshToken(rotateReq(hash(), abs.id, T0 + 2)),
        await store.rotateRefreshToken(rotateReq(abs.refreshHash, abs.id, T0 + 1000)),
        await store.rotateRefreshToken(rotateReq(idle.refreshHash, idle.id, T0 + 500)),
        await store.rotateRefreshToken(rotateReq(revoked.refreshHash, revoked.id, T0 + 2)),
      ];
      assert.deepEqual(
        results.map((r) => r.status),
        ['invalid', 'invalid', 'invalid', 'invalid'],
      );
      assert.deepEqual(await store.stats(), before);
      assert.equal(await store.latestRevocationCursor(), cursor);
      assert.equal((await store.findSession(abs.id))?.generation, 1);
      // Just before its deadlines a session still rotates.
      assert.equal(
        (await store.rotateRefreshToken(rotateReq(abs.refreshHash, abs.id, T0 + 999))).status,
        'rotated',
      );
      assert.equal(
        (await store.rotateRefreshToken(rotateReq(idle.refreshHash, idle.id, T0 + 499))).status,
        'rotated',
      );
    }));

  it('two concurrent refreshes with one token: one rotation, one grace, one linear chain', () =>
    withStore(make, async (store) => {
      const { sessionId, first } = await start(store);
      const reqs = [rotateReq(first, sessionId, T0 + 5), rotateReq(first, sessionId, T0 + 5)];
      const results = await Promise.all(reqs.map((r) => store.rotateRefreshToken(r)));
      assert.deepEqual(counts(results), { rotated: 1, grace: 1, reused: 0, invalid: 0 });
      const gens = results.map((r) => (r.status === 'rotated' ? r.session.generation : 0)).sort();
      assert.deepEqual(gens, [2, 3]);
      const s = await store.findSession(sessionId);
      assert.equal(s?.generation, 3);
      assert.equal(s?.revokedAt, null);
      assert.equal((await store.stats()).refresh_tokens, 3);
    }));

  it('many concurrent refreshes with one token: exactly one chain, then reuse', () =>
    withStore(make, async (store) => {
      const { sessionId, first } = await start(store);
      const reqs = Array.from({ length: 40 }, () => rotateReq(first, sessionId, T0 + 5));
      const results = await Promise.all(reqs.map((r) => store.rotateRefreshToken(r)));
      // Serialised: the current generation rotates once, its predecessor (in grace) once more;
      // the third sight of the token is two generations behind: reuse, and the session ends.
      assert.deepEqual(counts(results), { rotated: 1, grace: 1, reused: 1, invalid: 37 });
      const s = await store.findSession(sessionId);
      assert.equal(s?.generation, 3);
      assert.equal(s?.revokeReason, 'reuse_detected');
      assert.equal((await store.stats()).refresh_tokens, 3);
      assert.equal((await store.listRevocationsAfter(0, 100, T0)).length, 1);
    }));

  it('many concurrent refreshes without grace: one rotation, one reuse', () =>
    withStore(make, async (store) => {
      const { sessionId, first } = await start(store);
      const reqs = Array.from({ length: 20 }, () => rotateReq(first, sessionId, T0 + 5, { graceMs: 0 }));
      const results = await Promise.all(reqs.map((r) => store.rotateRefreshToken(r)));
      assert.deepEqual(counts(results), { rotated: 1, grace: 0, reused: 1, invalid: 18 });
    }));

  it('concurrent refreshes along a healthy chain never fork it', () =>
    withStore(make, async (store) => {
      const { sessionId, first } = await start(store);
      let current = first;
      for (let i = 0; i < 10; i++) {
        const now = T0 + i * 100;
        const reqs = [rotateReq(current, sessionId, now), rotateReq(current, sessionId, now)];
        const results = await Promise.all(reqs.map((r) => store.rotateRefreshToken(r)));
        assert.deepEqual(counts(results), { rotated: 1, grace: 1, reused: 0, invalid: 0 });
        // Continue from the newest head: the grace call's token.
        const idx = results.findIndex((r) => r.status === 'rotated' && r.graceUsed);
        current = reqs[idx]?.nextHash ?? '';
      }
      const s = await store.findSession(sessionId);
      assert.equal(s?.generation, 21);
      assert.equal((await store.stats()).refresh_tokens, 21);
    }));
}
