/** Conformance: the revocation log. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DAY, type MakeStore, rev, T0, withStore } from './fixtures.js';

export function revocationSuite(make: MakeStore): void {
  it('appendRevocation returns increasing cursors; entries round-trip', () =>
    withStore(make, async (store) => {
      assert.equal(await store.latestRevocationCursor(), 0);
      const e1 = rev('jti', 'token-1', { expiresAt: T0 + 900_000, reason: 'oauth_revoke' });
      const e2 = rev('sub', 'user-1', { notBefore: 1_700_000_000, reason: 'logout_all' });
      const e3 = rev('kid', 'kid-1', { reason: 'key_revoked' });
      const c1 = await store.appendRevocation(e1);
      const c2 = await store.appendRevocation(e2);
      const c3 = await store.appendRevocation(e3);
      assert.ok(c1 > 0 && c2 > c1 && c3 > c2);
      assert.equal(await store.latestRevocationCursor(), c3);
      assert.deepEqual(await store.listRevocationsAfter(0, 10, T0), [
        { ...e1, cursor: c1 },
        { ...e2, cursor: c2 },
        { ...e3, cursor: c3 },
      ]);
    }));

  it('listRevocationsAfter: after the cursor, ascending, limited, without expired entries', () =>
    withStore(make, async (store) => {
      const cursors: number[] = [];
      for (let i = 0; i < 10; i++) {
        // Every third entry expires early.
        const expiresAt = i % 3 === 0 ? T0 + 100 : T0 + DAY;
        cursors.push(await store.appendRevocation(rev('sid', `s${i}`, { expiresAt })));
      }
      const all = await store.listRevocationsAfter(0, 100, T0 + 50);
      assert.deepEqual(
        all.map((e) => e.cursor),
        cursors,
      );
      const live = await store.listRevocationsAfter(0, 100, T0 + 100);
      assert.deepEqual(
        live.map((e) => e.value),
        ['s1', 's2', 's4', 's5', 's7', 's8'],
      );
      const page = await store.listRevocationsAfter(cursors[2] ?? 0, 2, T0 + 100);
      assert.deepEqual(
        page.map((e) => e.value),
        ['s4', 's5'],
      );
      assert.deepEqual(await store.listRevocationsAfter(cursors[9] ?? 0, 10, T0), []);
    }));

  it('cursors stay monotonic under concurrent appends, and a reader paging along misses none', () =>
    withStore(make, async (store) => {
      const written = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.appendRevocation(rev('jti', `j${i}`))),
      );
      assert.equal(new Set(written).size, 50);
      const seen: number[] = [];
      let after = 0;
      for (;;) {
        const page = await store.listRevocationsAfter(after, 7, T0);
        if (page.length === 0) break;
        for (const e of page) seen.push(e.cursor);
        after = page[page.length - 1]?.cursor ?? after;
      }
      assert.deepEqual(
        seen,
        [...written].sort((a, b) => a - b),
      );
      assert.equal(await store.latestRevocationCursor(), Math.max(...written));
    }));

  it('the latest cursor never goes back, even after purge emptied the log', () =>
    withStore(make, async (store) => {
      await store.appendRevocation(rev('jti', 'a', { expiresAt: T0 + 10 }));
      const c2 = await store.appendRevocation(rev('jti', 'b', { expiresAt: T0 + 10 }));
      const purged = await store.purgeExpired(T0 + 10, 0);
      assert.equal(purged.revocations, 2);
      assert.equal((await store.stats()).revocations, 0);
      assert.equal(await store.latestRevocationCursor(), c2);
      const c3 = await store.appendRevocation(rev('jti', 'c'));
      assert.ok(c3 > c2, 'a purged cursor is never handed out again');
    }));
}
