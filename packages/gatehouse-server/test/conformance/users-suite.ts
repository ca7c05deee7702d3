/** Conformance: users. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { addUser, DAY, type MakeStore, newSession, newUser, rev, T0, withStore } from './fixtures.js';

export function userSuite(make: MakeStore): void {
  it('createUser returns the record and finds it by key and id', () =>
    withStore(make, async (store) => {
      const u = await store.createUser(newUser('Alice', { roles: ['user', 'admin'] }));
      assert.ok(u);
      assert.equal(u.username, 'Alice');
      assert.equal(u.usernameKey, 'alice');
      assert.deepEqual(u.roles, ['user', 'admin']);
      assert.equal(u.createdAt, T0);
      assert.equal(u.updatedAt, T0);
      assert.equal(u.lockedAt, null);
      assert.equal(u.tokensValidAfter, 0);
      assert.deepEqual(await store.findUserByUsernameKey('alice'), u);
      assert.deepEqual(await store.findUserById(u.id), u);
      assert.equal(await store.findUserByUsernameKey('bob'), null);
      assert.equal(await store.findUserById(randomUUID()), null);
    }));

  it('createUser returns null and writes nothing when the key is taken', () =>
    withStore(make, async (store) => {
      await addUser(store, 'alice');
      const again = await store.createUser(newUser('ALICE', { usernameKey: 'alice' }));
      assert.equal(again, null);
      assert.equal(await store.countUsers(), 1);
      assert.equal((await store.findUserByUsernameKey('alice'))?.username, 'alice');
    }));

  it('concurrent createUser with one key: exactly one wins', () =>
    withStore(make, async (store) => {
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          store.createUser(newUser(`Racer${i}`, { usernameKey: 'racer' })),
        ),
      );
      const winners = results.filter((r) => r !== null);
      assert.equal(winners.length, 1);
      assert.equal(await store.countUsers(), 1);
      assert.deepEqual(await store.findUserByUsernameKey('racer'), winners[0]);
    }));

  it('updatePasswordHash replaces the hash and leaves sessions alone', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'carol');
      const s = await store.createSession(newSession(u.id));
      await store.updatePasswordHash(u.id, 'new-hash', T0 + 5);
      const after = await store.findUserById(u.id);
      assert.equal(after?.passwordHash, 'new-hash');
      assert.equal(after?.updatedAt, T0 + 5);
      assert.equal(after?.tokensValidAfter, 0);
      assert.equal((await store.findSession(s.id))?.revokedAt, null);
    }));

  it('changePassword: new hash, cut-off, other sessions revoked, revocation appended', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'dave');
      const keep = await store.createSession(newSession(u.id));
      const other = await store.createSession(newSession(u.id));
      const now = T0 + 1000;
      await store.changePassword(
        u.id,
        'h2',
        keep.id,
        rev('sub', u.id, { reason: 'password_changed', now, notBefore: 1 }),
      );
      const after = await store.findUserById(u.id);
      assert.equal(after?.passwordHash, 'h2');
      assert.equal(after?.tokensValidAfter, now);
      assert.equal((await store.findSession(keep.id))?.revokedAt, null);
      const o = await store.findSession(other.id);
      assert.equal(o?.revokedAt, now);
      assert.equal(o?.revokeReason, 'password_changed');
      const log = await store.listRevocationsAfter(0, 10, now);
      assert.equal(log.length, 1);
      assert.equal(log[0]?.kind, 'sub');
      assert.equal(log[0]?.value, u.id);
      assert.equal(log[0]?.notBefore, 1);
    }));

  it('changePassword with no session to keep revokes them all', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'erin');
      await store.createSession(newSession(u.id));
      await store.createSession(newSession(u.id));
      await store.changePassword(
        u.id,
        'h2',
        null,
        rev('sub', u.id, { reason: 'password_changed', now: T0 + 1 }),
      );
      assert.equal((await store.listActiveSessions(u.id, T0 + 2)).length, 0);
    }));

  it('setLocked locks (revoking sessions, cut-off, revocation) and unlocks', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'frank');
      const s = await store.createSession(newSession(u.id));
      const now = T0 + 500;
      assert.equal(await store.setLocked(u.id, true, rev('sub', u.id, { reason: 'locked', now })), true);
      const locked = await store.findUserById(u.id);
      assert.equal(locked?.lockedAt, now);
      assert.equal(locked?.tokensValidAfter, now);
      const ss = await store.findSession(s.id);
      assert.equal(ss?.revokedAt, now);
      assert.equal(ss?.revokeReason, 'locked');
      assert.equal(await store.latestRevocationCursor(), 1);
      assert.equal(await store.setLocked(u.id, false, null), true);
      assert.equal((await store.findUserById(u.id))?.lockedAt, null);
      assert.equal(await store.setLocked(randomUUID(), true, rev('sub', 'x', { now })), false);
      assert.equal(await store.setLocked(randomUUID(), false, null), false);
    }));

  it('setRoles replaces the roles; false for an unknown user', () =>
    withStore(make, async (store) => {
      const u = await addUser(store, 'gina');
      assert.equal(await store.setRoles(u.id, ['admin'], T0 + 9), true);
      const after = await store.findUserById(u.id);
      assert.deepEqual(after?.roles, ['admin']);
      assert.equal(after?.updatedAt, T0 + 9);
      assert.equal(await store.setRoles(randomUUID(), ['admin'], T0), false);
    }));

  it('listUsers pages by username key and filters literally', () =>
    withStore(make, async (store) => {
      for (const name of ['delta', 'alpha', 'charlie', 'bravo', 'echo', 'al_pha', 'x%y'])
        await addUser(store, name);
      const page1 = await store.listUsers({ limit: 3 });
      assert.deepEqual(
        page1.map((u) => u.usernameKey),
        ['al_pha', 'alpha', 'bravo'],
      );
      const page2 = await store.listUsers({ limit: 3, after: 'bravo' });
      assert.deepEqual(
        page2.map((u) => u.usernameKey),
        ['charlie', 'delta', 'echo'],
      );
      assert.deepEqual(
        (await store.listUsers({ limit: 10, filter: 'LPH' })).map((u) => u.usernameKey),
        ['alpha'],
      );
      // LIKE wildcards in the filter are literal characters.
      assert.deepEqual(
        (await store.listUsers({ limit: 10, filter: '_' })).map((u) => u.usernameKey),
        ['al_pha'],
      );
      assert.deepEqual(
        (await store.listUsers({ limit: 10, filter: '%' })).map((u) => u.usernameKey),
        ['x%y'],
      );
      assert.equal(await store.countUsers(), 7);
    }));

  it('deleting nothing: a locked user keeps other users untouched', () =>
    withStore(make, async (store) => {
      const a = await addUser(store, 'henry');
      const b = await addUser(store, 'irene');
      const sb = await store.createSession(newSession(b.id, { expiresAt: T0 + DAY }));
      await store.setLocked(a.id, true, rev('sub', a.id, { reason: 'locked', now: T0 + 1 }));
      assert.equal((await store.findSession(sb.id))?.revokedAt, null);
      assert.equal((await store.findUserById(b.id))?.lockedAt, null);
    }));
}
