import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeJwt, importJwks, signJwt, verifyJwt } from 'gatehouse';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify as joseVerify } from 'jose';
import { buildServiceContext } from '../../src/service/build-context.js';
import { authServiceOn } from '../../src/service/create-auth-service.js';
import { createKeyring } from '../../src/service/keyring.js';
import { createSqliteStore } from '../../src/storage/sqlite/index.js';
import { harness, manualClock, options, REQ, registerAndLogin } from './helpers.js';

const execFileAsync = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-keyring-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(dir, `k${n++}.db`);

describe('first start', () => {
  test('generates one ES256 key, active at once, kid = thumbprint, published in the JWKS', async () => {
    const h = await harness();
    try {
      const keys = await h.service.admin.listKeys();
      assert.equal(keys.length, 1);
      const [k] = keys;
      assert.equal(k?.alg, 'ES256');
      assert.equal(k?.status, 'active');
      assert.equal(k?.activatesAt, new Date(h.clock()).toISOString());
      const { jwks, maxAge } = await h.service.jwks();
      assert.equal(maxAge, 30); // keyPropagation 60 s / 2
      assert.equal(jwks.keys.length, 1);
      const jwk = jwks.keys[0];
      assert.equal(jwk?.kid, k?.kid);
      assert.equal(jwk?.use, 'sig');
      assert.equal(jwk?.alg, 'ES256');
      assert.equal(jwk?.d, undefined, 'no private part in the JWKS');
      assert.ok(h.events.some((e) => e.type === 'key_generated' && e.kid === k?.kid));
      // Stored private key is plain JSON when no encryption secret is set.
      const [record] = await h.store.listSigningKeys();
      assert.equal(JSON.parse(record?.privateJwk ?? '{}').kty, 'EC');
    } finally {
      await h.service.close();
    }
  });

  test('JWKS max-age fits the key-propagation delay: min(300, max(5, propagation / 2))', async () => {
    for (const [keyPropagation, expected] of [
      [0, 5],
      [60, 30],
      [3600, 300],
    ] as const) {
      const h = await harness({ keyPropagation });
      assert.equal((await h.service.jwks()).maxAge, expected);
      await h.service.close();
    }
  });

  test('a restart reuses the stored key', async () => {
    const path = dbPath();
    const a = authServiceOn(
      await buildServiceContext(options({ store: await createSqliteStore({ path }) })),
      60,
    );
    const kidA = (await a.admin.listKeys())[0]?.kid;
    await a.close();
    const b = authServiceOn(
      await buildServiceContext(options({ store: await createSqliteStore({ path }) })),
      60,
    );
    const keys = await b.admin.listKeys();
    await b.close();
    assert.equal(keys.length, 1);
    assert.equal(keys[0]?.kid, kidA);
  });
});

describe('several instances on one database', () => {
  test('processes starting at once on an empty database converge on one signing key', async () => {
    const path = dbPath();
    // Create the schema first: the race under test is key generation, not migration.
    await (await createSqliteStore({ path })).close();
    const child = fileURLToPath(new URL('./fixtures/start-keyring.ts', import.meta.url));
    const runs = await Promise.all(
      [1, 2, 3].map(() =>
        execFileAsync(process.execPath, ['--import', 'tsx', child, path], { timeout: 60_000 }),
      ),
    );
    const printed = runs.map((r) => JSON.parse(r.stdout).kid as string);
    const store = await createSqliteStore({ path });
    try {
      const keys = await store.listSigningKeys();
      const unretired = keys.filter((k) => k.retiredAt === null && k.revokedAt === null);
      assert.equal(unretired.length, 1, JSON.stringify(keys.map((k) => [k.kid, k.retiredAt])));
      // Every key a process may have signed with stays published until its tokens expired.
      for (const kid of printed) {
        const k = keys.find((r) => r.kid === kid);
        assert.ok(k && (k.publishUntil === null || k.publishUntil >= k.createdAt + 900_000));
      }
      // A later instance picks the same signer.
      const ring = createKeyring({
        store,
        alg: 'ES256',
        keyPropagation: 60,
        accessTtl: 900,
        clock: Date.now,
      });
      await ring.start();
      ring.stop();
      assert.equal(ring.signingKey(Date.now()).kid, unretired[0]?.kid);
    } finally {
      await store.close();
    }
  });

  test('two services on one database verify each other’s tokens and share sessions', async () => {
    const path = dbPath();
    const clock = manualClock();
    // Two connections, as two processes would have (started one after the other: two
    // connections of ONE process must not hold overlapping write transactions).
    const a = authServiceOn(
      await buildServiceContext(options({ clock, store: await createSqliteStore({ path }) })),
      60,
    );
    const b = authServiceOn(
      await buildServiceContext(options({ clock, store: await createSqliteStore({ path }) })),
      60,
    );
    try {
      await a.register({ username: 'alice', password: 'correct horse' }, REQ);
      const viaA = await a.login({ username: 'alice', password: 'correct horse' }, REQ);
      const viaB = await b.login({ username: 'alice', password: 'correct horse' }, REQ);
      await b.authenticate(viaA.access_token);
      await a.authenticate(viaB.access_token);
      assert.equal(decodeJwt(viaA.access_token).header.kid, decodeJwt(viaB.access_token).header.kid);
      await b.refresh(viaA.refresh_token, REQ);
      await a.logout(viaB.refresh_token, REQ);
      await assert.rejects(b.authenticate(viaB.access_token), { code: 'TOKEN_REVOKED' });
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('encryption at rest', () => {
  test('with keyEncryptionSecret the private JWK is stored as enc:v1 and still signs after a restart', async () => {
    const path = dbPath();
    const secret = 'a long operator secret for the keys';
    const a = authServiceOn(
      await buildServiceContext(
        options({ keyEncryptionSecret: secret, store: await createSqliteStore({ path }) }),
      ),
      60,
    );
    await a.register({ username: 'alice', password: 'correct horse' }, REQ);
    const first = await a.login({ username: 'alice', password: 'correct horse' }, REQ);
    await a.close();

    const raw = await createSqliteStore({ path });
    const [record] = await raw.listSigningKeys();
    await raw.close();
    assert.match(record?.privateJwk ?? '', /^enc:v1:/);
    assert.doesNotMatch(record?.privateJwk ?? '', /"d"/);

    const b = authServiceOn(
      await buildServiceContext(
        options({ keyEncryptionSecret: secret, store: await createSqliteStore({ path }) }),
      ),
      60,
    );
    try {
      await b.authenticate(first.access_token);
      const second = await b.login({ username: 'alice', password: 'correct horse' }, REQ);
      assert.equal(decodeJwt(second.access_token).header.kid, record?.kid);
    } finally {
      await b.close();
    }
  });

  test('a wrong or missing secret stops start-up with OPTION_INVALID naming the variable, not the secret', async () => {
    const path = dbPath();
    const secret = 'the right secret value';
    const a = await buildServiceContext(
      options({ keyEncryptionSecret: secret, store: await createSqliteStore({ path }) }),
    );
    a.keyring.stop();
    await a.store.close();
    for (const keyEncryptionSecret of ['the wrong secret value', undefined]) {
      const store = await createSqliteStore({ path });
      const err = await buildServiceContext(options({ keyEncryptionSecret, store })).catch((e) => e);
      await store.close();
      assert.equal(err?.code, 'OPTION_INVALID');
      assert.match(err.message, /GATEHOUSE_KEY_ENCRYPTION_SECRET/);
      assert.doesNotMatch(err.message, /secret value/);
    }
  });
});

describe('HS256 mode', () => {
  const hsSecret = 'an HS256 shared secret of 32+ bytes!!';

  test('signs with the configured secret, stores nothing, publishes nothing', async () => {
    const h = await harness({ alg: 'HS256', hsSecret });
    try {
      const { pair } = await registerAndLogin(h);
      assert.equal(decodeJwt(pair.access_token).header.alg, 'HS256');
      await h.service.authenticate(pair.access_token);
      assert.deepEqual((await h.service.jwks()).jwks, { keys: [] });
      assert.deepEqual(await h.store.listSigningKeys(), []);
      assert.deepEqual(await h.service.admin.listKeys(), []);
    } finally {
      await h.service.close();
    }
  });

  test('a missing or short secret is OPTION_INVALID naming GATEHOUSE_HS_SECRET, never echoing it', async () => {
    for (const secret of [undefined, 'tiny-secret']) {
      const err = await harness({ alg: 'HS256', hsSecret: secret }).catch((e) => e);
      assert.equal(err?.code, 'OPTION_INVALID');
      assert.match(err.message, /GATEHOUSE_HS_SECRET/);
      assert.doesNotMatch(err.message, /tiny-secret/);
    }
  });
});

describe('rotation and revocation (the keyring side of `keys rotate` / `keys revoke`)', () => {
  test('rotate: the new key is published at once and signs after keyPropagation; the old one stays published', async () => {
    const path = dbPath();
    const clock = manualClock();
    const ctx = await buildServiceContext(options({ clock, store: await createSqliteStore({ path }) }));
    const service = authServiceOn(ctx, 60);
    try {
      await service.register({ username: 'alice', password: 'correct horse' }, REQ);
      const oldKid = ctx.keyring.signingKey(clock()).kid;
      const before = await service.login({ username: 'alice', password: 'correct horse' }, REQ);
      const view = await ctx.keyring.rotate();
      assert.equal(view.status, 'pending');
      assert.equal((await service.jwks()).jwks.keys.length, 2);
      assert.equal(ctx.keyring.signingKey(clock()).kid, oldKid);
      clock.advance(60_000);
      const newKid = ctx.keyring.signingKey(clock()).kid;
      assert.equal(newKid, view.kid);
      const afterRotation = await service.login({ username: 'alice', password: 'correct horse' }, REQ);
      assert.equal(decodeJwt(afterRotation.access_token).header.kid, newKid);
      // Tokens of the old key still verify while they live.
      await service.authenticate(before.access_token);
      const statuses = Object.fromEntries((await service.admin.listKeys()).map((k) => [k.kid, k.status]));
      assert.deepEqual(statuses, { [oldKid]: 'retired', [newKid]: 'active' });
      // After every token of the old key expired, it leaves the JWKS.
      clock.advance((900 + 6) * 1000 + 1);
      await ctx.keyring.reload();
      assert.deepEqual(
        (await service.jwks()).jwks.keys.map((k) => k.kid),
        [newKid],
      );
    } finally {
      await service.close();
    }
  });

  test('revoke: out of the JWKS at once, its tokens refused, a kid entry appended, a new key generated', async () => {
    const h = await harness();
    try {
      const ctx = await buildServiceContext(options({ clock: h.clock, store: h.store }));
      const { pair } = await registerAndLogin(h);
      const kid = decodeJwt(pair.access_token).header.kid as string;
      assert.equal(await ctx.keyring.revoke(kid), true);
      assert.equal(await ctx.keyring.revoke(kid), false);
      ctx.keyring.stop();
      await h.service.admin.listKeys(); // reloads the service's own keyring
      await assert.rejects(h.service.authenticate(pair.access_token), {
        code: 'TOKEN_REVOKED',
        claim: 'kid',
      });
      const { jwks } = await h.service.jwks();
      assert.ok(!jwks.keys.some((k) => k.kid === kid));
      assert.equal(jwks.keys.length, 1);
      const entry = (await h.store.listRevocationsAfter(0, 10, h.clock())).find((e) => e.kind === 'kid');
      assert.equal(entry?.value, kid);
      const fresh = await h.service.login({ username: 'alice', password: 'correct horse' }, REQ);
      assert.notEqual(decodeJwt(fresh.access_token).header.kid, kid);
      await h.service.authenticate(fresh.access_token);
    } finally {
      await h.service.close();
    }
  });
});

describe('signing algorithms', () => {
  for (const alg of ['ES256', 'EdDSA', 'RS256', 'PS256'] as const) {
    test(`${alg}: tokens verify against the published JWKS`, async () => {
      const h = await harness({ alg });
      try {
        const { pair } = await registerAndLogin(h);
        const { header } = decodeJwt(pair.access_token);
        assert.equal(header.alg, alg);
        assert.equal(header.typ, 'at+jwt');
        const { jwks } = await h.service.jwks();
        const verified = verifyJwt(pair.access_token, importJwks(jwks), {
          algorithms: [alg],
          typ: 'at+jwt',
          issuer: 'http://127.0.0.1:5000',
          audience: 'gatehouse',
          now: Math.floor(h.clock() / 1000),
        });
        assert.equal(verified.payload.sid, pair.session_id);
        await h.service.authenticate(pair.access_token);
        // An independent implementation agrees (jose, RFC 9068 typ check included).
        const jose = await joseVerify(pair.access_token, createLocalJWKSet(jwks as JSONWebKeySet), {
          algorithms: [alg],
          typ: 'at+jwt',
          issuer: 'http://127.0.0.1:5000',
          audience: 'gatehouse',
          currentDate: new Date(h.clock()),
        });
        assert.equal(jose.payload.jti, verified.payload.jti);
      } finally {
        await h.service.close();
      }
    });
  }

  test('a token of ours with the wrong typ or audience is refused', async () => {
    const h = await harness();
    try {
      const ctx = await buildServiceContext(options({ clock: h.clock, store: h.store }));
      ctx.keyring.stop();
      const { pair } = await registerAndLogin(h);
      const { payload } = decodeJwt(pair.access_token);
      const key = ctx.keyring.signingKey(h.clock());
      await assert.rejects(h.service.authenticate(signJwt(payload, key, { typ: 'JWT' })), {
        code: 'TOKEN_TYPE_INVALID',
      });
      await assert.rejects(
        h.service.authenticate(signJwt({ ...payload, aud: 'other' }, key, { typ: 'at+jwt' })),
        {
          code: 'CLAIM_INVALID',
        },
      );
      const { roles: _r, ...noRoles } = payload;
      await assert.rejects(h.service.authenticate(signJwt(noRoles, key, { typ: 'at+jwt' })), {
        code: 'CLAIM_INVALID',
      });
      await assert.rejects(
        h.service.authenticate(signJwt({ ...payload, roles: 'admin' }, key, { typ: 'at+jwt' })),
        {
          code: 'CLAIM_INVALID',
        },
      );
    } finally {
      await h.service.close();
    }
  });
});

test('createKeyring alone: reload timer is unref’d and stop() clears it', async () => {
  const store = await createSqliteStore({ path: ':memory:' });
  const keyring = createKeyring({
    store,
    alg: 'ES256',
    keyPropagation: 0,
    accessTtl: 60,
    clock: Date.now,
    reloadIntervalMs: 50,
  });
  await keyring.start();
  await new Promise((r) => setTimeout(r, 120)); // two reloads on the real timer
  assert.equal(keyring.list(Date.now()).length, 1);
  keyring.stop();
  await store.close();
});
