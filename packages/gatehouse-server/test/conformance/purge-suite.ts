/** Conformance: purgeExpired and stats. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { addUser, type MakeStore, newSession, rev, rotateReq, T0, withStore } from './fixtures.js';

export function purgeSuite(make: MakeStore): void {
  it('purgeExpired deletes exactly what can no longer matter, measured by stats()', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'alice');
      const live = newSession(u.id, { expiresAt: T0 + 10_000 });
      const revoked = newSession(u.id);
      const expired = newSession(u.id, { expiresAt: T0 + 100 });
      const idle = newSession(u.id, { idleExpiresAt: T0 + 50 });
      for (const s of [live, revoked, expired, idle]) await store.createSession(s);
      // Three generations on the revoked session, two on the live one.
      const r1 = rotateReq(revoked.refreshHash, T0 + 1);
      await store.rotateRefreshToken(r1);
      await store.rotateRefreshToken(rotateReq(r1.nextHash, T0 + 2));
      await store.rotateRefreshToken(rotateReq(live.refreshHash, T0 + 3));
      await store.revokeSession(
        revoked.id,
        'logout',
        rev('sid', revoked.id, { now: T0 + 10, expiresAt: T0 + 900 }),
      );

      const now = T0 + 1000;
      // The log around `now`: passed, reaching exactly now, and still able to hit a live token.
      await store.appendRevocation(rev('jti', 'past', { expiresAt: now - 1 }));
      await store.appendRevocation(rev('jti', 'at-now', { expiresAt: now }));
      const keep = await store.appendRevocation(rev('jti', 'future', { expiresAt: now + 1 }));
      await store.incrementAttempts('old', 100, T0); // window ended at T0 + 100
      await store.incrementAttempts('current', 10_000, T0); // ends after now
      const key = { alg: 'ES256', privateJwk: '{}', publicJwk: '{}', createdAt: T0, activatesAt: T0 };
      await store.insertSigningKey({
        ...key,
        kid: 'gone',
        retiredAt: T0,
        revokedAt: null,
        publishUntil: now,
      });
      await store.insertSigningKey({
        ...key,
        kid: 'published',
        retiredAt: T0,
        revokedAt: null,
        publishUntil: now + 1,
      });
      await store.insertSigningKey({
        ...key,
        kid: 'active',
        retiredAt: null,
        revokedAt: null,
        publishUntil: null,
      });
      await store.appendAudit({ type: 'x', actorId: null, subjectId: null, ip: null, detail: {}, now: T0 });

      const before = await store.stats();
      assert.deepEqual(before, {
        users: 1,
        sessions: 4,
        refresh_tokens: 7,
        revocations: 4,
        signing_keys: 3,
        clients: 0,
        attempts: 2,
        audit_log: 1,
      });

      // Retention keeps sessions dead for less than 1000 ms (all of them at `now`) in place.
      const first = await store.purgeExpired(now, 1000);
      assert.deepEqual(first, { sessions: 0, refreshTokens: 0, revocations: 3, attempts: 1, keys: 1 });
      const mid = await store.stats();
      assert.equal(mid.sessions, 4);
      assert.equal(mid.revocations, 1);
      assert.deepEqual(
        (await store.listRevocationsAfter(0, 10, now)).map((e) => e.cursor),
        [keep],
      );

      // Cut-off now + 100 - 1000 = T0 + 100: revoked (T0+10), idle (T0+50), expired (T0+100).
      const second = await store.purgeExpired(now + 100, 1000);
      assert.deepEqual(second, { sessions: 3, refreshTokens: 5, revocations: 1, attempts: 0, keys: 1 });
      const after = await store.stats();
      assert.deepEqual(after, {
        users: 1,
        sessions: 1,
        refresh_tokens: 2,
        revocations: 0,
        signing_keys: 1,
        clients: 0,
        attempts: 1,
        audit_log: 1,
      });
      assert.ok(await store.findSession(live.id));
      assert.equal(await store.findSession(revoked.id), null);
      assert.deepEqual(
        (await store.listSigningKeys()).map((k) => k.kid),
        ['active'],
      );
      // The surviving session still rotates, and its old generation is still recognised.
      const r = await store.rotateRefreshToken(rotateReq(live.refreshHash, now + 200, { graceMs: 100 }));
      assert.equal(r.status, 'reused');
    }));

  it('purgeExpired never removes a revocation that can still hit a token', () =>
    withStore(make, async (store) => {
      const now = T0 + 5000;
      for (let i = 0; i < 20; i++) {
        await store.appendRevocation(rev('jti', `j${i}`, { expiresAt: now - 10 + i }));
      }
      const res = await store.purgeExpired(now, 0);
      assert.equal(res.revocations, 11);
      const left = await store.listRevocationsAfter(0, 100, now);
      assert.equal(left.length, 9);
      assert.ok(left.every((e) => e.expiresAt > now));
      assert.equal((await store.stats()).revocations, 9);
    }));
}
