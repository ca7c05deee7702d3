import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJwt, generateKey, signJwt } from 'gatehouse';
import { harness, REQ, registerAndLogin } from './helpers.js';

describe('logout', () => {
  test('ends the session and its access tokens; idempotent', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      await h.service.logout(pair.refresh_token, REQ);
      await assert.rejects(h.service.authenticate(pair.access_token), { code: 'TOKEN_REVOKED' });
      await assert.rejects(h.service.refresh(pair.refresh_token, REQ), { code: 'INVALID_REFRESH_TOKEN' });
      // Again, unknown, garbage: all fine.
      await h.service.logout(pair.refresh_token, REQ);
      await h.service.logout(`ghr_${'B'.repeat(43)}`, REQ);
      await h.service.logout('not a token', REQ);
      await h.service.logout(undefined as unknown as string, REQ);
      const outcomes = h.events.flatMap((e) => (e.type === 'logout' ? [e.outcome] : []));
      assert.deepEqual(outcomes, ['ended', 'noop', 'noop', 'noop', 'noop']);
      const entry = (await h.store.listRevocationsAfter(0, 10, h.clock())).find(
        (e) => e.value === pair.session_id,
      );
      assert.equal(entry?.kind, 'sid');
      assert.equal(entry?.reason, 'logout');
    } finally {
      await h.service.close();
    }
  });

  test('other sessions of the user are untouched', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      const other = await h.service.login({ username: 'alice', password: 'correct horse' }, REQ);
      await h.service.logout(pair.refresh_token, REQ);
      await h.service.authenticate(other.access_token);
    } finally {
      await h.service.close();
    }
  });
});

describe('logout-all', () => {
  test('revokes every session and cuts off access tokens issued before now (sub entry, notBefore = ceil(now/1000))', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      const other = await h.service.login({ username: 'alice', password: 'correct horse' }, REQ);
      const auth = await h.service.authenticate(pair.access_token);
      h.clock.advance(300);
      await h.service.logoutAll(auth, REQ);
      await assert.rejects(h.service.authenticate(pair.access_token), { code: 'TOKEN_REVOKED' });
      await assert.rejects(h.service.authenticate(other.access_token), { code: 'TOKEN_REVOKED' });
      await assert.rejects(h.service.refresh(other.refresh_token, REQ), { code: 'INVALID_REFRESH_TOKEN' });
      const entry = (await h.store.listRevocationsAfter(0, 10, h.clock())).find((e) => e.kind === 'sub');
      assert.equal(entry?.value, auth.sub);
      assert.equal(entry?.notBefore, Math.ceil(h.clock() / 1000));
      assert.ok(
        h.events.some((e) => e.type === 'session_revoked' && e.reason === 'logout_all' && e.count === 2),
      );
      // A login in the same second after the cut-off is not caught by it.
      h.clock.advance(100);
      const fresh = await h.service.login({ username: 'alice', password: 'correct horse' }, REQ);
      const claims = await h.service.authenticate(fresh.access_token);
      assert.equal(claims.iat, Math.ceil((h.clock() - 100) / 1000));
    } finally {
      await h.service.close();
    }
  });
});

describe('authenticate', () => {
  test('returns the verified claims', async () => {
    const h = await harness();
    try {
      const { user, pair } = await registerAndLogin(h);
      const auth = await h.service.authenticate(pair.access_token);
      assert.equal(auth.sub, user.id);
      assert.equal(auth.sid, pair.session_id);
      assert.equal(auth.username, 'alice');
      assert.deepEqual(auth.roles, []);
    } finally {
      await h.service.close();
    }
  });

  test('expired tokens: TOKEN_EXPIRED (after the 5 s tolerance)', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      h.clock.advance(900_000 + 4_000);
      await h.service.authenticate(pair.access_token);
      h.clock.advance(2_000);
      await assert.rejects(h.service.authenticate(pair.access_token), { code: 'TOKEN_EXPIRED' });
    } finally {
      await h.service.close();
    }
  });

  test('a token signed by a foreign key or tampered with is refused', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      const { payload } = decodeJwt(pair.access_token);
      const foreign = generateKey('ES256');
      await assert.rejects(h.service.authenticate(signJwt(payload, foreign, { typ: 'at+jwt' })), {
        code: 'KEY_UNKNOWN',
      });
      const [hd, , sig] = pair.access_token.split('.');
      const tampered = `${hd}.${Buffer.from(JSON.stringify({ ...payload, roles: ['admin'] })).toString('base64url')}.${sig}`;
      await assert.rejects(h.service.authenticate(tampered), { code: 'SIGNATURE_INVALID' });
    } finally {
      await h.service.close();
    }
  });

  test('hostile input: a GatehouseError with a token code or UNAUTHORIZED, never a crash', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      const [hd, pl] = pair.access_token.split('.');
      const none = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${pl}.`;
      for (const bad of [
        '',
        'x',
        'a.b.c',
        none,
        `${hd}.${pl}.`,
        `${hd}.${pl}`,
        'x'.repeat(1024 * 1024),
        null,
        42,
        {},
      ]) {
        const err = await h.service.authenticate(bad as string).catch((e) => e);
        assert.equal(err?.name, 'GatehouseError', String(bad).slice(0, 40));
        assert.equal(err.status, 401);
      }
    } finally {
      await h.service.close();
    }
  });

  test('a locked user’s tokens are refused at once', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      await h.service.admin.lockUser('alice', 'admin-1');
      await assert.rejects(h.service.authenticate(pair.access_token), { code: 'TOKEN_REVOKED' });
    } finally {
      await h.service.close();
    }
  });
});

describe('me, sessions', () => {
  test('me: id, username, roles (as stored now), sessionId', async () => {
    const h = await harness();
    try {
      const { user, pair } = await registerAndLogin(h);
      const auth = await h.service.authenticate(pair.access_token);
      await h.store.setRoles(user.id, ['editor'], h.clock());
      assert.deepEqual(await h.service.me(auth), {
        id: user.id,
        username: 'alice',
        roles: ['editor'],
        sessionId: pair.session_id,
      });
    } finally {
      await h.service.close();
    }
  });

  test('listSessions: live sessions with the current one flagged', async () => {
    const h = await harness({ refreshIdleTtl: 3600 });
    try {
      const { pair } = await registerAndLogin(h);
      h.clock.advance(1000);
      const other = await h.service.login(
        { username: 'alice', password: 'correct horse' },
        { ip: '10.0.0.2', userAgent: 'ua2' },
      );
      const ended = await h.service.login({ username: 'alice', password: 'correct horse' }, REQ);
      await h.service.logout(ended.refresh_token, REQ);
      const auth = await h.service.authenticate(pair.access_token);
      const list = await h.service.listSessions(auth);
      assert.deepEqual(list.map((s) => s.id).sort(), [pair.session_id, other.session_id].sort());
      const mine = list.find((s) => s.current);
      assert.equal(mine?.id, pair.session_id);
      const theirs = list.find((s) => s.id === other.session_id);
      assert.equal(theirs?.current, false);
      assert.equal(theirs?.ip, '10.0.0.2');
      assert.equal(theirs?.userAgent, 'ua2');
      assert.equal(theirs?.createdAt, new Date(h.clock()).toISOString());
      // expiresAt shows the earlier of the idle and absolute ends.
      assert.equal(theirs?.expiresAt, new Date(h.clock() + 3600_000).toISOString());
    } finally {
      await h.service.close();
    }
  });

  test('deleteSession: own sessions only; NOT_FOUND for another user’s, unknown or ended ones', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      const second = await h.service.login({ username: 'alice', password: 'correct horse' }, REQ);
      const bob = await registerAndLogin(h, 'bob', 'bob password');
      const auth = await h.service.authenticate(pair.access_token);
      await assert.rejects(h.service.deleteSession(auth, bob.pair.session_id, REQ), {
        code: 'NOT_FOUND',
        status: 404,
      });
      await h.service.authenticate(bob.pair.access_token); // untouched
      await assert.rejects(h.service.deleteSession(auth, 'no-such-id', REQ), { code: 'NOT_FOUND' });
      await assert.rejects(h.service.deleteSession(auth, 'x'.repeat(10_000), REQ), { code: 'NOT_FOUND' });
      await h.service.deleteSession(auth, second.session_id, REQ);
      await assert.rejects(h.service.authenticate(second.access_token), { code: 'TOKEN_REVOKED' });
      await assert.rejects(h.service.deleteSession(auth, second.session_id, REQ), { code: 'NOT_FOUND' });
    } finally {
      await h.service.close();
    }
  });
});

describe('changePassword', () => {
  test('verifies the current password, keeps this session, revokes the others', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      const other = await h.service.login({ username: 'alice', password: 'correct horse' }, REQ);
      const auth = await h.service.authenticate(pair.access_token);
      h.clock.advance(2000);
      await h.service.changePassword(
        auth,
        { current_password: 'correct horse', new_password: 'new battery' },
        REQ,
      );
      assert.ok(h.events.some((e) => e.type === 'password_changed'));
      await assert.rejects(h.service.refresh(other.refresh_token, REQ), { code: 'INVALID_REFRESH_TOKEN' });
      await assert.rejects(h.service.authenticate(other.access_token), { code: 'TOKEN_REVOKED' });
      // The current session survives: its refresh token still works and gives a valid token.
      const next = await h.service.refresh(pair.refresh_token, REQ);
      await h.service.authenticate(next.access_token);
      await assert.rejects(h.service.login({ username: 'alice', password: 'correct horse' }, REQ), {
        code: 'INVALID_CREDENTIALS',
      });
      assert.ok(await h.service.login({ username: 'alice', password: 'new battery' }, REQ));
    } finally {
      await h.service.close();
    }
  });

  test('INVALID_CREDENTIALS for a wrong current password; VALIDATION_FAILED for a bad new one', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      const auth = await h.service.authenticate(pair.access_token);
      await assert.rejects(
        h.service.changePassword(auth, { current_password: 'wrong horse', new_password: 'new battery' }, REQ),
        { code: 'INVALID_CREDENTIALS' },
      );
      for (const new_password of ['short', 'x'.repeat(1025), 42]) {
        await assert.rejects(
          h.service.changePassword(
            auth,
            { current_password: 'correct horse', new_password } as {
              current_password: string;
              new_password: string;
            },
            REQ,
          ),
          { code: 'VALIDATION_FAILED', claim: 'new_password' },
        );
      }
      await assert.rejects(
        h.service.changePassword(
          auth,
          { current_password: 'x'.repeat(1024 * 1024), new_password: 'new battery' },
          REQ,
        ),
        { code: 'VALIDATION_FAILED', claim: 'current_password' },
      );
      // Nothing changed.
      await h.service.authenticate(pair.access_token);
      assert.ok(await h.service.login({ username: 'alice', password: 'correct horse' }, REQ));
    } finally {
      await h.service.close();
    }
  });

  test('wrong current passwords count against the account limit', async () => {
    const h = await harness();
    try {
      const { pair } = await registerAndLogin(h);
      const auth = await h.service.authenticate(pair.access_token);
      for (let i = 0; i < 10; i++) {
        await h.service
          .changePassword(auth, { current_password: `wrong ${i}`, new_password: 'new battery' }, REQ)
          .catch(() => {});
      }
      await assert.rejects(
        h.service.changePassword(
          auth,
          { current_password: 'correct horse', new_password: 'new battery' },
          REQ,
        ),
        { code: 'TOO_MANY_ATTEMPTS' },
      );
    } finally {
      await h.service.close();
    }
  });
});
