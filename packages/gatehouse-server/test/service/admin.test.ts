import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'gatehouse';
import { createHousekeeper } from '../../src/service/housekeeping.js';
import { type Harness, harness, REQ } from './helpers.js';

describe('admin service', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.service.close());

  test('createUser with roles; the roles reach the access token', async () => {
    const user = await h.service.admin.createUser({
      username: 'root',
      password: 'long enough',
      roles: ['admin', 'ops'],
    });
    assert.deepEqual(user.roles, ['admin', 'ops']);
    const pair = await h.service.login({ username: 'root', password: 'long enough' }, REQ);
    assert.deepEqual(decodeJwt(pair.access_token).payload.roles, ['admin', 'ops']);
    await assert.rejects(
      h.service.admin.createUser({ username: 'ROOT', password: 'long enough', roles: [] }),
      {
        code: 'USERNAME_TAKEN',
      },
    );
    await assert.rejects(h.service.admin.createUser({ username: 'x1', password: 'long enough', roles: [] }), {
      code: 'VALIDATION_FAILED',
    });
    await assert.rejects(
      h.service.admin.createUser({ username: 'role-bad', password: 'long enough', roles: ['no spaces'] }),
      { code: 'VALIDATION_FAILED', claim: 'roles' },
    );
    const audit = await h.store.listAudit({ limit: 10, type: 'user_created' });
    assert.equal(audit[0]?.subjectId, user.id);
  });

  test('findUser by name (any case) or id; null when unknown', async () => {
    const byName = await h.service.admin.findUser('ROOT');
    assert.equal(byName?.username, 'root');
    assert.equal(byName?.locked, false);
    assert.equal(byName?.activeSessions, 1);
    assert.equal((await h.service.admin.findUser(byName?.id ?? ''))?.username, 'root');
    assert.equal(await h.service.admin.findUser('nobody'), null);
    assert.equal(await h.service.admin.findUser('x'.repeat(10_000)), null);
  });

  test('listUsers pages by username key', async () => {
    for (const name of ['ann', 'ben', 'cat']) {
      await h.service.admin.createUser({ username: name, password: 'long enough', roles: [] });
    }
    const first = await h.service.admin.listUsers({ limit: 2 });
    assert.deepEqual(
      first.map((u) => u.username),
      ['ann', 'ben'],
    );
    const next = await h.service.admin.listUsers({ limit: 2, after: 'ben' });
    assert.deepEqual(
      next.map((u) => u.username),
      ['cat', 'root'],
    );
    assert.deepEqual(
      (await h.service.admin.listUsers({ limit: 10, filter: 'ＢＥ' })).map((u) => u.username),
      ['ben'],
    );
    assert.deepEqual(await h.service.admin.listUsers({ limit: 10, filter: '%' }), []);
    await assert.rejects(h.service.admin.listUsers({ limit: 10, filter: 'x'.repeat(10_000) }), {
      code: 'VALIDATION_FAILED',
    });
    await assert.rejects(h.service.admin.listUsers({ limit: 0 }), { code: 'VALIDATION_FAILED' });
    await assert.rejects(h.service.admin.listUsers({ limit: 1e9 }), { code: 'VALIDATION_FAILED' });
  });

  test('lock revokes every session and blocks logins; unlock lets them in again', async () => {
    const pair = await h.service.login({ username: 'ann', password: 'long enough' }, REQ);
    await h.service.admin.lockUser('ann', 'operator');
    assert.equal((await h.service.admin.findUser('ann'))?.locked, true);
    await assert.rejects(h.service.authenticate(pair.access_token), { code: 'TOKEN_REVOKED' });
    await assert.rejects(h.service.refresh(pair.refresh_token, REQ), { code: 'INVALID_REFRESH_TOKEN' });
    await assert.rejects(h.service.login({ username: 'ann', password: 'long enough' }, REQ), {
      code: 'ACCOUNT_LOCKED',
    });
    const entry = (await h.store.listRevocationsAfter(0, 100, h.clock())).find(
      (e) => e.kind === 'sub' && e.reason === 'locked',
    );
    assert.ok(entry);
    assert.ok(h.events.some((e) => e.type === 'session_revoked' && e.reason === 'locked' && e.count === 1));
    await h.service.admin.unlockUser('ann', 'operator');
    h.clock.advance(1000);
    const again = await h.service.login({ username: 'ann', password: 'long enough' }, REQ);
    await h.service.authenticate(again.access_token);
    const audit = await h.store.listAudit({ limit: 10, subjectId: entry.value });
    // Security events (logins) are audited too; the admin actions are the user_* ones.
    const adminTypes = audit.map((a) => a.type).filter((t) => t.startsWith('user_'));
    assert.deepEqual(adminTypes.sort(), ['user_created', 'user_locked', 'user_unlocked']);
    await assert.rejects(h.service.admin.lockUser('nobody', null), { code: 'NOT_FOUND' });
    await assert.rejects(h.service.admin.unlockUser('nobody', null), { code: 'NOT_FOUND' });
  });

  test('listUserSessions and revokeSession; NOT_FOUND when unknown or already ended', async () => {
    const pair = await h.service.login({ username: 'ben', password: 'long enough' }, REQ);
    const sessions = await h.service.admin.listUserSessions('ben');
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]?.id, pair.session_id);
    assert.equal(sessions[0]?.ip, REQ.ip);
    assert.equal(typeof sessions[0]?.userId, 'string');
    assert.equal('current' in (sessions[0] ?? {}), false);
    await h.service.admin.revokeSession(pair.session_id, 'operator');
    await assert.rejects(h.service.authenticate(pair.access_token), { code: 'TOKEN_REVOKED' });
    await assert.rejects(h.service.admin.revokeSession(pair.session_id, 'operator'), { code: 'NOT_FOUND' });
    await assert.rejects(h.service.admin.revokeSession('nope', null), { code: 'NOT_FOUND' });
    await assert.rejects(h.service.admin.listUserSessions('nobody'), { code: 'NOT_FOUND' });
  });
});

describe('service lifecycle', () => {
  test('ready() is true while storage answers, false after close; close() is idempotent', async () => {
    const h = await harness();
    assert.equal(await h.service.ready(), true);
    await h.service.close();
    await h.service.close();
    assert.equal(await h.service.ready(), false);
  });

  test('bad options are OPTION_INVALID naming the option', async () => {
    for (const [over, claim] of [
      [{ issuer: '' }, 'issuer'],
      [{ accessTtl: 0 }, 'accessTtl'],
      [{ reuseGrace: -1 }, 'reuseGrace'],
      [{ refreshIdleTtl: 1.5 }, 'refreshIdleTtl'],
      [{ alg: 'none' }, 'alg'],
      [{ openRegistration: 'yes' }, 'openRegistration'],
    ] as const) {
      const err = await harness(over as never).catch((e) => e);
      assert.equal(err?.code, 'OPTION_INVALID', claim);
      assert.equal(err.claim, claim);
    }
  });

  test('events never break the service: a throwing onEvent hook is ignored', async () => {
    const h = await harness({
      onEvent: () => {
        throw new Error('metrics down');
      },
    });
    try {
      await h.service.register({ username: 'alice', password: 'correct horse' }, REQ);
      assert.ok(await h.service.login({ username: 'alice', password: 'correct horse' }, REQ));
    } finally {
      await h.service.close();
    }
  });

  test('events and errors never carry a password or token', async () => {
    const h = await harness();
    try {
      await h.service.register({ username: 'alice', password: 'secret-pass-123' }, REQ);
      const pair = await h.service.login({ username: 'alice', password: 'secret-pass-123' }, REQ);
      const errors = [
        await h.service.login({ username: 'alice', password: 'secret-wrong-1' }, REQ).catch((e) => e),
        await h.service.refresh(`${pair.refresh_token.slice(0, -1)}A`, REQ).catch((e) => e),
        await h.service.authenticate(`${pair.access_token}x`).catch((e) => e),
      ];
      const text =
        JSON.stringify(h.events) + errors.map((e) => `${e.message} ${JSON.stringify(e)}`).join(' ');
      for (const secret of ['secret-pass-123', 'secret-wrong-1', pair.refresh_token, pair.access_token]) {
        assert.ok(!text.includes(secret));
      }
    } finally {
      await h.service.close();
    }
  });
});

describe('admin: signing keys', () => {
  test('rotateKey publishes a pending key; revokeKey takes a key out and refuses its tokens', async () => {
    const h = await harness();
    try {
      await h.service.register({ username: 'alice', password: 'correct horse' }, REQ);
      const pair = await h.service.login({ username: 'alice', password: 'correct horse' }, REQ);
      const [first] = await h.service.admin.listKeys();
      const rotated = await h.service.admin.rotateKey('operator');
      assert.equal(rotated.status, 'pending');
      assert.equal((await h.service.jwks()).jwks.keys.length, 2);
      await h.service.admin.revokeKey(first?.kid ?? '', 'operator');
      await assert.rejects(h.service.authenticate(pair.access_token), { code: 'TOKEN_REVOKED' });
      await assert.rejects(h.service.admin.revokeKey(first?.kid ?? '', 'operator'), { code: 'NOT_FOUND' });
      await assert.rejects(h.service.admin.revokeKey('no-such-kid', null), { code: 'NOT_FOUND' });
      // With the signer revoked and the rotated key still pending, a fresh key signs at once.
      const fresh = await h.service.login({ username: 'alice', password: 'correct horse' }, REQ);
      await h.service.authenticate(fresh.access_token);
      const statuses = (await h.service.admin.listKeys()).map((k) => k.status).sort();
      assert.deepEqual(statuses, ['active', 'pending', 'revoked']);
      const audit = await h.store.listAudit({ limit: 10 });
      assert.ok(audit.some((a) => a.type === 'key_rotated'));
      assert.ok(audit.some((a) => a.type === 'key_revoked'));
    } finally {
      await h.service.close();
    }
  });

  test('HS* mode: nothing to rotate or revoke (BAD_REQUEST)', async () => {
    const h = await harness({ alg: 'HS256', hsSecret: 'an HS256 shared secret of 32+ bytes!!' });
    try {
      await assert.rejects(h.service.admin.rotateKey(null), { code: 'BAD_REQUEST' });
      await assert.rejects(h.service.admin.revokeKey('anything', null), { code: 'BAD_REQUEST' });
    } finally {
      await h.service.close();
    }
  });
});

test('housekeeping purges ended sessions after the retention period', async () => {
  const h = await harness();
  try {
    await h.service.register({ username: 'alice', password: 'correct horse' }, REQ);
    const pair = await h.service.login({ username: 'alice', password: 'correct horse' }, REQ);
    await h.service.logout(pair.refresh_token, REQ);
    const hk = createHousekeeper({ store: h.store, clock: h.clock, retainMs: 1000 });
    assert.equal((await hk.runOnce())?.sessions, 0);
    h.clock.advance(2000);
    assert.equal((await hk.runOnce())?.sessions, 1);
    assert.equal(await h.store.findSession(pair.session_id), null);
  } finally {
    await h.service.close();
  }
});
