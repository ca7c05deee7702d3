/**
 * The Redis backend, for what it stores: the throttling-counter part of the conformance suite
 * (with the rest of the store on SQLite :memory:), counters shared by two instances, the
 * fallback to the store's counters when Redis goes down, and the pub/sub nudge.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { nextNotice } from '../../src/service/notifier.js';
import {
  attachRedis,
  createRedisNotifier,
  openRedis,
  withRedisCounters,
} from '../../src/storage/redis/index.js';
import { createSqliteStore } from '../../src/storage/sqlite/index.js';
import { type RedisServer, startRedis } from '../support/redis.js';
import { attemptsAuditSuite } from './attempts-audit-suite.js';
import { T0 } from './fixtures.js';

const WINDOW = 60_000;
let server: RedisServer;
let admin: Redis;
before(async () => {
  server = await startRedis();
  admin = new Redis(server.url);
  admin.on('error', () => {}); // Redis is stopped on purpose in one test.
});
after(async () => {
  await admin?.quit();
  await server?.stop();
});

describe('Store conformance: redis counters (over sqlite :memory:)', () => {
  attemptsAuditSuite(async () => {
    await admin.flushdb();
    const sqlite = await createSqliteStore({ path: ':memory:' });
    // The store's own counters refuse: every count in this suite must come from Redis (reset
    // also clears the store's fallback count, a no-op here).
    const refuse = () => Promise.reject(new Error('store counters used: Redis was bypassed'));
    const store = {
      ...sqlite,
      incrementAttempts: refuse,
      getAttempts: refuse,
      resetAttempts: async () => {},
    };
    return attachRedis(store, server.url).store;
  });
});

describe('Redis backend', () => {
  it('two instances with their own databases count attempts together', async () => {
    await admin.flushdb();
    const a = attachRedis(await createSqliteStore({ path: ':memory:' }), server.url).store;
    const b = attachRedis(await createSqliteStore({ path: ':memory:' }), server.url).store;
    try {
      const counts = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? a : b).incrementAttempts('login:ip:203.0.113.9', WINDOW, T0),
        ),
      );
      assert.deepEqual(
        counts.map((c) => c.count).sort((x, y) => x - y),
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      assert.deepEqual(await a.getAttempts('login:ip:203.0.113.9', T0 + 1), {
        count: 40,
        resetAt: T0 + WINDOW,
      });
      // The key expires in Redis with the window (garbage collection, the logic uses resetAt).
      const ttl = await admin.pttl('gatehouse:attempts:login:ip:203.0.113.9');
      assert.ok(ttl > 0 && ttl <= WINDOW, String(ttl));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('Redis down: counters fall back to the store (logged once), and come back with Redis', async () => {
    await admin.flushdb();
    const logs: string[] = [];
    const sqlite = await createSqliteStore({ path: ':memory:' });
    const redis = openRedis(server.url, () => {});
    const store = withRedisCounters(sqlite, redis, { log: (level) => logs.push(level) });
    try {
      await waitFor(async () => (await redis.ping().catch(() => '')) === 'PONG');
      assert.equal((await store.incrementAttempts('k', WINDOW, T0)).count, 1);
      await server.stop();
      // Each call falls back to SQLite at once (no offline queue): no error, no hang.
      assert.equal((await store.incrementAttempts('k', WINDOW, T0)).count, 1);
      assert.equal((await store.incrementAttempts('k', WINDOW, T0)).count, 2);
      assert.equal((await store.getAttempts('k', T0))?.count, 2);
      assert.deepEqual(logs, ['warn'], 'the outage is logged once');
      assert.equal((await sqlite.getAttempts('k', T0))?.count, 2, 'the counts live in the store meanwhile');
      await server.restart();
      await waitFor(async () => (await redis.ping().catch(() => '')) === 'PONG');
      // Redis's own counter starts from scratch after the restart (no persistence).
      assert.equal((await store.incrementAttempts('k', WINDOW, T0)).count, 1);
      assert.deepEqual(logs, ['warn', 'info']);
      await store.resetAttempts('k');
      assert.equal(await sqlite.getAttempts('k', T0), null, 'reset clears the fallback count too');
    } finally {
      redis.disconnect();
      await sqlite.close();
    }
  });

  it('the pub/sub nudge wakes long-polls on every instance, not only the notifying one', async () => {
    const a = createRedisNotifier(
      openRedis(server.url, () => {}),
      openRedis(server.url, () => {}),
    );
    const b = createRedisNotifier(
      openRedis(server.url, () => {}),
      openRedis(server.url, () => {}),
    );
    try {
      // Both subscriptions are live before the nudge.
      await waitFor(async () => Number((await admin.pubsub('NUMSUB', 'gatehouse:revocations'))[1]) >= 2);
      const started = Date.now();
      const woken = Promise.all([nextNotice(a, 10_000), nextNotice(b, 10_000)]);
      a.notify();
      await woken;
      assert.ok(Date.now() - started < 5_000, 'woken by the nudge, not by the 10 s timeout');
      let calls = 0;
      const off = a.subscribe(() => calls++);
      a.notify();
      await new Promise((r) => setTimeout(r, 100));
      off();
      assert.equal(calls, 1, 'the notifying instance is woken once, not again by its own echo');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 25));
  }
}
