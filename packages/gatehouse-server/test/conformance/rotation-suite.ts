/**
 * Conformance: refresh-token rotation, grace ("sealed successor") and reuse detection — the
 * heart of the store. The seal is opaque to the store: these tests use random stand-ins.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RotateRequest, RotateResult, Store } from '../../src/storage/types.js';
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

/** The request whose rotation won, among concurrent ones. */
function winner(reqs: RotateRequest[], results: RotateResult[]): RotateRequest {
  const i = results.findIndex((r) => r.status === 'rotated' && !r.graceUsed);
  const req = reqs[i];
  if (!req) throw new Error('no rotation won');
  return req;
}

export function rotationSuite(make: MakeStore): void {
  it('the current generation rotates: next hash current, session touched', () =>
    withStore(make, async (store) => {
      const { user, sessionId, first } = await start(store, { idleExpiresAt: T0 + 1000 });
      const req = rotateReq(first, T0 + 100, { idleExpiresAt: T0 + 1100 });
      const r = await store.rotateRefreshToken(req);
      assert.ok(r.status === 'rotated');
      assert.equal(r.graceUsed, false);
      assert.equal('sealedSuccessor' in r, false);
      assert.equal(r.session.id, sessionId);
      assert.equal(r.session.generation, 2);
      assert.equal(r.session.lastUsedAt, T0 + 100);
      assert.equal(r.session.idleExpiresAt, T0 + 1100);
      assert.equal(r.user.id, user.id);
      assert.deepEqual(await store.findSession(sessionId), r.session);
      const again = await store.rotateRefreshToken(rotateReq(req.nextHash, T0 + 200));
      assert.ok(again.status === 'rotated' && again.session.generation === 3 && !again.graceUsed);
    }));

  it('the idle deadline asked for is capped at the session end', () =>
    withStore(make, async (store) => {
      const { sessionId, first } = await start(store, { expiresAt: T0 + 5000, idleExpiresAt: T0 + 1000 });
      const r = await store.rotateRefreshToken(rotateReq(first, T0 + 100, { idleExpiresAt: T0 + 9000 }));
      assert.ok(r.status === 'rotated');
      assert.equal(r.session.idleExpiresAt, T0 + 5000);
      assert.equal((await store.findSession(sessionId))?.idleExpiresAt, T0 + 5000);
    }));

  it('the immediate predecessor within grace does not rotate: it gets the sealed successor', () =>
    withStore(make, async (store) => {
      const { sessionId, first } = await start(store, { idleExpiresAt: T0 + 20_000 });
      const a = rotateReq(first, T0 + 100, { idleExpiresAt: T0 + 20_100 });
      assert.equal((await store.rotateRefreshToken(a)).status, 'rotated');
      const b = rotateReq(first, T0 + 100 + GRACE - 1, { idleExpiresAt: T0 + 30_000 });
      const rb = await store.rotateRefreshToken(b);
      assert.ok(rb.status === 'rotated' && rb.graceUsed);
      assert.equal(rb.sealedSuccessor, a.nextSealed, 'the seal stored by the rotation');
      assert.equal(rb.session.generation, 2, 'no new generation');
      assert.equal(rb.session.lastUsedAt, T0 + 100 + GRACE - 1, 'the session is touched');
      assert.equal(rb.session.idleExpiresAt, T0 + 30_000);
      assert.deepEqual(await store.findSession(sessionId), rb.session);
      assert.equal((await store.stats()).refresh_tokens, 2, "the grace call's nextHash is not stored");
      assert.equal(
        (await store.rotateRefreshToken(rotateReq(b.nextHash, T0 + 100 + GRACE))).status,
        'invalid',
      );
      // The head is still the one the rotation produced, and it rotates normally.
      const ra = await store.rotateRefreshToken(rotateReq(a.nextHash, T0 + 100 + GRACE + 5));
      assert.ok(ra.status === 'rotated' && !ra.graceUsed && ra.session.generation === 3);
      // `first` is now two generations behind: reuse at once, though still within its grace.
      assert.equal((await store.rotateRefreshToken(rotateReq(first, T0 + 100 + GRACE + 6))).status, 'reused');
    }));

  it('the predecessor after grace is reuse: session revoked, revocation appended', () =>
    withStore(make, async (store) => {
      const { user, sessionId, first } = await start(store);
      const a = rotateReq(first, T0 + 100);
      await store.rotateRefreshToken(a);
      const late = T0 + 100 + GRACE; // exactly graceMs later: the grace is over
      const r = await store.rotateRefreshToken(rotateReq(first, late));
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
      assert.equal(log[0]?.value, sessionId, 'the store names the session itself');
      assert.equal(log[0]?.reason, 'reuse_detected');
      assert.equal(log[0]?.expiresAt, late + 86_400_000);
      // Every token of the session is dead now, the current one included.
      assert.equal((await store.rotateRefreshToken(rotateReq(a.nextHash, late + 1))).status, 'invalid');
      assert.equal((await store.rotateRefreshToken(rotateReq(first, late + 2))).status, 'invalid');
      assert.equal(await store.latestRevocationCursor(), r.cursor);
    }));

  it('older generations are reuse at once, even inside the grace period', () =>
    withStore(make, async (store) => {
      const { user, sessionId, first } = await start(store);
      const other = newSession(user.id);
      await store.createSession(other);
      const a = rotateReq(first, T0 + 1);
      await store.rotateRefreshToken(a);
      await store.rotateRefreshToken(rotateReq(a.nextHash, T0 + 2));
      const r = await store.rotateRefreshToken(rotateReq(first, T0 + 3));
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
      const { first } = await start(store);
      await store.rotateRefreshToken(rotateReq(first, T0 + 1, { graceMs: 0 }));
      const r = await store.rotateRefreshToken(rotateReq(first, T0 + 1, { graceMs: 0 }));
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
        await store.rotateRefreshToken(rotateReq(hash(), T0 + 2)),
        await store.rotateRefreshToken(rotateReq(abs.refreshHash, T0 + 1000)),
        await store.rotateRefreshToken(rotateReq(idle.refreshHash, T0 + 500)),
        await store.rotateRefreshToken(rotateReq(revoked.refreshHash, T0 + 2)),
      ];
      assert.deepEqual(
        results.map((r) => r.status),
        ['invalid', 'invalid', 'invalid', 'invalid'],
      );
      assert.deepEqual(await store.stats(), before);
      assert.equal(await store.latestRevocationCursor(), cursor);
      assert.equal((await store.findSession(abs.id))?.generation, 1);
      // Just before its deadlines a session still rotates.
      assert.equal((await store.rotateRefreshToken(rotateReq(abs.refreshHash, T0 + 999))).status, 'rotated');
      assert.equal((await store.rotateRefreshToken(rotateReq(idle.refreshHash, T0 + 499))).status, 'rotated');
    }));

  it('a predecessor within grace of an expired or idle session is invalid, not grace', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'carol');
      const abs = newSession(u.id, { expiresAt: T0 + 1000 });
      const idle = newSession(u.id, { idleExpiresAt: T0 + 500 });
      for (const s of [abs, idle]) await store.createSession(s);
      await store.rotateRefreshToken(rotateReq(abs.refreshHash, T0 + 995));
      await store.rotateRefreshToken(rotateReq(idle.refreshHash, T0 + 400, { idleExpiresAt: T0 + 600 }));
      assert.equal((await store.rotateRefreshToken(rotateReq(abs.refreshHash, T0 + 1000))).status, 'invalid');
      assert.equal((await store.rotateRefreshToken(rotateReq(idle.refreshHash, T0 + 600))).status, 'invalid');
      assert.equal((await store.findSession(abs.id))?.revokedAt, null, 'nothing revoked');
    }));

  it('two concurrent refreshes with one token: one rotation, one grace with its successor', () =>
    withStore(make, async (store) => {
      const { sessionId, first } = await start(store);
      const reqs = [rotateReq(first, T0 + 5), rotateReq(first, T0 + 5)];
      const results = await Promise.all(reqs.map((r) => store.rotateRefreshToken(r)));
      assert.deepEqual(counts(results), { rotated: 1, grace: 1, reused: 0, invalid: 0 });
      const won = winner(reqs, results);
      for (const r of results) {
        assert.ok(r.status === 'rotated' && r.session.generation === 2);
        if (r.graceUsed) assert.equal(r.sealedSuccessor, won.nextSealed);
      }
      const s = await store.findSession(sessionId);
      assert.equal(s?.generation, 2);
      assert.equal(s?.revokedAt, null);
      assert.equal((await store.stats()).refresh_tokens, 2);
    }));

  it('50 concurrent refreshes with one token: exactly one rotation, 49 graces, one successor', () =>
    withStore(make, async (store) => {
      const { sessionId, first } = await start(store);
      const reqs = Array.from({ length: 50 }, () => rotateReq(first, T0 + 5));
      const results = await Promise.all(reqs.map((r) => store.rotateRefreshToken(r)));
      assert.deepEqual(counts(results), { rotated: 1, grace: 49, reused: 0, invalid: 0 });
      const won = winner(reqs, results);
      const seals = new Set(
        results.map((r) => (r.status === 'rotated' && r.graceUsed ? r.sealedSuccessor : '')),
      );
      seals.delete('');
      assert.deepEqual(seals, new Set([won.nextSealed]));
      const s = await store.findSession(sessionId);
      assert.equal(s?.generation, 2);
      assert.equal(s?.revokedAt, null);
      assert.equal((await store.stats()).refresh_tokens, 2);
      assert.equal((await store.listRevocationsAfter(0, 100, T0)).length, 0);
      // The one successor carries on.
      const next = await store.rotateRefreshToken(rotateReq(won.nextHash, T0 + 6));
      assert.ok(next.status === 'rotated' && !next.graceUsed && next.session.generation === 3);
    }));

  it('many concurrent refreshes without grace: one rotation, one reuse', () =>
    withStore(make, async (store) => {
      const { first } = await start(store);
      const reqs = Array.from({ length: 20 }, () => rotateReq(first, T0 + 5, { graceMs: 0 }));
      const results = await Promise.all(reqs.map((r) => store.rotateRefreshToken(r)));
      assert.deepEqual(counts(results), { rotated: 1, grace: 0, reused: 1, invalid: 18 });
    }));

  it('concurrent refreshes along a healthy chain never fork it', () =>
    withStore(make, async (store) => {
      const { sessionId, first } = await start(store);
      let current = first;
      for (let i = 0; i < 10; i++) {
        const now = T0 + i * 100;
        const reqs = [rotateReq(current, now), rotateReq(current, now), rotateReq(current, now)];
        const results = await Promise.all(reqs.map((r) => store.rotateRefreshToken(r)));
        assert.deepEqual(counts(results), { rotated: 1, grace: 2, reused: 0, invalid: 0 });
        current = winner(reqs, results).nextHash;
      }
      const s = await store.findSession(sessionId);
      assert.equal(s?.generation, 11);
      assert.equal(s?.revokedAt, null);
      assert.equal((await store.stats()).refresh_tokens, 11);
    }));
}
