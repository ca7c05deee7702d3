/** Conformance: throttling counters and the audit log. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type MakeStore, T0, withStore } from './fixtures.js';

const WINDOW = 15 * 60_000;

export function attemptsAuditSuite(make: MakeStore): void {
  it('incrementAttempts: the window starts at the first increment and is never extended', () =>
    withStore(make, async (store) => {
      assert.equal(await store.getAttempts('login:alice', T0), null);
      assert.deepEqual(await store.incrementAttempts('login:alice', WINDOW, T0), {
        count: 1,
        resetAt: T0 + WINDOW,
      });
      assert.deepEqual(await store.incrementAttempts('login:alice', WINDOW, T0 + 1000), {
        count: 2,
        resetAt: T0 + WINDOW,
      });
      assert.deepEqual(await store.incrementAttempts('login:alice', WINDOW, T0 + WINDOW - 1), {
        count: 3,
        resetAt: T0 + WINDOW,
      });
      assert.deepEqual(await store.getAttempts('login:alice', T0 + WINDOW - 1), {
        count: 3,
        resetAt: T0 + WINDOW,
      });
      // At resetAt the window is over: no count, and the next increment restarts at 1.
      assert.equal(await store.getAttempts('login:alice', T0 + WINDOW), null);
      assert.deepEqual(await store.incrementAttempts('login:alice', WINDOW, T0 + WINDOW), {
        count: 1,
        resetAt: T0 + 2 * WINDOW,
      });
      assert.equal(await store.getAttempts('login:bob', T0), null, 'keys are independent');
    }));

  it('incrementAttempts is atomic under concurrency', () =>
    withStore(make, async (store) => {
      const results = await Promise.all(
        Array.from({ length: 60 }, () => store.incrementAttempts('ip:10.0.0.1', WINDOW, T0 + 5)),
      );
      assert.deepEqual(
        results.map((r) => r.count).sort((a, b) => a - b),
        Array.from({ length: 60 }, (_, i) => i + 1),
      );
      assert.equal((await store.getAttempts('ip:10.0.0.1', T0 + 6))?.count, 60);
    }));

  it('resetAttempts clears one key', () =>
    withStore(make, async (store) => {
      await store.incrementAttempts('a', WINDOW, T0);
      await store.incrementAttempts('b', WINDOW, T0);
      await store.resetAttempts('a');
      await store.resetAttempts('missing');
      assert.equal(await store.getAttempts('a', T0), null);
      assert.equal((await store.getAttempts('b', T0))?.count, 1);
      assert.deepEqual(await store.incrementAttempts('a', WINDOW, T0 + 10), {
        count: 1,
        resetAt: T0 + 10 + WINDOW,
      });
    }));

  it('audit: append and list newest first, with filters', () =>
    withStore(make, async (store) => {
      const base = { actorId: null, ip: '127.0.0.1' };
      await store.appendAudit({ ...base, type: 'login', subjectId: 'u1', detail: { ok: true }, now: T0 });
      await store.appendAudit({ ...base, type: 'login', subjectId: 'u2', detail: {}, now: T0 + 10 });
      await store.appendAudit({
        ...base,
        type: 'lock',
        actorId: 'admin',
        subjectId: 'u1',
        detail: { n: 1 },
        now: T0 + 20,
      });
      const all = await store.listAudit({ limit: 10 });
      assert.deepEqual(
        all.map((e) => [e.type, e.subjectId, e.now]),
        [
          ['lock', 'u1', T0 + 20],
          ['login', 'u2', T0 + 10],
          ['login', 'u1', T0],
        ],
      );
      assert.deepEqual(all[0]?.detail, { n: 1 });
      assert.equal(all[0]?.actorId, 'admin');
      assert.ok((all[0]?.id ?? 0) > (all[1]?.id ?? 0));
      assert.equal((await store.listAudit({ limit: 10, type: 'login' })).length, 2);
      assert.equal((await store.listAudit({ limit: 10, subjectId: 'u1' })).length, 2);
      assert.deepEqual(
        (await store.listAudit({ limit: 10, since: T0 + 10, until: T0 + 20 })).map((e) => e.now),
        [T0 + 10],
      );
      assert.equal((await store.listAudit({ limit: 1 })).length, 1);
    }));
}
