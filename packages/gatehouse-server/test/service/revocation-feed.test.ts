/** The revocation feed service, the client credentials and the notifying store. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tokenRevocation } from '../../src/domain/sessions.js';
import { createClientService } from '../../src/service/clients.js';
import { createLocalNotifier, nextNotice } from '../../src/service/notifier.js';
import { withRevocationNotices } from '../../src/service/notifying-store.js';
import { createRevocationFeed } from '../../src/service/revocation-feed.js';
import { createSqliteStore } from '../../src/storage/sqlite/index.js';
import type { Store } from '../../src/storage/types.js';
import { type ManualClock, manualClock, T0 } from './helpers.js';

describe('revocation feed', () => {
  let store: Store;
  let clock: ManualClock;
  const notifier = createLocalNotifier();
  before(async () => {
    clock = manualClock();
    store = withRevocationNotices(await createSqliteStore({ path: ':memory:' }), notifier);
    await store.migrate();
  });
  after(() => store.close());

  const jti = (id: string, expS: number) =>
    store.appendRevocation(tokenRevocation(id, expS, 'oauth_revoke', clock()));

  test('pages in cursor order; the next page starts after the last entry sent', async () => {
    const feed = createRevocationFeed({ store, clock, notifier, pageSize: 2 });
    const exp = Math.floor(T0 / 1000) + 600;
    for (const id of ['a', 'b', 'c', 'd', 'e']) await jti(id, exp);
    const seen: string[] = [];
    let cursor = 0;
    for (let i = 0; i < 5; i++) {
      const page = await feed.read(cursor);
      assert.ok(page.entries.length <= 2);
      seen.push(...page.entries.map((e) => e.value));
      cursor = page.cursor;
      if (page.entries.length === 0) break;
    }
    assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e']);
    assert.equal((await feed.read(cursor)).entries.length, 0);
  });

  test('expired entries are not served, and the cursor moves past them', async () => {
    const feed = createRevocationFeed({ store, clock, notifier });
    const start = (await feed.read(0)).cursor;
    const short = await jti('short', Math.floor(clock() / 1000) + 10);
    const long = await jti('long', Math.floor(clock() / 1000) + 3600);
    assert.deepEqual(
      (await feed.read(start)).entries.map((e) => e.value),
      ['short', 'long'],
    );
    clock.advance(60_000);
    const page = await feed.read(start);
    assert.deepEqual(
      page.entries.map((e) => [e.value, e.cursor]),
      [['long', long]],
    );
    assert.ok(short < long);
    // Nothing live after `long`: the cursor is the latest, even when the tail has expired.
    const tail = await jti('tail', Math.floor(clock() / 1000) + 1);
    clock.advance(60_000);
    const after = await feed.read(long);
    assert.deepEqual(after, { entries: [], cursor: tail });
  });

  test('times are epoch seconds, rounded up; notBefore only for sub', async () => {
    const feed = createRevocationFeed({ store, clock, notifier });
    const start = (await feed.read(0)).cursor;
    await store.appendRevocation({
      kind: 'sub',
      value: 'u1',
      notBefore: 1_800_000_000,
      expiresAt: 1_800_000_900_001,
      reason: 'locked',
      now: clock(),
    });
    await store.appendRevocation({
      kind: 'sid',
      value: 's1',
      notBefore: 123,
      expiresAt: 1_800_000_900_000,
      reason: 'logout',
      now: clock(),
    });
    const { entries } = await feed.read(start);
    assert.deepEqual(
      entries.map(({ kind, value, notBefore, expiresAt }) => ({ kind, value, notBefore, expiresAt })),
      [
        { kind: 'sub', value: 'u1', notBefore: 1_800_000_000, expiresAt: 1_800_000_901 },
        { kind: 'sid', value: 's1', notBefore: null, expiresAt: 1_800_000_900 },
      ],
    );
  });

  test('bad cursors and bad jti revocations are VALIDATION_FAILED', async () => {
    const feed = createRevocationFeed({ store, clock, notifier });
    for (const bad of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2, '1' as unknown as number]) {
      await assert.rejects(feed.read(bad), { code: 'VALIDATION_FAILED', claim: 'after' });
    }
    await assert.rejects(feed.revokeAccessToken('', 10), { code: 'VALIDATION_FAILED', claim: 'jti' });
    await assert.rejects(feed.revokeAccessToken('x'.repeat(300), 10), { code: 'VALIDATION_FAILED' });
    await assert.rejects(feed.revokeAccessToken('j', Number.NaN), {
      code: 'VALIDATION_FAILED',
      claim: 'exp',
    });
  });

  test('a long-poll returns at the first nudge, and at once when aborted', async () => {
    const feed = createRevocationFeed({ store, clock, notifier, recheckMs: 10_000 });
    const top = (await feed.read(0)).cursor;
    const t0 = performance.now();
    const pending = feed.read(top, { waitMs: 20_000 });
    setTimeout(() => void jti('nudge', Math.floor(clock() / 1000) + 60), 30);
    assert.deepEqual(
      (await pending).entries.map((e) => e.value),
      ['nudge'],
    );
    assert.ok(performance.now() - t0 < 5000);

    const abort = new AbortController();
    const top2 = (await feed.read(0)).cursor;
    const t1 = performance.now();
    const held = feed.read(top2, { waitMs: 20_000, signal: abort.signal });
    setTimeout(() => abort.abort(), 30);
    assert.deepEqual(await held, { entries: [], cursor: top2 });
    assert.ok(performance.now() - t1 < 5000);
  });

  test('nextNotice leaves no listener behind and survives a throwing listener', async () => {
    const n = createLocalNotifier();
    let calls = 0;
    n.subscribe(() => {
      calls += 1;
      throw new Error('broken listener');
    });
    const waiting = nextNotice(n, 10_000);
    n.notify();
    await waiting;
    n.notify();
    assert.equal(calls, 2);
    await nextNotice(n, 5); // times out quietly
    const aborted = new AbortController();
    aborted.abort();
    await nextNotice(n, 10_000, aborted.signal); // already aborted: at once
  });

  test('the notifying store nudges after each revoking method only', async () => {
    const n = createLocalNotifier();
    let nudges = 0;
    n.subscribe(() => {
      nudges += 1;
    });
    const inner = await createSqliteStore({ path: ':memory:' });
    const wrapped = withRevocationNotices(inner, n);
    try {
      await wrapped.migrate();
      await wrapped.stats();
      await wrapped.listRevocationsAfter(0, 10, clock());
      assert.equal(nudges, 0);
      await wrapped.appendRevocation(tokenRevocation('x', 1, 'oauth_revoke', clock()));
      assert.equal(nudges, 1);
      assert.equal(
        await wrapped.revokeSession('nope', 'logout', tokenRevocation('y', 1, 'logout', clock())),
        false,
      );
      assert.equal(nudges, 2);
      assert.equal(wrapped.backend, inner.backend);
      assert.equal(wrapped.stats, wrapped.stats, 'bound methods are cached');
    } finally {
      await wrapped.close();
    }
  });
});

describe('client credentials', () => {
  let store: Store;
  before(async () => {
    store = await createSqliteStore({ path: ':memory:' });
    await store.migrate();
  });
  after(() => store.close());

  test('add shows the secret once; storage holds only its SHA-256', async () => {
    const clients = createClientService({ store, clock: () => T0 });
    const c = await clients.add('rs-articles');
    assert.match(c.client_id, /^c_[A-Za-z0-9_-]{16}$/);
    assert.match(c.client_secret, /^[A-Za-z0-9_-]{43}$/, '256 random bits');
    assert.equal(c.created_at, new Date(T0).toISOString());
    const row = await store.findClient(c.client_id);
    assert.ok(row);
    assert.notEqual(row.secretHash, c.client_secret);
    assert.ok(!JSON.stringify(row).includes(c.client_secret));
    const listed = await clients.list();
    assert.deepEqual(listed, [{ client_id: c.client_id, name: 'rs-articles', created_at: c.created_at }]);
    assert.ok(!JSON.stringify(listed).includes(row.secretHash));
    assert.deepEqual(await clients.authenticate(c.client_id, c.client_secret), listed[0]);
  });

  test('wrong, unknown, empty and oversized credentials are INVALID_CLIENT', async () => {
    const clients = createClientService({ store, clock: () => T0 });
    const c = await clients.add('rs-two');
    const bad: [unknown, unknown][] = [
      [c.client_id, `${c.client_secret}x`],
      [c.client_id, ''],
      ['c_unknown', c.client_secret],
      ['', c.client_secret],
      ['x'.repeat(300), 'y'],
      [c.client_id, 'y'.repeat(300)],
      [null, undefined],
    ];
    for (const [id, secret] of bad) {
      const err = await clients.authenticate(id as string, secret as string).catch((e) => e);
      assert.equal(err.code, 'INVALID_CLIENT');
      assert.ok(!String(err.message).includes(c.client_secret));
    }
  });

  test('names are checked, unique, and removable', async () => {
    const clients = createClientService({ store, clock: () => T0 });
    for (const name of ['', ' x', 'a b', 'x'.repeat(65), '-lead', 'ünï', 42]) {
      await assert.rejects(clients.add(name as string), { code: 'VALIDATION_FAILED', claim: 'name' });
    }
    await clients.add('dup');
    await assert.rejects(clients.add('dup'), { code: 'VALIDATION_FAILED', claim: 'name' });
    await clients.remove('dup');
    await assert.rejects(clients.remove('dup'), { code: 'NOT_FOUND' });
    await assert.rejects(clients.remove(''), { code: 'NOT_FOUND' });
  });
});
