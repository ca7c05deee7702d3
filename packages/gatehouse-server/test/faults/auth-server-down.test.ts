/**
 * The auth server goes down under two Express resource servers (gatehouse/express with the
 * issuer's JWKS and the revocation feed). Both keep verifying with their cached keys and the
 * last revocation state (a revoked session stays refused), report the outage in status();
 * the one configured with `maxStaleness` fails closed (503 REVOCATION_STALE + Retry-After)
 * once its last good poll is older than that, the other keeps going (documented fail-open).
 * Time moves through an injected clock, not by sleeping.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { authenticate, type GatehouseMiddleware } from 'gatehouse/express';
import { freePort } from '../cli/helpers.js';
import { type Harness, login, startServer } from '../http/helpers.js';

const MAX_STALENESS = 30;
let offset = 0;
const clock = () => Date.now() / 1000 + offset;

interface Rs {
  url: string;
  auth: GatehouseMiddleware;
  server: Server;
}

async function resourceServer(base: string, id: string, secret: string, maxStaleness?: number): Promise<Rs> {
  const app = express();
  const auth = authenticate({
    issuer: base,
    audience: 'gatehouse',
    clock,
    revocation: {
      clientId: id,
      clientSecret: secret,
      interval: 0.1,
      wait: 0,
      timeout: 1,
      ...(maxStaleness === undefined ? {} : { maxStaleness }),
    },
  });
  app.get('/whoami', auth, (req, res) => {
    res.json({ sub: req.auth?.claims.sub });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, auth, server };
}

async function status(
  rs: Rs,
  token: string,
): Promise<{ status: number; code?: string; retryAfter: string | null }> {
  const res = await fetch(`${rs.url}/whoami`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { code?: string };
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    ...(body.code ? { code: body.code } : {}),
  };
}

/** Polls `check` until it holds; fails after `limitMs` (a bound, not a timing assertion). */
async function eventually(
  check: () => Promise<boolean> | boolean,
  limitMs: number,
  what: string,
): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`not within ${limitMs} ms: ${what}`);
    await sleep(20);
  }
}

let h: Harness;
let strict: Rs;
let lenient: Rs;
before(async () => {
  const port = await freePort();
  h = await startServer({ logLevel: 'silent', env: { GATEHOUSE_PORT: String(port) } });
  const base = await h.server.listen({ host: '127.0.0.1', port });
  const { client_id, client_secret } = await h.server.service.clients.add('fault-tests');
  strict = await resourceServer(base, client_id, client_secret, MAX_STALENESS);
  lenient = await resourceServer(base, client_id, client_secret);
});
after(async () => {
  for (const rs of [strict, lenient]) {
    rs.auth.verifier.close();
    rs.server.closeAllConnections();
    await new Promise((r) => rs.server.close(r));
  }
  await h.close();
});

test('auth server down: cached keys and last revocation state, staleness reported, fail closed after maxStaleness', async () => {
  const alive = await login(h.server, 'alive');
  const revoked = await login(h.server, 'gone');
  for (const rs of [strict, lenient]) assert.equal((await status(rs, revoked.access_token)).status, 200);
  // Revoke one session and let both resource servers learn it from the feed.
  const logout = await h.server.app.inject({
    method: 'POST',
    url: '/auth/logout',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${revoked.access_token}` },
    payload: JSON.stringify({ refresh_token: revoked.refresh_token }),
  });
  assert.equal(logout.statusCode, 204, logout.body);
  for (const rs of [strict, lenient])
    await eventually(
      async () => (await status(rs, revoked.access_token)).status === 401,
      10_000,
      'revocation seen',
    );

  await h.server.close();
  for (const rs of [strict, lenient]) {
    await eventually(() => rs.auth.verifier.status().revocation?.up === false, 10_000, 'outage noticed');
    // Cached keys: a valid token still verifies; the last revocation state still applies.
    assert.equal((await status(rs, alive.access_token)).status, 200);
    assert.equal((await status(rs, revoked.access_token)).status, 401);
    const s = rs.auth.verifier.status();
    assert.equal(s.revocation?.stale, false);
    assert.ok(s.revocation?.lastError, 'the failure is named');
    assert.equal(s.revocation?.deny.sid, 1, 'the revoked session is still in the deny set');
  }

  // Past maxStaleness since the last good poll.
  offset = MAX_STALENESS + 5;
  const closed = await status(strict, alive.access_token);
  assert.equal(closed.status, 503);
  assert.equal(closed.code, 'REVOCATION_STALE');
  assert.match(closed.retryAfter ?? '', /^[1-9]\d*$/);
  const s = strict.auth.verifier.status();
  assert.equal(s.revocation?.stale, true);
  assert.ok((s.revocation?.lagSeconds ?? 0) > MAX_STALENESS);
  // Without maxStaleness: keeps verifying (fail-open by configuration), lag still reported.
  assert.equal((await status(lenient, alive.access_token)).status, 200);
  assert.equal((await status(lenient, revoked.access_token)).status, 401);
  assert.ok((lenient.auth.verifier.status().revocation?.lagSeconds ?? 0) > MAX_STALENESS);
});
