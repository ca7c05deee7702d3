/**
 * The purge (`service.purge()`, `gatehouse purge`, the housekeeping timer): measured with row
 * counts before and after, and checked never to drop what can still hit a live token.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHousekeeper } from '../../src/service/housekeeping.js';
import { harness, REQ } from './helpers.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

test('purge: rows before/after; live sessions, live revocations and published keys survive', async () => {
  const h = await harness({ keyPropagation: 60 });
  const s = h.service;
  try {
    await s.register({ username: 'alice', password: 'correct horse' }, REQ);
    const login = () => s.login({ username: 'alice', password: 'correct horse' }, REQ);
    const live = await login(); // stays live for the whole test (refreshed later)
    const ended = await login();
    const tokenOfEnded = ended.access_token;
    await s.logout(ended.refresh_token, REQ); // sid entry, live ~15 min
    const revokedAccess = await login();
    const claims = await s.authenticate(revokedAccess.access_token);
    await s.revocations.revokeAccessToken(claims.jti, claims.exp); // jti entry, live until exp + 5 s
    const oldKid = (await s.admin.listKeys())[0]!.kid;
    await s.admin.rotateKey(null); // the old key retires in 60 s, published ~15 min more

    // Phase 1, a minute later: everything is still needed, nothing goes.
    h.clock.advance(MIN);
    const dry = await s.purge({ dryRun: true });
    assert.equal(dry.deleted, null);
    assert.deepEqual(dry.after, dry.before);
    const p1 = await s.purge();
    assert.deepEqual(p1.deleted, { sessions: 0, refreshTokens: 0, revocations: 0, attempts: 0, keys: 0 });
    assert.deepEqual(p1.after, p1.before);
    assert.equal(p1.before.revocations, 2);
    assert.equal(p1.before.signing_keys, 2);
    // The ended session's token is still refused, and the feed still serves both entries.
    await assert.rejects(s.authenticate(tokenOfEnded), { code: 'TOKEN_REVOKED' });
    assert.equal((await s.revocations.read(0)).entries.length, 2);

    // Phase 2, 20 minutes in: a new logout (live entry) next to the two expired ones.
    h.clock.advance(19 * MIN);
    const late = await login();
    const lateToken = late.access_token;
    await s.logout(late.refresh_token, REQ);
    const p2 = await s.purge();
    assert.equal(p2.deleted?.revocations, 2, 'the two entries whose tokens have all expired');
    assert.equal(p2.deleted?.keys, 1, 'the retired key, once every token it signed has expired');
    assert.equal(p2.deleted?.sessions, 0, 'ended sessions are kept 7 days');
    assert.equal(p2.after.revocations, p2.before.revocations! - 2);
    assert.equal(p2.after.signing_keys, 1);
    assert.ok(!(await s.admin.listKeys()).some((k) => k.kid === oldKid));
    // The live entry is still served and its token still refused.
    const feed = await s.revocations.read(0);
    assert.deepEqual(
      feed.entries.map((e) => [e.kind, e.value]),
      [['sid', late.session_id]],
    );
    await assert.rejects(s.authenticate(lateToken), { code: 'TOKEN_REVOKED' });

    // Phase 3, 8 days in: ended sessions and their refresh-token generations go; live ones stay.
    h.clock.advance(8 * DAY);
    const p3 = await s.purge();
    assert.equal(p3.deleted?.sessions, 2, 'the two logged-out sessions');
    assert.equal(p3.deleted?.refreshTokens, 2);
    assert.equal(p3.deleted?.revocations, 1);
    assert.equal(p3.after.sessions, p3.before.sessions! - 2);
    assert.equal(p3.after.revocations, 0);
    // Live sessions still work after the purge.
    const refreshed = await s.refresh(live.refresh_token, REQ);
    assert.equal((await s.authenticate(refreshed.access_token)).sid, live.session_id);
    await s.refresh(revokedAccess.refresh_token, REQ);
  } finally {
    await s.close();
  }
});

test('the housekeeping timer runs purgeExpired on its interval until stopped', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
  const h = await harness();
  try {
    const calls: number[] = [];
    const store = new Proxy(h.store, {
      get(target, prop) {
        if (prop === 'purgeExpired')
          return (now: number, retainMs: number) => {
            calls.push(now);
            return target.purgeExpired(now, retainMs);
          };
        return Reflect.get(target, prop, target);
      },
    });
    const hk = createHousekeeper({ store, clock: h.clock, intervalMs: 10 * MIN });
    hk.start();
    // A first pass one minute after start (a server restarted often still purges)...
    t.mock.timers.tick(MIN - 1);
    assert.equal(calls.length, 0);
    t.mock.timers.tick(1);
    assert.equal(calls.length, 1);
    await hk.runOnce(); // joins the pass in flight (single-flight)
    assert.equal(calls.length, 1);
    // ...then one every interval.
    t.mock.timers.tick(9 * MIN - 1);
    assert.equal(calls.length, 1);
    t.mock.timers.tick(1);
    assert.equal(calls.length, 2);
    await hk.runOnce();
    t.mock.timers.tick(10 * MIN);
    assert.equal(calls.length, 3);
    await hk.runOnce();
    hk.stop();
    t.mock.timers.tick(30 * MIN);
    assert.equal(calls.length, 3);
  } finally {
    await h.service.close();
  }
});
