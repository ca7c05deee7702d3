/**
 * What only PostgreSQL can get wrong: rotation across several pools (instances), the
 * revocation cursor under concurrent writers, migrations started by several processes at once,
 * automatic migration turned off, and a server that goes away.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { mapPostgresError } from '../../src/storage/postgres/errors.js';
import { REVOCATION_LOCK } from '../../src/storage/postgres/hooks.js';
import {
  createPostgresStore,
  migratePostgres,
  type PostgresStore,
} from '../../src/storage/postgres/index.js';
import { runCli } from '../cli/helpers.js';
import { addUser, DAY, hash, newSession, rev, rotateReq, T0 } from '../conformance/fixtures.js';
import { type PgServer, startPostgres } from '../support/postgres.js';

let server: PgServer;
before(async () => {
  server = await startPostgres();
});
after(() => server?.stop());

describe('PostgreSQL store', () => {
  it('rotation is exactly-once across instances: 60 racers on two pools, one successor chain', async () => {
    const url = await server.createDatabase();
    const a = await createPostgresStore({ url, maxConnections: 8 });
    const b = await createPostgresStore({ url, maxConnections: 8 });
    try {
      const user = await addUser(a, 'alice');
      const first = hash();
      await a.createSession(newSession(user.id, { refreshHash: first }));
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (i % 2 ? a : b).rotateRefreshToken(rotateReq(first, T0 + 1_000, { graceMs: 10_000 })),
        ),
      );
      const fresh = results.filter((r) => r.status === 'rotated' && !r.graceUsed);
      const grace = results.filter((r) => r.status === 'rotated' && r.graceUsed);
      assert.equal(fresh.length, 1, 'exactly one call rotates');
      assert.equal(grace.length, 59, 'every other call gets the grace answer');
      const seals = new Set(grace.map((r) => (r.status === 'rotated' ? r.sealedSuccessor : null)));
      assert.equal(seals.size, 1, 'all grace answers carry the same sealed successor');
      const session = await a.findSessionByRefreshHash(first, T0 + 2_000);
      assert.equal(session?.generation, 2);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('the revocation cursor is gap-safe: an append waits for an uncommitted one, readers see a prefix', async () => {
    const url = await server.createDatabase();
    const store = await createPostgresStore({ url });
    const c1 = new pg.Client({ connectionString: url });
    await c1.connect();
    try {
      await c1.query('begin');
      const first = await c1.query(
        `insert into revocations (kind, value, expires_at, reason, created_at) values ('sid', 'a', $1, 'logout', $2) returning cursor`,
        [T0 + DAY, T0],
      );
      const cursorA = Number(first.rows[0].cursor);
      let appended = false;
      const second = store.appendRevocation(rev('sid', 'b')).then((c) => {
        appended = true;
        return c;
      });
      // The second writer is parked on the lock, before it draws its identity value.
      await waitFor(async () => (await lockWaiters(store)) === 1);
      assert.equal(appended, false);
      assert.deepEqual(await store.listRevocationsAfter(0, 100, T0), []);
      const seq = await store.pool.query(
        `select pg_sequence_last_value(pg_get_serial_sequence('revocations', 'cursor')::regclass) as v`,
      );
      assert.equal(Number(seq.rows[0].v), cursorA, 'no cursor drawn by the waiting writer yet');
      await c1.query('commit');
      const cursorB = await second;
      assert.ok(cursorB > cursorA);
      const seen = await store.listRevocationsAfter(0, 100, T0);
      assert.deepEqual(
        seen.map((e) => e.value),
        ['a', 'b'],
      );
      assert.equal(await store.latestRevocationCursor(), cursorB);
    } finally {
      await c1.end();
      await store.close();
    }
  });

  it('200 concurrent appends from two pools: cursors unique, and every read is a contiguous prefix', async () => {
    const url = await server.createDatabase();
    const a = await createPostgresStore({ url, maxConnections: 6 });
    const b = await createPostgresStore({ url, maxConnections: 6 });
    try {
      let last = 0;
      const reads: number[][] = [];
      let writing = true;
      const reader = (async () => {
        while (writing) {
          const page = await a.listRevocationsAfter(last, 1000, T0);
          reads.push(page.map((e) => e.cursor));
          if (page.length > 0) last = page[page.length - 1]!.cursor;
        }
      })();
      const cursors = await Promise.all(
        Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).appendRevocation(rev('jti', `j${i}`))),
      );
      writing = false;
      await reader;
      const rest = await a.listRevocationsAfter(last, 1000, T0);
      const all = [...reads.flat(), ...rest.map((e) => e.cursor)];
      assert.equal(new Set(cursors).size, 200);
      // The reader, moving its cursor forward, saw every entry exactly once and in order.
      assert.deepEqual(
        all,
        [...cursors].sort((x, y) => x - y),
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('migrations from several processes at once: all succeed, applied once', async () => {
    const url = await server.createDatabase();
    const applied = await Promise.all([migratePostgres(url), migratePostgres(url), migratePostgres(url)]);
    const total = applied.reduce((n, v) => n + v.length, 0);
    assert.ok(applied.some((v) => v.length > 0));
    const store = await createPostgresStore({ url, migrate: false });
    const rows = await store.pool.query('select count(*)::int as n from gatehouse_migrations');
    assert.equal(rows.rows[0].n, total, 'each migration recorded exactly once');
    await store.close();
  });

  it('gatehouse migrate applies the schema once, then has nothing to do', async () => {
    const url = await server.createDatabase();
    const env = { GATEHOUSE_DATABASE_URL: url };
    const first = await runCli(['migrate', '--json'], { cwd: tmpdir(), env });
    assert.equal(first.code, 0, first.stderr);
    const report = JSON.parse(first.stdout) as { backend: string; applied: number[] };
    assert.equal(report.backend, 'postgres');
    assert.ok(report.applied.length >= 7);
    const second = await runCli(['migrate'], { cwd: tmpdir(), env });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /nothing to apply/);
  });

  it('with automatic migration off, an unmigrated database is refused until gatehouse migrate', async () => {
    const url = await server.createDatabase();
    await assert.rejects(
      createPostgresStore({ url: `${url}?gatehouse_migrate=off` }),
      (err: Error & { code?: string }) => {
        return err.code === 'OPTION_INVALID' && /gatehouse migrate/.test(err.message);
      },
    );
    assert.ok((await migratePostgres(url)).length > 0);
    const store = await createPostgresStore({ url: `${url}?gatehouse_migrate=off` });
    assert.equal(await store.countUsers(), 0);
    await store.close();
  });

  it('a terminated connection and a refused one are SERVICE_UNAVAILABLE with retryAfter', async () => {
    const url = await server.createDatabase();
    const store = await createPostgresStore({ url, maxConnections: 1 });
    try {
      const killer = new pg.Client({ connectionString: server.adminUrl });
      await killer.connect();
      await killer.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.replace(
          'current_database()',
          `'${new URL(url).pathname.slice(1)}'`,
        ),
      );
      await killer.end();
      const outcome = await store.countUsers().then(
        () => 'recovered',
        (err: Error & { code?: string; retryAfter?: number }) =>
          `${err.code}:${err.retryAfter !== undefined}`,
      );
      // The pool may already have replaced the dead connection; either way no raw driver error.
      assert.ok(outcome === 'recovered' || outcome === 'SERVICE_UNAVAILABLE:true', outcome);
      assert.equal(await store.countUsers(), 0, 'the next call gets a fresh connection');
    } finally {
      await store.close();
    }
    const refused = new URL(url);
    refused.port = '1';
    refused.password = 'hunter2';
    await assert.rejects(
      createPostgresStore({ url: refused.toString() }),
      (err: Error & { code?: string; retryAfter?: number }) => {
        return (
          err.code === 'SERVICE_UNAVAILABLE' &&
          typeof err.retryAfter === 'number' &&
          !err.message.includes('hunter2')
        );
      },
    );
  });
});

describe('mapPostgresError', () => {
  const withCode = (code: string, message = 'driver message naming db.internal:5432') =>
    Object.assign(new Error(message), { code });
  for (const [code, retryAfter] of [
    ['ECONNREFUSED', 5],
    ['ECONNRESET', 5],
    ['57P01', 5],
    ['57P03', 5],
    ['53300', 2],
    ['08006', 5],
    ['08001', 5],
    ['40001', 1],
    ['25006', 5],
  ] as const) {
    it(`${code} → SERVICE_UNAVAILABLE, Retry-After ${retryAfter}, driver message only in cause`, () => {
      const err = withCode(code);
      const mapped = mapPostgresError(err);
      assert.equal(mapped?.code, 'SERVICE_UNAVAILABLE');
      assert.equal(mapped?.retryAfter, retryAfter);
      assert.ok(!mapped?.message.includes('db.internal'));
      assert.equal(mapped?.cause, err);
    });
  }
  it('pg\'s own "connection gone" errors, without a code, are SERVICE_UNAVAILABLE', () => {
    assert.equal(
      mapPostgresError(new Error('Connection terminated unexpectedly'))?.code,
      'SERVICE_UNAVAILABLE',
    );
    assert.equal(
      mapPostgresError(new Error('timeout exceeded when trying to connect'))?.code,
      'SERVICE_UNAVAILABLE',
    );
  });
  it('constraint violations, SQL errors and non-errors are not mapped', () => {
    assert.equal(mapPostgresError(withCode('23505')), null);
    assert.equal(mapPostgresError(withCode('42P01')), null);
    assert.equal(mapPostgresError(new Error('boom')), null);
    assert.equal(mapPostgresError('57P01'), null);
  });
});

async function lockWaiters(store: PostgresStore): Promise<number> {
  const res = await store.pool.query(
    `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and objid = $1`,
    [REVOCATION_LOCK],
  );
  return res.rows[0].n;
}

async function waitFor(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
