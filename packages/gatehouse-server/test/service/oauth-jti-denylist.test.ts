/**
 * RFC 7009 access-token revocation across processes: a `jti` revoked by one service instance
 * is refused by another one on the same database within the deny list's staleness bound.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createAuthService } from '../../src/service/create-auth-service.js';
import { createJtiDenylist } from '../../src/service/oauth/jti-denylist.js';
import { createSqliteStore } from '../../src/storage/sqlite/index.js';
import { manualClock, options, REQ } from './helpers.js';

test('a jti revoked by one instance is refused by another within 250 ms', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-jti-'));
  const path = join(dir, 'db.sqlite');
  const clock = manualClock();
  const a = await createAuthService(options({ store: await createSqliteStore({ path }), clock }));
  const b = await createAuthService(options({ store: await createSqliteStore({ path }), clock }));
  t.after(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  await a.register({ username: 'alice', password: 'correct horse' }, REQ);
  const pair = await a.login({ username: 'alice', password: 'correct horse' }, REQ);
  const other = await a.refresh(pair.refresh_token, REQ);
  assert.equal((await b.authenticate(pair.access_token)).username, 'alice');

  await a.oauth.revoke(pair.access_token, 'access_token', { actorId: null, ip: null });
  // Instance a knows at once; b may answer from its view for up to 250 ms, then must refuse.
  await assert.rejects(a.authenticate(pair.access_token), { code: 'TOKEN_REVOKED', claim: 'jti' });
  clock.advance(250);
  await assert.rejects(b.authenticate(pair.access_token), { code: 'TOKEN_REVOKED', claim: 'jti' });
  assert.deepEqual(await b.oauth.introspect(pair.access_token, 'rs'), { active: false });
  // Only that token: the session's newer access token is still good on both.
  assert.equal((await b.authenticate(other.access_token)).sid, pair.session_id);
  assert.equal((await b.oauth.introspect(other.access_token, 'rs')).active, true);
});

test('the deny list reads the log incrementally and forgets expired entries', async () => {
  const store = await createSqliteStore({ path: ':memory:' });
  await store.migrate();
  const clock = manualClock();
  const reads: number[] = [];
  const spy = new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop === 'listRevocationsAfter')
        return (after: number, limit: number, now: number) => {
          reads.push(after);
          return target.listRevocationsAfter(after, limit, now);
        };
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const list = createJtiDenylist({ store: spy, clock, maxStalenessMs: 100 });
  const now = clock();
  const c1 = await store.appendRevocation({
    kind: 'jti',
    value: 'j1',
    notBefore: null,
    expiresAt: now + 1000,
    reason: 'oauth_revoke',
    now,
  });
  await store.appendRevocation({
    kind: 'sid',
    value: 's1',
    notBefore: null,
    expiresAt: now + 1000,
    reason: 'logout',
    now,
  });
  assert.equal(await list.isRevoked('j1'), true);
  assert.equal(await list.isRevoked('j2'), false);
  assert.deepEqual(reads, [0]); // one read serves checks within the staleness bound
  clock.advance(100);
  assert.equal(await list.isRevoked('s1'), false); // sid entries are not jti entries
  assert.equal(reads[1], c1 + 1); // then only what came after the last cursor
  clock.advance(1000);
  assert.equal(await list.isRevoked('j1'), false);
  assert.equal(list.size(), 0);
  await store.close();
});
