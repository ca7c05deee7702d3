import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { generateKey, type Key, signJwt } from '../../src/index.js';
import { createVerifier } from '../../src/verifier/create-verifier.js';
import type { VerifierOptions } from '../../src/verifier/options.js';
import { fakeClock, startAuthServer } from './helpers.js';

const rejects = (p: Promise<unknown>, code: string, reason?: string) =>
  assert.rejects(p, (e: { code?: string; reason?: string }) => {
    assert.equal(e.code, code);
    if (reason !== undefined) assert.equal(e.reason, reason);
    return true;
  });

describe('revocation feed', async () => {
  const key = generateKey('ES256', { kid: 'k1' });
  const server = await startAuthServer({ keys: [key] });
  after(() => server.close());
  const T0 = 1_800_000_000;

  function setup(extra: Partial<VerifierOptions> = {}, revocation: Record<string, unknown> = {}) {
    const clock = fakeClock(T0);
    const v = createVerifier({
      issuer: server.issuer,
      clock: clock.now,
      // No timers: the tests drive polls with syncRevocations() and the injected clock.
      revocation: {
        clientId: server.clientId,
        clientSecret: server.clientSecret,
        autoStart: false,
        interval: 5,
        ...revocation,
      },
      ...extra,
    });
    return { v, clock };
  }
  const sign = (k: Key, claims: Record<string, unknown>, now = T0) =>
    signJwt({ iss: server.issuer, sub: 'alice', sid: 's1', jti: 'j1', ...claims }, k, {
      typ: 'at+jwt',
      now,
      expiresIn: 900,
    });

  it('authenticates with HTTP Basic client credentials and follows the cursor', async () => {
    server.state.entries = [];
    const { v } = setup();
    await v.ready();
    assert.equal(server.state.lastFeedQuery?.get('after'), '0');
    server.revoke({ kind: 'jti', value: 'x', notBefore: null, expiresAt: T0 + 900 });
    await v.syncRevocations();
    const last = server.state.entries.at(-1)!.cursor;
    await v.syncRevocations();
    assert.equal(server.state.lastFeedQuery?.get('after'), String(last));
    const s = v.status().revocation!;
    assert.equal(s.cursor, last);
    assert.equal(s.up, true);
    assert.equal(s.deny.jti, 1);
    assert.equal(s.url, server.feedUrl);
    // Security: the client secret appears nowhere in what the verifier reports.
    assert.ok(!JSON.stringify(v.status()).includes(server.clientSecret));
    v.close();
  });

  for (const [kind, value, claims, header] of [
    ['jti', 'j-revoked', { jti: 'j-revoked' }, 'k1'],
    ['sid', 's-revoked', { sid: 's-revoked' }, 'k1'],
    ['sub', 'bob', { sub: 'bob', iat: T0 - 10 }, 'k1'],
  ] as const) {
    it(`a ${kind} entry blocks a CACHED token on the next request`, async () => {
      server.state.entries = [];
      const { v } = setup();
      const t = sign(key, claims);
      await v.verify(t);
      await v.verify(t);
      assert.equal(v.status().cache.hits, 1, 'the token is served from the cache');
      server.revoke({ kind, value, notBefore: kind === 'sub' ? T0 : null, expiresAt: T0 + 900 });
      await v.syncRevocations();
      await rejects(v.verify(t), 'TOKEN_REVOKED', kind);
      assert.equal(header, 'k1');
      if (kind === 'sub') {
        // A token issued at/after the cut-off (a new login) is fine.
        await v.verify(sign(key, { sub: 'bob', jti: 'new' }, T0 + 1));
      }
      v.close();
    });
  }

  it('a kid entry blocks cached tokens and drops the key from the cache', async () => {
    server.state.entries = [];
    const leaked = generateKey('ES256', { kid: 'leaked' });
    server.state.keys = [key, leaked];
    try {
      const { v } = setup();
      const t = sign(leaked, { jti: 'a' });
      await v.verify(t);
      server.revoke({ kind: 'kid', value: 'leaked', notBefore: null, expiresAt: T0 + 900 });
      await v.syncRevocations();
      await rejects(v.verify(t), 'TOKEN_REVOKED', 'kid');
      assert.equal(v.status().keys.keys, 1, 'key dropped from the cache');
      const fetches = server.state.counts.jwks;
      await rejects(v.verify(sign(leaked, { jti: 'b' })), 'TOKEN_REVOKED', 'kid');
      assert.equal(server.state.counts.jwks, fetches, 'no JWKS refetch for a revoked kid');
      await v.verify(sign(key, { jti: 'c' }));
      v.close();
    } finally {
      server.state.keys = [key];
    }
  });

  it('entries expire: dropped once every token they can hit has expired', async () => {
    server.state.entries = [];
    const { v, clock } = setup();
    server.revoke({ kind: 'jti', value: 'short', notBefore: null, expiresAt: T0 + 60 });
    server.revoke({ kind: 'jti', value: 'long', notBefore: null, expiresAt: T0 + 900 });
    server.revoke({ kind: 'sid', value: 'gone', notBefore: null, expiresAt: T0 - 100 });
    await v.ready();
    assert.equal(v.status().revocation!.deny.total, 2, 'an already expired entry is not stored');
    clock.advance(64); // within the 5 s tolerance: kept
    await v.syncRevocations();
    assert.equal(v.status().revocation!.deny.total, 2);
    clock.advance(2);
    await v.syncRevocations();
    assert.equal(v.status().revocation!.deny.total, 1);
    v.close();
  });

  it('feed outage: keeps the last state and serves, reporting staleness', async () => {
    server.state.entries = [];
    const { v, clock } = setup();
    server.revoke({ kind: 'jti', value: 'j-bad', notBefore: null, expiresAt: T0 + 900 });
    await v.ready();
    server.state.feedMode = 'error';
    try {
      clock.advance(120);
      await assert.rejects(v.syncRevocations());
      const s = v.status().revocation!;
      assert.equal(s.up, false);
      assert.equal(s.lastError, 'http_500');
      assert.equal(s.lagSeconds, 120);
      assert.equal(s.stale, false, 'no maxStaleness: never fails closed');
      await v.verify(sign(key, { jti: 'j-ok' }, T0 + 120));
      await rejects(v.verify(sign(key, { jti: 'j-bad' }, T0 + 120)), 'TOKEN_REVOKED');
    } finally {
      server.state.feedMode = 'up';
      v.close();
    }
  });

  it('feed outage with maxStaleness: serves, then fails closed with 503 REVOCATION_STALE, then recovers', async () => {
    server.state.entries = [];
    const { v, clock } = setup({}, { maxStaleness: '10s' });
    await v.ready();
    server.state.feedMode = 'reset';
    try {
      clock.advance(8);
      await assert.rejects(v.syncRevocations());
      await v.verify(sign(key, {}, clock.now()));
      clock.advance(3);
      await assert.rejects(v.syncRevocations());
      await rejects(v.verify(sign(key, {}, clock.now())), 'REVOCATION_STALE');
      assert.equal(v.status().revocation!.stale, true);
      assert.equal(v.status().revocation!.lastError, 'network');
      server.state.feedMode = 'up';
      await v.syncRevocations();
      await v.verify(sign(key, {}, clock.now()));
      assert.equal(v.status().revocation!.stale, false);
    } finally {
      server.state.feedMode = 'up';
      v.close();
    }
  });

  it('fails closed before the first successful poll when maxStaleness is set', async () => {
    const { v } = setup({}, { maxStaleness: 10, clientSecret: 'wrong-secret' });
    await rejects(v.verify(sign(key, {})), 'REVOCATION_STALE');
    await rejects(v.ready(), 'REVOCATION_STALE');
    assert.equal(v.status().revocation!.lastError, 'http_401');
    v.close();
  });

  it('a malformed feed body changes nothing and is reported', async () => {
    server.state.entries = [];
    const { v } = setup();
    await v.ready();
    server.state.feedMode = 'garbage';
    try {
      await assert.rejects(v.syncRevocations());
      assert.equal(v.status().revocation!.lastError, 'bad_body');
      assert.equal(v.status().revocation!.cursor, 0);
    } finally {
      server.state.feedMode = 'up';
      v.close();
    }
  });

  it('autoStart false: verify() starts a poll once the interval has passed, without waiting', async () => {
    server.state.entries = [];
    const { v, clock } = setup();
    await v.ready();
    const polls = server.state.counts.feed;
    const t = sign(key, { jti: 'od' });
    await v.verify(t);
    assert.equal(server.state.counts.feed, polls, 'not due yet');
    server.revoke({ kind: 'jti', value: 'od', notBefore: null, expiresAt: T0 + 900 });
    clock.advance(5);
    await v.verify(t); // starts the poll, answers from the current state
    await v.syncRevocations(); // joins the poll in flight
    assert.equal(server.state.counts.feed, polls + 1);
    await rejects(v.verify(t), 'TOKEN_REVOKED');
    v.close();
  });

  it('polls on its own (default 1 s interval): a revoked token is refused within 2 s', async () => {
    server.state.entries = [];
    const v = createVerifier({
      issuer: server.issuer,
      revocation: { clientId: server.clientId, clientSecret: server.clientSecret },
    });
    const t = signJwt({ iss: server.issuer, sub: 'a', jti: 'live' }, key, { typ: 'at+jwt', expiresIn: 900 });
    await v.verify(t);
    server.revoke({
      kind: 'jti',
      value: 'live',
      notBefore: null,
      expiresAt: Math.floor(Date.now() / 1000) + 900,
    });
    const revokedAt = Date.now();
    const deadline = revokedAt + 2000;
    let refused = false;
    while (!refused && Date.now() < deadline) {
      refused = await v.verify(t).then(
        () => false,
        (e: { code: string }) => e.code === 'TOKEN_REVOKED',
      );
      if (!refused) await new Promise((r) => setTimeout(r, 20));
    }
    v.close();
    assert.ok(refused, 'refused within 2 s');
    assert.ok(Date.now() - revokedAt <= 2000);
  });

  it('never keeps the process alive, even without close()', async () => {
    const { spawn } = await import('node:child_process');
    const script = `
      import { createVerifier } from ${JSON.stringify(new URL('../../src/verifier/create-verifier.ts', import.meta.url).href)};
      const v = createVerifier({ issuer: ${JSON.stringify(server.issuer)}, revocation: { clientId: ${JSON.stringify(server.clientId)}, clientSecret: ${JSON.stringify(server.clientSecret)} } });
      await v.ready();
      console.log('ready', v.status().revocation.up);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    const timer = setTimeout(() => child.kill(), 15_000);
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    assert.equal(code, 0, 'exited on its own');
    assert.equal(out.trim(), 'ready true');
  });

  it('long-poll: the server holds the request and answers as soon as an entry arrives', async () => {
    server.state.entries = [];
    const v = createVerifier({
      issuer: server.issuer,
      revocation: { clientId: server.clientId, clientSecret: server.clientSecret, wait: 20, interval: 1 },
    });
    await v.ready();
    await new Promise((r) => setTimeout(r, 50)); // the next request is now held by the server
    assert.equal(server.state.lastFeedQuery?.get('wait'), '20');
    const polls = server.state.counts.feed;
    server.revoke({
      kind: 'sid',
      value: 'held',
      notBefore: null,
      expiresAt: Math.floor(Date.now() / 1000) + 900,
    });
    const deadline = Date.now() + 2000;
    while (v.status().revocation!.deny.sid === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(v.status().revocation!.deny.sid, 1);
    assert.ok(server.state.counts.feed - polls <= 2, 'no busy polling');
    v.close();
  });
});
