import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJwt } from 'gatehouse';
import { harness, REQ, registerAndLogin, T0 } from './helpers.js';

describe('refresh rotation', () => {
  test('every use returns a new refresh token; the old one stops working after the grace period', async () => {
    const h = await harness({ reuseGrace: 10 });
    try {
      const { pair } = await registerAndLogin(h);
      h.clock.advance(60_000);
      const next = await h.service.refresh(pair.refresh_token, REQ);
      assert.notEqual(next.refresh_token, pair.refresh_token);
      assert.notEqual(next.access_token, pair.access_token);
      assert.equal(next.session_id, pair.session_id);
      assert.equal(decodeJwt(next.access_token).payload.sid, pair.session_id);
      assert.equal(next.refresh_expires_in, 30 * 86400 - 60);
      // The new token works, and the new access token authenticates.
      await h.service.authenticate(next.access_token);
      h.clock.advance(11_000);
      const third = await h.service.refresh(next.refresh_token, REQ);
      assert.ok(third.refresh_token);
      assert.deepEqual(
        h.events.filter((e) => e.type === 'refresh'),
        [
          { type: 'refresh', outcome: 'rotated' },
          { type: 'refresh', outcome: 'rotated' },
        ],
      );
    } finally {
      await h.service.close();
    }
  });

  test('the immediate predecessor within the grace period gets the same refresh token again (parallel tabs)', async () => {
    const h = await harness({ reuseGrace: 10, refreshIdleTtl: 1800 });
    try {
      const { pair } = await registerAndLogin(h);
      const a = await h.service.refresh(pair.refresh_token, REQ);
      h.clock.advance(9_000);
      const b = await h.service.refresh(pair.refresh_token, REQ); // the other tab, late
      assert.equal(b.refresh_token, a.refresh_token, 'one chain: the successor the rotation produced');
      assert.notEqual(b.access_token, a.access_token, 'a fresh access token');
      assert.equal(b.session_id, a.session_id);
      assert.equal(b.refresh_expires_in, 30 * 86400 - 9);
      assert.equal(decodeJwt(b.access_token).payload.sid, pair.session_id);
      await h.service.authenticate(b.access_token);
      const session = await h.store.findSession(pair.session_id);
      assert.equal(session?.generation, 2, 'no rotation');
      assert.equal(session?.lastUsedAt, h.clock(), 'the grace call counts as a use');
      assert.equal(session?.idleExpiresAt, h.clock() + 1800_000);
      assert.deepEqual(
        h.events.flatMap((e) => (e.type === 'refresh' ? [e.outcome] : [])),
        ['rotated', 'grace'],
      );
      // The shared token is the head and rotates; the session is alive.
      const c = await h.service.refresh(b.refresh_token, REQ);
      await h.service.authenticate(c.access_token);
    } finally {
      await h.service.close();
    }
  });

  test('a grace call whose stored seal does not open: INVALID_REFRESH_TOKEN, the session lives on', async () => {
    const h = await harness({ reuseGrace: 10 });
    try {
      const { pair } = await registerAndLogin(h);
      const next = await h.service.refresh(pair.refresh_token, REQ);
      const sealed = h.store.database
        .prepare('select successor_sealed from refresh_tokens where generation = 1')
        .pluck()
        .get() as string;
      // A corrupt row, then a seal made for another token: neither opens.
      for (const bad of [`${sealed.slice(0, -2)}AA`, 'garbage']) {
        h.store.database
          .prepare('update refresh_tokens set successor_sealed = ? where generation = 1')
          .run(bad);
        await assert.rejects(h.service.refresh(pair.refresh_token, REQ), { code: 'INVALID_REFRESH_TOKEN' });
      }
      assert.equal((await h.store.findSession(pair.session_id))?.revokedAt, null);
      const after = await h.service.refresh(next.refresh_token, REQ);
      await h.service.authenticate(after.access_token);
    } finally {
      await h.service.close();
    }
  });

  test('refresh is one store call: no session lookup before the rotation', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      let lookups = 0;
      const original = h.store.findSessionByRefreshHash;
      h.store.findSessionByRefreshHash = (...args) => {
        lookups++;
        return original(...args);
      };
      await h.service.refresh(pair.refresh_token, REQ);
      await assert.rejects(h.service.refresh(`ghr_${'A'.repeat(43)}`, REQ), {
        code: 'INVALID_REFRESH_TOKEN',
      });
      assert.equal(lookups, 0);
    } finally {
      await h.service.close();
    }
  });

  test('the idle deadline never passes the absolute end of the session', async () => {
    const h = await harness({ refreshTtl: 3600, refreshIdleTtl: 1800 });
    try {
      const { pair } = await registerAndLogin(h);
      h.clock.advance(1000_000);
      const next = await h.service.refresh(pair.refresh_token, REQ);
      h.clock.advance(1500_000); // 2500 s in: the idle end would be 4300 s, past the 3600 s end
      await h.service.refresh(next.refresh_token, REQ);
      const s = await h.store.findSession(pair.session_id);
      assert.equal(s?.expiresAt, T0 + 3600_000);
      assert.equal(s?.idleExpiresAt, s?.expiresAt);
    } finally {
      await h.service.close();
    }
  });

  test('after the grace period the predecessor is reuse: REFRESH_TOKEN_REUSED and the whole session ends', async () => {
    const h = await harness({ reuseGrace: 10 });
    try {
      const { pair } = await registerAndLogin(h);
      const next = await h.service.refresh(pair.refresh_token, REQ);
      h.clock.advance(10_001);
      await assert.rejects(h.service.refresh(pair.refresh_token, REQ), {
        code: 'REFRESH_TOKEN_REUSED',
        status: 401,
      });
      // The legitimate holder's token is dead too, and so are the session's access tokens.
      await assert.rejects(h.service.refresh(next.refresh_token, REQ), { code: 'INVALID_REFRESH_TOKEN' });
      await assert.rejects(h.service.authenticate(next.access_token), { code: 'TOKEN_REVOKED' });
      const session = await h.store.findSession(pair.session_id);
      assert.equal(session?.revokeReason, 'reuse_detected');
      // A `sid` revocation entry for resource servers, kept while the session's tokens can live.
      const entries = await h.store.listRevocationsAfter(0, 100, h.clock());
      const entry = entries.find((e) => e.kind === 'sid' && e.value === pair.session_id);
      assert.equal(entry?.reason, 'reuse_detected');
      assert.equal(entry?.expiresAt, h.clock() + (900 + 1 + 5) * 1000);
      assert.ok(h.events.some((e) => e.type === 'refresh' && e.outcome === 'reused'));
      assert.ok(h.events.some((e) => e.type === 'session_revoked' && e.reason === 'reuse_detected'));
    } finally {
      await h.service.close();
    }
  });

  test('older generations are reuse at once, even inside the grace period (django-oauth-toolkit#1617)', async () => {
    const h = await harness({ reuseGrace: 10 });
    try {
      const { pair } = await registerAndLogin(h);
      const g2 = await h.service.refresh(pair.refresh_token, REQ);
      await h.service.refresh(g2.refresh_token, REQ);
      await assert.rejects(h.service.refresh(pair.refresh_token, REQ), { code: 'REFRESH_TOKEN_REUSED' });
    } finally {
      await h.service.close();
    }
  });

  test('grace 0: the predecessor is reuse at once', async () => {
    const h = await harness({ reuseGrace: 0 });
    try {
      const { pair } = await registerAndLogin(h);
      await h.service.refresh(pair.refresh_token, REQ);
      await assert.rejects(h.service.refresh(pair.refresh_token, REQ), { code: 'REFRESH_TOKEN_REUSED' });
    } finally {
      await h.service.close();
    }
  });

  test('absolute lifetime: the session ends at refreshTtl however often it is used', async () => {
    const h = await harness({ refreshTtl: 3600, refreshIdleTtl: 1800 });
    try {
      const { pair } = await registerAndLogin(h);
      let token = pair.refresh_token;
      for (let i = 0; i < 3; i++) {
        h.clock.advance(1000_000); // 1000 s, within the idle limit each time
        const next = await h.service.refresh(token, REQ);
        assert.ok(next.expires_in <= 900);
        token = next.refresh_token;
      }
      h.clock.advance(600_001); // 3600 s + 1 ms after login
      await assert.rejects(h.service.refresh(token, REQ), { code: 'INVALID_REFRESH_TOKEN' });
    } finally {
      await h.service.close();
    }
  });

  test('access tokens issued near the end of a session expire with it', async () => {
    const h = await harness({ refreshTtl: 3600 });
    try {
      const { pair } = await registerAndLogin(h);
      h.clock.advance(3600_000 - 120_000);
      const next = await h.service.refresh(pair.refresh_token, REQ);
      assert.ok(next.expires_in <= 120 && next.expires_in >= 119, String(next.expires_in));
      assert.equal(next.refresh_expires_in, 120);
    } finally {
      await h.service.close();
    }
  });

  test('idle lifetime: unused for longer than refreshIdleTtl, the session is over', async () => {
    const h = await harness({ refreshIdleTtl: 1800 });
    try {
      const { pair } = await registerAndLogin(h);
      h.clock.advance(1799_000);
      const next = await h.service.refresh(pair.refresh_token, REQ); // resets the idle clock
      h.clock.advance(1799_000);
      const again = await h.service.refresh(next.refresh_token, REQ);
      h.clock.advance(1800_000);
      await assert.rejects(h.service.refresh(again.refresh_token, REQ), { code: 'INVALID_REFRESH_TOKEN' });
    } finally {
      await h.service.close();
    }
  });

  test('two concurrent refreshes with one token: one rotation, one grace, the same refresh token', async () => {
    const h = await harness({ reuseGrace: 10 });
    try {
      const { pair } = await registerAndLogin(h);
      const two = await Promise.all([
        h.service.refresh(pair.refresh_token, REQ),
        h.service.refresh(pair.refresh_token, REQ),
      ]);
      assert.ok(two.every((p) => p.session_id === pair.session_id));
      assert.equal(two[0].refresh_token, two[1].refresh_token);
      const outcomes = h.events.flatMap((e) => (e.type === 'refresh' ? [e.outcome] : [])).sort();
      assert.deepEqual(outcomes, ['grace', 'rotated']);
      // The chain is linear: generation 2 is the head, and the session is alive.
      assert.equal((await h.store.findSession(pair.session_id))?.generation, 2);
      const newest = await h.service.refresh(two[1].refresh_token, REQ);
      await h.service.authenticate(newest.access_token);
    } finally {
      await h.service.close();
    }
  });

  test('20 parallel refreshes with one token: all succeed with one identical refresh token; one chain', async () => {
    const h = await harness({ reuseGrace: 10 });
    try {
      const { pair } = await registerAndLogin(h);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => h.service.refresh(pair.refresh_token, REQ)),
      );
      assert.deepEqual(new Set(results.map((p) => p.refresh_token)).size, 1);
      assert.equal(new Set(results.map((p) => p.access_token)).size, 20, 'each its own access token');
      assert.ok(results.every((p) => p.session_id === pair.session_id));
      const outcomes = h.events.flatMap((e) => (e.type === 'refresh' ? [e.outcome] : []));
      assert.equal(outcomes.filter((o) => o === 'rotated').length, 1);
      assert.equal(outcomes.filter((o) => o === 'grace').length, 19);
      assert.equal((await h.store.findSession(pair.session_id))?.generation, 2);
      assert.equal((await h.store.stats()).refresh_tokens, 2);

      // The shared token carries on; the old one after the grace is reuse and ends the session.
      const shared = results[0]?.refresh_token ?? '';
      h.clock.advance(1_000);
      const next = await h.service.refresh(shared, REQ);
      assert.notEqual(next.refresh_token, shared);
      h.clock.advance(10_000);
      await assert.rejects(h.service.refresh(pair.refresh_token, REQ), { code: 'REFRESH_TOKEN_REUSED' });
      assert.equal((await h.store.findSession(pair.session_id))?.revokeReason, 'reuse_detected');
      await assert.rejects(h.service.refresh(next.refresh_token, REQ), { code: 'INVALID_REFRESH_TOKEN' });
      await assert.rejects(h.service.authenticate(next.access_token), { code: 'TOKEN_REVOKED' });
    } finally {
      await h.service.close();
    }
  });

  test('concurrent refreshes with grace 0: exactly one rotation wins, the rest end the session', async () => {
    const h = await harness({ reuseGrace: 0 });
    try {
      const { pair } = await registerAndLogin(h);
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => h.service.refresh(pair.refresh_token, REQ)),
      );
      const winners = results.filter((r) => r.status === 'fulfilled');
      assert.equal(winners.length, 1);
      for (const r of results) {
        if (r.status === 'rejected')
          assert.match(r.reason.code, /^(REFRESH_TOKEN_REUSED|INVALID_REFRESH_TOKEN)$/);
      }
    } finally {
      await h.service.close();
    }
  });

  test('garbage, unknown and logged-out tokens: INVALID_REFRESH_TOKEN', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      for (const bad of ['', 'nope', `ghr_${'A'.repeat(43)}`, 'x'.repeat(1024 * 1024), null, 42, {}]) {
        await assert.rejects(h.service.refresh(bad as string, REQ), { code: 'INVALID_REFRESH_TOKEN' });
      }
      await h.service.logout(pair.refresh_token, REQ);
      await assert.rejects(h.service.refresh(pair.refresh_token, REQ), { code: 'INVALID_REFRESH_TOKEN' });
    } finally {
      await h.service.close();
    }
  });

  test('a locked user cannot refresh (locking ended the sessions)', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      await h.service.admin.lockUser('alice', null);
      await assert.rejects(h.service.refresh(pair.refresh_token, REQ), { code: 'INVALID_REFRESH_TOKEN' });
    } finally {
      await h.service.close();
    }
  });
});
