/** A real listening server on 127.0.0.1 (port 0) driven with fetch, and graceful shutdown. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeOnSignals } from '../../src/http/shutdown.js';
import { PASSWORD, startServer } from './helpers.js';

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

test('login → call → refresh → logout over a real socket', async () => {
  const h = await startServer({ logLevel: 'warn' });
  try {
    const base = await h.server.listen({ port: 0, host: '127.0.0.1' });
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(
      (await fetch(`${base}/auth/register`, json({ username: 'alice', password: PASSWORD }))).status,
      201,
    );
    const login = await fetch(`${base}/auth/login`, json({ username: 'alice', password: PASSWORD }));
    assert.equal(login.status, 200);
    assert.equal(login.headers.get('cache-control'), 'no-store');
    const pair = await login.json();

    const me = await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${pair.access_token}` } });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).username, 'alice');

    const refreshed = await fetch(`${base}/auth/token`, json({ refresh_token: pair.refresh_token }));
    assert.equal(refreshed.status, 200);
    const next = await refreshed.json();

    const logout = await fetch(`${base}/auth/logout`, json({ refresh_token: next.refresh_token }));
    assert.equal(logout.status, 204);
    const after = await fetch(`${base}/auth/me`, {
      headers: { authorization: `Bearer ${next.access_token}` },
    });
    assert.equal(after.status, 401);
    assert.equal(after.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.match(
      after.headers.get('www-authenticate') ?? '',
      /^Bearer realm="gatehouse", error="invalid_token"/,
    );

    const big = await fetch(
      `${base}/auth/login`,
      json({ username: 'alice', password: 'x'.repeat(1024 * 1024) }),
    );
    assert.equal(big.status, 413);
    assert.equal((await big.json()).code, 'PAYLOAD_TOO_LARGE');
  } finally {
    await h.close();
  }
});

test('graceful shutdown: in-flight requests finish, new ones are refused, the store is closed', async () => {
  const h = await startServer({ logLevel: 'warn' });
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let entered!: () => void;
  const inside = new Promise<void>((r) => {
    entered = r;
  });
  h.server.app.get('/__slow', async () => {
    entered();
    await gate;
    return { done: true };
  });
  const base = await h.server.listen({ port: 0, host: '127.0.0.1' });
  const slow = fetch(`${base}/__slow`);
  await inside;

  let stopped = false;
  const exitCodes: number[] = [];
  const remove = closeOnSignals(h.server, { signals: ['SIGUSR2'], exit: (code) => exitCodes.push(code) });
  try {
    process.emit('SIGUSR2', 'SIGUSR2');
    const closing = h.server.close().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(stopped, false, 'close waits for the in-flight request');
    const refused = await fetch(`${base}/healthz`).then(
      (r) => r.status,
      () => 'refused',
    );
    assert.ok(refused === 'refused' || refused === 503, `new request: ${refused}`);

    release();
    const res = await slow;
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { done: true });
    await closing;
    assert.equal(stopped, true);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(exitCodes, [0]);
    // The service and its storage are closed.
    const ready = await h.server.service.ready().catch(() => false);
    assert.equal(ready, false);
  } finally {
    remove();
    release();
    await h.close();
  }
});
