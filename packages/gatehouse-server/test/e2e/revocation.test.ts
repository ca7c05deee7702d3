/**
 * Issue 5, end to end on 127.0.0.1: the auth server, an Express and a Fastify resource server
 * (`gatehouse/express`, `gatehouse/fastify`) following the revocation feed — the Express one
 * with long-polling, the Fastify one with plain 1 s polling. Two users; then, each in turn,
 * logout-all, admin lock, session delete, revocation of one access token, refresh-token reuse:
 * both servers refuse the affected tokens within 2 s and keep accepting the others. Then key
 * rotation (old and new tokens both accepted, no restart) and key revocation (old refused).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'gatehouse';
import { call } from '../http/helpers.js';
import { refusedWithin, register, type Stack, signIn, startStack } from './stack.js';

const LIMIT_MS = 2000;

describe('revocation reaches every resource server', () => {
  let stack: Stack;
  const timings: Record<string, number> = {};

  before(async () => {
    stack = await startStack({
      env: {
        GATEHOUSE_REFRESH_REUSE_GRACE: '0',
        GATEHOUSE_KEY_PROPAGATION: '1s',
        GATEHOUSE_COOKIE_MODE: 'off',
      },
    });
  });
  after(async () => {
    await stack?.close();
  });

  const server = () => stack.auth.server;
  const accepted = async (...tokens: string[]) => {
    for (const t of tokens) assert.deepEqual(await stack.statuses(t), [200, 200], 'accepted by both');
  };
  const refused = async (name: string, tokens: string[]) => {
    timings[name] = await refusedWithin(stack, tokens, LIMIT_MS);
  };
  const refresh = async (refreshToken: string) => {
    const res = await call(server(), 'POST', '/auth/token', { body: { refresh_token: refreshToken } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { access_token: string; refresh_token: string; session_id: string };
  };

  test('both users are accepted everywhere to begin with', async () => {
    await register(stack, 'alice', 'bob');
    const a = await signIn(stack, 'alice');
    const b = await signIn(stack, 'bob');
    await accepted(a.access_token, b.access_token);
    // A token from elsewhere is refused by both.
    assert.deepEqual(await stack.statuses(`${a.access_token.slice(0, -4)}AAAA`), [401, 401]);
  });

  test('logout-all: every token of the user refused; the other user unaffected', async () => {
    const a1 = await signIn(stack, 'alice');
    const a2 = await signIn(stack, 'alice');
    const b = await signIn(stack, 'bob');
    await accepted(a1.access_token, a2.access_token, b.access_token);
    const res = await call(server(), 'POST', '/auth/logout-all', { token: a1.access_token });
    assert.equal(res.statusCode, 204);
    await refused('logout-all', [a1.access_token, a2.access_token]);
    await accepted(b.access_token, (await signIn(stack, 'alice')).access_token);
  });

  test('admin lock: the locked user refused; the other user unaffected', async () => {
    const a = await signIn(stack, 'alice');
    const b = await signIn(stack, 'bob');
    await accepted(a.access_token, b.access_token);
    await server().service.admin.lockUser('bob', 'e2e');
    await refused('admin lock', [b.access_token]);
    await accepted(a.access_token);
    await server().service.admin.unlockUser('bob', 'e2e');
    await accepted((await signIn(stack, 'bob')).access_token);
  });

  test('session delete: that session refused; the caller and the other user unaffected', async () => {
    const a1 = await signIn(stack, 'alice');
    const a2 = await signIn(stack, 'alice');
    const b = await signIn(stack, 'bob');
    await accepted(a1.access_token, a2.access_token, b.access_token);
    const res = await call(server(), 'DELETE', `/auth/sessions/${a2.session_id}`, { token: a1.access_token });
    assert.equal(res.statusCode, 204);
    await refused('session delete', [a2.access_token]);
    await accepted(a1.access_token, b.access_token);
  });

  test('RFC 7009 revocation of one access token: only that token refused, not its session', async () => {
    const a = await signIn(stack, 'alice');
    const b = await signIn(stack, 'bob');
    const next = await refresh(a.refresh_token); // same session, new jti
    await accepted(a.access_token, next.access_token);
    // RFC 7009 (public client): the auth server appends a `jti` entry for an access token.
    const res = await call(server(), 'POST', '/oauth/revoke', {
      raw: new URLSearchParams({ token: a.access_token, token_type_hint: 'access_token' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.statusCode, 200, res.body);
    await refused('access token (jti)', [a.access_token]);
    await accepted(next.access_token, b.access_token);
  });

  test('refresh-token reuse: the whole session refused, old and new access tokens', async () => {
    const a = await signIn(stack, 'alice');
    const b = await signIn(stack, 'bob');
    const rotated = await refresh(b.refresh_token);
    await accepted(b.access_token, rotated.access_token);
    const reuse = await call(server(), 'POST', '/auth/token', { body: { refresh_token: b.refresh_token } });
    assert.equal(reuse.statusCode, 401);
    assert.equal(reuse.json().code, 'REFRESH_TOKEN_REUSED');
    await refused('refresh reuse', [b.access_token, rotated.access_token]);
    await accepted(a.access_token);
  });

  test('key rotation: tokens from before and after accepted without restarts; key revoke refuses the old ones', async () => {
    const before = await signIn(stack, 'alice');
    const bob = await signIn(stack, 'bob');
    const oldKid = decodeJwt(before.access_token).header.kid as string;
    const rotated = await server().service.admin.rotateKey('e2e');
    assert.notEqual(rotated.kid, oldKid);
    // Published at once, signing after GATEHOUSE_KEY_PROPAGATION (1 s here).
    const jwks = (await call(server(), 'GET', '/.well-known/jwks.json')).json() as {
      keys: { kid: string }[];
    };
    assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [oldKid, rotated.kid].sort());
    assert.equal(decodeJwt((await signIn(stack, 'alice')).access_token).header.kid, oldKid);
    await new Promise((r) => setTimeout(r, 1100));
    const afterRotation = await signIn(stack, 'alice');
    assert.equal(decodeJwt(afterRotation.access_token).header.kid, rotated.kid);
    // The new kid is unknown to the resource servers' cached JWKS: they look it up again.
    const deadline = performance.now() + 5000;
    let statuses = await stack.statuses(afterRotation.access_token);
    while (statuses.some((s) => s !== 200) && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      statuses = await stack.statuses(afterRotation.access_token);
    }
    assert.deepEqual(statuses, [200, 200]);
    await accepted(before.access_token, bob.access_token, afterRotation.access_token);

    // Revoke the retired key: everything it signed is refused, through the feed's kid entry.
    await server().service.admin.revokeKey(oldKid, 'e2e');
    await refused('key revoke', [before.access_token, bob.access_token]);
    await accepted(afterRotation.access_token);
    const after = (await call(server(), 'GET', '/.well-known/jwks.json')).json() as {
      keys: { kid: string }[];
    };
    assert.deepEqual(
      after.keys.map((k) => k.kid),
      [rotated.kid],
    );
  });

  test('every revocation arrived within 2 s', (t) => {
    t.diagnostic(
      `refused after (ms): ${JSON.stringify(timings, (_k, v) => (typeof v === 'number' ? Math.round(v) : v))}`,
    );
    for (const [name, ms] of Object.entries(timings)) assert.ok(ms <= LIMIT_MS, `${name}: ${ms} ms`);
    assert.equal(Object.keys(timings).length, 6);
  });
});
