import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, importJwks, verifyJwt } from 'gatehouse';
import { OWASP_ARGON2ID, parseArgon2Phc } from '../../src/domain/passwords.js';
import { login } from '../../src/service/auth/login.js';
import { register } from '../../src/service/auth/register.js';
import { buildServiceContext } from '../../src/service/build-context.js';
import { createSqliteStore } from '../../src/storage/sqlite/index.js';
import { FAST_HASHING, type Harness, harness, options, REQ, registerAndLogin } from './helpers.js';

describe('register', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.service.close());

  test('201 body: id, username (NFKC), roles, createdAt; password stored as argon2id PHC only', async () => {
    const user = await h.service.register({ username: 'Ｂｏｂ', password: 'long enough' }, REQ);
    assert.equal(user.username, 'Bob');
    assert.deepEqual(user.roles, []);
    assert.equal(user.createdAt, new Date(h.clock()).toISOString());
    const stored = await h.store.findUserByUsernameKey('bob');
    assert.ok(stored);
    assert.equal(stored.id, user.id);
    const phc = parseArgon2Phc(stored.passwordHash);
    assert.equal(phc?.type, 'argon2id');
    assert.deepEqual(phc?.params, FAST_HASHING);
    assert.doesNotMatch(stored.passwordHash, /long enough/);
  });

  test('USERNAME_TAKEN, case-insensitively after NFKC', async () => {
    await h.service.register({ username: 'carol', password: 'long enough' }, REQ);
    for (const username of ['carol', 'CAROL', 'ｃａｒｏｌ']) {
      await assert.rejects(h.service.register({ username, password: 'long enough' }, REQ), {
        code: 'USERNAME_TAKEN',
      });
    }
    assert.ok(h.events.some((e) => e.type === 'register' && e.outcome === 'taken'));
  });

  test('concurrent registrations of one name: exactly one wins', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => h.service.register({ username: 'dave', password: 'long enough' }, REQ)),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.equal(r.reason.code, 'USERNAME_TAKEN');
  });

  test('VALIDATION_FAILED for bad usernames and passwords', async () => {
    const cases: [unknown, unknown, string][] = [
      ['ab', 'long enough', 'username'],
      ['x'.repeat(10_000), 'long enough', 'username'],
      [42, 'long enough', 'username'],
      ['erin', 'short', 'password'],
      ['erin', 'x'.repeat(1024 * 1024), 'password'],
      ['erin', null, 'password'],
    ];
    for (const [username, password, claim] of cases) {
      await assert.rejects(
        h.service.register({ username, password } as { username: string; password: string }, REQ),
        { code: 'VALIDATION_FAILED', claim },
      );
    }
  });
});

test('REGISTRATION_CLOSED when open registration is off (admin createUser still works)', async () => {
  const h = await harness({ openRegistration: false });
  try {
    await assert.rejects(h.service.register({ username: 'alice', password: 'long enough' }, REQ), {
      code: 'REGISTRATION_CLOSED',
    });
    const user = await h.service.admin.createUser({
      username: 'alice',
      password: 'long enough',
      roles: ['admin'],
    });
    assert.deepEqual(user.roles, ['admin']);
  } finally {
    await h.service.close();
  }
});

describe('login', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.service.close());

  test('token pair per the contract; access token claims and header per RFC 9068', async () => {
    const { user, pair } = await registerAndLogin(h, 'alice', 'correct horse');
    assert.equal(pair.token_type, 'Bearer');
    assert.equal(pair.expires_in, 900);
    assert.equal(pair.refresh_expires_in, 30 * 86400);
    assert.match(pair.refresh_token, /^ghr_[A-Za-z0-9_-]{43}$/);
    const { header, payload } = decodeJwt(pair.access_token);
    assert.equal(header.typ, 'at+jwt');
    assert.equal(header.alg, 'ES256');
    assert.equal(typeof header.kid, 'string');
    assert.deepEqual(Object.keys(payload).sort(), [
      'aud',
      'client_id',
      'exp',
      'iat',
      'iss',
      'jti',
      'roles',
      'sid',
      'sub',
      'username',
    ]);
    assert.equal(payload.sub, user.id);
    assert.equal(payload.sid, pair.session_id);
    assert.equal(payload.iss, 'http://127.0.0.1:5000');
    assert.equal(payload.aud, 'gatehouse');
    assert.equal(payload.client_id, 'gatehouse');
    assert.equal(payload.username, 'alice');
    assert.deepEqual(payload.roles, []);
    assert.equal(payload.iat, Math.floor(h.clock() / 1000));
    // Verifiable with nothing but the published JWKS, as a resource server would.
    const { jwks } = await h.service.jwks();
    const verified = verifyJwt(pair.access_token, importJwks(jwks), {
      algorithms: ['ES256'],
      typ: 'at+jwt',
      issuer: 'http://127.0.0.1:5000',
      audience: 'gatehouse',
      now: Math.floor(h.clock() / 1000),
    });
    assert.equal(verified.payload.jti, payload.jti);
    // The session is recorded with the request's metadata; only the refresh token's hash is stored.
    const session = await h.store.findSession(pair.session_id);
    assert.equal(session?.ip, REQ.ip);
    assert.equal(session?.userAgent, REQ.userAgent);
    const dump = JSON.stringify(h.store.database.prepare('SELECT * FROM refresh_tokens').all());
    assert.ok(!dump.includes(pair.refresh_token));
  });

  test('usernames are matched case-insensitively after NFKC', async () => {
    const pair = await h.service.login({ username: 'ＡＬＩＣＥ', password: 'correct horse' }, REQ);
    assert.ok(pair.access_token);
  });

  test('wrong password and unknown user: the same INVALID_CREDENTIALS', async () => {
    const wrong = await h.service.login({ username: 'alice', password: 'wrong horse' }, REQ).catch((e) => e);
    const unknown = await h.service
      .login({ username: 'nobody', password: 'wrong horse' }, REQ)
      .catch((e) => e);
    for (const err of [wrong, unknown]) {
      assert.equal(err.code, 'INVALID_CREDENTIALS');
      assert.equal(err.status, 401);
    }
    assert.equal(wrong.message, unknown.message);
  });

  test('unknown users are checked against the dummy argon2 hash, wrong passwords against their own', async () => {
    const ctx = await buildServiceContext(options({ store: await createSqliteStore({ path: ':memory:' }) }));
    try {
      const calls: string[] = [];
      const hasher = {
        ...ctx.hasher,
        verify: (phc: string, pw: string) => {
          calls.push('verify');
          return ctx.hasher.verify(phc, pw);
        },
        verifyDummy: (pw: string) => {
          calls.push('dummy');
          return ctx.hasher.verifyDummy(pw);
        },
      };
      const spied = { ...ctx, hasher };
      await register(spied, { username: 'kate', password: 'correct horse' }, REQ);
      await assert.rejects(login(spied, { username: 'ghost', password: 'some password' }, REQ), {
        code: 'INVALID_CREDENTIALS',
      });
      await assert.rejects(login(spied, { username: 'kate', password: 'some password' }, REQ), {
        code: 'INVALID_CREDENTIALS',
      });
      assert.deepEqual(calls, ['dummy', 'verify']);
    } finally {
      ctx.keyring.stop();
      await ctx.store.close();
    }
  });

  test('bad input: VALIDATION_FAILED, never a crash, no hash for a 1 MB password', async () => {
    for (const input of [
      { username: 'alice', password: 'x'.repeat(1024 * 1024) },
      { username: 'x'.repeat(10_000), password: 'correct horse' },
      { username: 'alice', password: 12345678 },
      { username: ['alice'], password: 'correct horse' },
      {},
      null,
    ]) {
      await assert.rejects(h.service.login(input as unknown as { username: string; password: string }, REQ), {
        code: 'VALIDATION_FAILED',
      });
    }
  });

  test('rehash on login when the stored parameters differ from the current ones', async () => {
    const h2 = await harness({ passwordHashing: { memoryCost: 128, timeCost: 1, parallelism: 1 } });
    const store = h2.store;
    await h2.service.register({ username: 'frank', password: 'correct horse' }, REQ);
    const old = (await store.findUserByUsernameKey('frank'))?.passwordHash;
    await h2.service.close().catch(() => {});
    assert.ok(old);
    // Same user row, new service with other parameters: login upgrades the hash.
    const h3 = await harness();
    await h3.store.createUser({
      id: 'u-frank',
      username: 'frank',
      usernameKey: 'frank',
      passwordHash: old,
      roles: [],
      now: h3.clock(),
    });
    await h3.service.login({ username: 'frank', password: 'correct horse' }, REQ);
    const upgraded = (await h3.store.findUserById('u-frank'))?.passwordHash ?? '';
    assert.notEqual(upgraded, old);
    assert.deepEqual(parseArgon2Phc(upgraded)?.params, FAST_HASHING);
    assert.ok(h3.events.some((e) => e.type === 'password_rehashed'));
    // ... and the password still works, with no second rehash.
    await h3.service.login({ username: 'frank', password: 'correct horse' }, REQ);
    assert.equal(h3.events.filter((e) => e.type === 'password_rehashed').length, 1);
    await h3.service.close();
  });
});

describe('locked accounts and throttling', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.service.register({ username: 'gina', password: 'correct horse' }, REQ);
    await h.service.register({ username: 'hank', password: 'correct horse' }, REQ);
  });
  after(() => h.service.close());

  test('ACCOUNT_LOCKED only after a correct password; a wrong one answers like an unknown user', async () => {
    await h.service.admin.lockUser('gina', 'test');
    await assert.rejects(h.service.login({ username: 'gina', password: 'wrong horse' }, REQ), {
      code: 'INVALID_CREDENTIALS',
    });
    await assert.rejects(h.service.login({ username: 'gina', password: 'correct horse' }, REQ), {
      code: 'ACCOUNT_LOCKED',
      status: 403,
    });
    await h.service.admin.unlockUser('gina', 'test');
    assert.ok(await h.service.login({ username: 'gina', password: 'correct horse' }, REQ));
  });

  test('10 failures per account in 15 minutes, then TOO_MANY_ATTEMPTS with retryAfter, even with the right password', async () => {
    for (let i = 0; i < 10; i++) {
      await assert.rejects(h.service.login({ username: 'hank', password: `wrong ${i} horse` }, REQ), {
        code: 'INVALID_CREDENTIALS',
      });
    }
    const err = await h.service.login({ username: 'hank', password: 'correct horse' }, REQ).catch((e) => e);
    assert.equal(err.code, 'TOO_MANY_ATTEMPTS');
    assert.equal(err.status, 429);
    assert.equal(err.retryAfter, 15 * 60);
    h.clock.advance(10 * 60 * 1000);
    assert.equal(
      (await h.service.login({ username: 'hank', password: 'correct horse' }, REQ).catch((e) => e))
        .retryAfter,
      5 * 60,
    );
    h.clock.advance(5 * 60 * 1000 + 1);
    assert.ok(await h.service.login({ username: 'hank', password: 'correct horse' }, REQ));
    assert.ok(h.events.some((e) => e.type === 'login' && e.outcome === 'throttled'));
  });

  test('a throttled unknown name answers exactly like a throttled real one (no oracle)', async () => {
    const codes: string[] = [];
    for (const username of ['hank', 'nobody-here']) {
      for (let i = 0; i < 11; i++)
        await h.service.login({ username, password: 'wrong horse' }, REQ).catch(() => {});
      const err = await h.service.login({ username, password: 'wrong horse' }, REQ).catch((e) => e);
      codes.push(`${err.code}:${err.retryAfter}`);
    }
    assert.equal(codes[0], codes[1]);
    assert.match(codes[0] ?? '', /^TOO_MANY_ATTEMPTS:/);
  });

  test('parallel guesses cannot exceed the limit (the attempt is charged before the check)', async () => {
    await h.service.register({ username: 'ivan', password: 'correct horse' }, REQ);
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) =>
        h.service.login({ username: 'ivan', password: `guess ${i} xx` }, REQ),
      ),
    );
    const codes = results.map((r) => (r.status === 'rejected' ? r.reason.code : 'OK'));
    assert.equal(codes.filter((c) => c === 'INVALID_CREDENTIALS').length, 10);
    assert.equal(codes.filter((c) => c === 'TOO_MANY_ATTEMPTS').length, 15);
  });

  test('a successful login clears the account’s failures', async () => {
    await h.service.register({ username: 'judy', password: 'correct horse' }, REQ);
    for (let i = 0; i < 9; i++)
      await h.service.login({ username: 'judy', password: 'wrong horse' }, REQ).catch(() => {});
    await h.service.login({ username: 'judy', password: 'correct horse' }, REQ);
    for (let i = 0; i < 9; i++)
      await h.service.login({ username: 'judy', password: 'wrong horse' }, REQ).catch(() => {});
    assert.ok(await h.service.login({ username: 'judy', password: 'correct horse' }, REQ));
  });
});

test('the default hashing parameters are OWASP argon2id (m = 19456, t = 2, p = 1)', async () => {
  const h = await harness({ passwordHashing: undefined });
  try {
    await h.service.register({ username: 'owasp', password: 'correct horse' }, REQ);
    const stored = await h.store.findUserByUsernameKey('owasp');
    const phc = parseArgon2Phc(stored?.passwordHash ?? '');
    assert.equal(phc?.type, 'argon2id');
    assert.equal(phc?.version, 19);
    assert.deepEqual(phc?.params, { ...OWASP_ARGON2ID });
    assert.deepEqual(phc?.params, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
  } finally {
    await h.service.close();
  }
});
