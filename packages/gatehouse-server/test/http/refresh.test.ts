/**
 * Refresh-token rotation over HTTP under an injected clock: grace, reuse detection (the whole
 * session ends), expiry, and many parallel refreshes with one token (one linear chain).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, type Harness, login, problem, startServer } from './helpers.js';

function clockAt(start: number) {
  const clock = { now: start, tick: (seconds: number) => (clock.now += seconds * 1000) };
  return clock;
}

async function withServer(
  env: Record<string, string>,
  fn: (h: Harness, clock: ReturnType<typeof clockAt>) => Promise<void>,
) {
  const clock = clockAt(Date.UTC(2030, 0, 1));
  const h = await startServer({ env, clock: () => clock.now, logLevel: 'warn' });
  try {
    await fn(h, clock);
  } finally {
    await h.close();
  }
}

const refresh = (h: Harness, token: string) =>
  call(h.server, 'POST', '/auth/token', { body: { refresh_token: token } });

describe('refresh rotation', () => {
  test('the predecessor works within the grace period, then is reuse: the whole session ends', async () => {
    await withServer({ GATEHOUSE_REFRESH_REUSE_GRACE: '10s' }, async (h, clock) => {
      const first = await login(h.server);
      const r1 = await refresh(h, first.refresh_token);
      assert.equal(r1.statusCode, 200);
      clock.tick(5);
      const graced = await refresh(h, first.refresh_token);
      assert.equal(graced.statusCode, 200, 'predecessor within grace');
      const current = graced.json();
      assert.equal(current.session_id, first.session_id);
      assert.equal(current.refresh_token, r1.json().refresh_token, 'the grace returns the same successor');

      clock.tick(11);
      const reused = await refresh(h, first.refresh_token);
      assert.equal(reused.statusCode, 401);
      assert.equal(problem(reused).code, 'REFRESH_TOKEN_REUSED');
      // The whole session is revoked: its newest refresh token and its access tokens too.
      const after = await refresh(h, current.refresh_token);
      assert.equal(after.statusCode, 401);
      const me = await call(h.server, 'GET', '/auth/me', { token: current.access_token });
      assert.equal(me.statusCode, 401);

      const metrics = await call(h.server, 'GET', '/metrics');
      assert.match(metrics.body, /^gatehouse_refresh_reuse_detected_total 1$/m);
      assert.match(metrics.body, /^gatehouse_refreshes_total\{outcome="reused"\} 1$/m);
    });
  });

  test('an older generation is reuse at once, even within grace', async () => {
    await withServer({ GATEHOUSE_REFRESH_REUSE_GRACE: '10s' }, async (h) => {
      const g1 = await login(h.server);
      const g2 = (await refresh(h, g1.refresh_token)).json();
      const g3 = await refresh(h, g2.refresh_token);
      assert.equal(g3.statusCode, 200);
      const old = await refresh(h, g1.refresh_token);
      assert.equal(old.statusCode, 401);
      assert.equal(problem(old).code, 'REFRESH_TOKEN_REUSED');
      assert.equal((await refresh(h, g3.json().refresh_token)).statusCode, 401);
    });
  });

  test('grace 0: a rotated token is reuse at once', async () => {
    await withServer({ GATEHOUSE_REFRESH_REUSE_GRACE: '0' }, async (h) => {
      const g1 = await login(h.server);
      assert.equal((await refresh(h, g1.refresh_token)).statusCode, 200);
      const again = await refresh(h, g1.refresh_token);
      assert.equal(problem(again).code, 'REFRESH_TOKEN_REUSED');
    });
  });

  test('the session ends at GATEHOUSE_REFRESH_TTL and after GATEHOUSE_REFRESH_IDLE_TTL unused', async () => {
    await withServer({ GATEHOUSE_REFRESH_TTL: '1h', GATEHOUSE_REFRESH_IDLE_TTL: '10m' }, async (h, clock) => {
      const a = await login(h.server, 'abs');
      let token = a.refresh_token;
      for (let i = 0; i < 7; i++) {
        clock.tick(9 * 60);
        const r = await refresh(h, token);
        if (i < 6) {
          assert.equal(r.statusCode, 200, `refresh ${i}`);
          token = r.json().refresh_token;
        } else {
          // 63 minutes after login: past the absolute lifetime.
          assert.equal(r.statusCode, 401);
          assert.equal(problem(r).code, 'INVALID_REFRESH_TOKEN');
        }
      }
      const b = await login(h.server, 'idle');
      clock.tick(11 * 60);
      const idle = await refresh(h, b.refresh_token);
      assert.equal(idle.statusCode, 401);
      assert.equal(problem(idle).code, 'INVALID_REFRESH_TOKEN');
    });
  });

  test('an expired access token → 401 TOKEN_EXPIRED with error="invalid_token"', async () => {
    await withServer({ GATEHOUSE_ACCESS_TTL: '1m' }, async (h, clock) => {
      const pair = await login(h.server);
      assert.equal(pair.expires_in, 60);
      clock.tick(120);
      const res = await call(h.server, 'GET', '/auth/me', { token: pair.access_token });
      assert.equal(res.statusCode, 401);
      assert.equal(problem(res).code, 'TOKEN_EXPIRED');
      assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/);
    });
  });

  test('many parallel refreshes with one token and no grace: exactly one wins', async () => {
    await withServer({ GATEHOUSE_REFRESH_REUSE_GRACE: '0' }, async (h) => {
      const pair = await login(h.server);
      const results = await Promise.all(Array.from({ length: 25 }, () => refresh(h, pair.refresh_token)));
      const ok = results.filter((r) => r.statusCode === 200);
      assert.equal(ok.length, 1);
      for (const r of results) {
        if (r.statusCode !== 200) {
          assert.equal(r.statusCode, 401);
          assert.ok(['REFRESH_TOKEN_REUSED', 'INVALID_REFRESH_TOKEN'].includes(problem(r).code));
        }
      }
    });
  });

  test('many parallel refreshes with one token within grace: all succeed with the same successor', async () => {
    await withServer({ GATEHOUSE_REFRESH_REUSE_GRACE: '10s' }, async (h, clock) => {
      const pair = await login(h.server);
      const results = await Promise.all(Array.from({ length: 25 }, () => refresh(h, pair.refresh_token)));
      // Parallel tabs are never logged out: every racer gets 200 and the one sealed successor.
      for (const r of results) assert.equal(r.statusCode, 200, `${r.statusCode} ${r.body}`);
      const pairs = results.map((r) => r.json());
      assert.deepEqual(new Set(pairs.map((p) => p.session_id)), new Set([pair.session_id]));
      const successors = new Set(pairs.map((p) => p.refresh_token));
      assert.equal(successors.size, 1, 'one chain: every racer holds the same refresh token');
      assert.notEqual([...successors][0], pair.refresh_token);
      // Every racer still gets its own access token.
      assert.equal(new Set(pairs.map((p) => p.access_token)).size, 25);

      // Past the grace period the successor works (once), and the original is reuse.
      clock.tick(11);
      const next = await refresh(h, [...successors][0]!);
      assert.equal(next.statusCode, 200);
      const reused = await refresh(h, pair.refresh_token);
      assert.equal(reused.statusCode, 401);
      assert.equal(problem(reused).code, 'REFRESH_TOKEN_REUSED');
      // Reuse revoked the whole session, the newest generation included.
      const dead = await refresh(h, next.json().refresh_token);
      assert.equal(dead.statusCode, 401);
    });
  });
});
