/**
 * User enumeration on a real server: unknown user, wrong password and a locked account with a
 * wrong password give the same status and body, and — measured with the real OWASP argon2id
 * parameters (m = 19 MiB, t = 2, p = 1) — a similar time. The timing figure is REPORTED
 * (test diagnostic); the only assertion on it is a generous bound (medians within a factor
 * of 2) that a missing dummy verification (~100x faster) would break, never a tight one.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { http, type LiveServer, PASSWORD, startLive } from './helpers.js';

const OWASP = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
const SAMPLES = 15;
const REAL_USERS = ['enum-a', 'enum-b', 'enum-c'];

let live: LiveServer;
before(async () => {
  live = await startLive({ extra: { passwordHashing: OWASP } });
  for (const username of [...REAL_USERS, 'enum-locked']) {
    const res = await http(live, 'POST', '/auth/register', { body: { username, password: PASSWORD } });
    assert.equal(res.status, 201);
  }
  await live.harness.server.service.admin.lockUser('enum-locked', 'test');
});
after(() => live.close());

async function timedLogin(username: string, password: string) {
  const start = performance.now();
  const res = await http(live, 'POST', '/auth/login', { body: { username, password } });
  return { ms: performance.now() - start, res };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function comparable(res: { status: number; text: string; headers: Headers }) {
  const body = JSON.parse(res.text);
  delete body.instance;
  return {
    status: res.status,
    body,
    type: res.headers.get('content-type'),
    retry: res.headers.get('retry-after'),
  };
}

describe('enumeration', () => {
  test('same status, body and headers for unknown user, wrong password and locked account', async () => {
    const unknown = await timedLogin('enum-nobody', 'wrong-password-1');
    const wrong = await timedLogin('enum-a', 'wrong-password-1');
    const locked = await timedLogin('enum-locked', 'wrong-password-1');
    assert.equal(unknown.res.status, 401);
    assert.deepEqual(comparable(unknown.res), comparable(wrong.res));
    assert.deepEqual(comparable(unknown.res), comparable(locked.res));
    // ACCOUNT_LOCKED only after a correct password.
    const right = await timedLogin('enum-locked', PASSWORD);
    assert.equal(right.res.json().code, 'ACCOUNT_LOCKED');
  });

  test('time: unknown user vs wrong password, OWASP argon2id, interleaved samples (reported)', async (t) => {
    const unknown: number[] = [];
    const wrong: number[] = [];
    // Warm-up (first requests pay for JIT and connection set-up).
    await timedLogin('enum-warm', 'warm-up-password');
    for (let i = 0; i < SAMPLES; i++) {
      const user = REAL_USERS[i % REAL_USERS.length] ?? 'enum-a';
      const w = await timedLogin(user, `wrong-password-${i}`);
      const u = await timedLogin(`enum-ghost-${i}`, `wrong-password-${i}`);
      assert.equal(w.res.status, 401);
      assert.equal(u.res.status, 401);
      wrong.push(w.ms);
      unknown.push(u.ms);
    }
    const mw = median(wrong);
    const mu = median(unknown);
    const diff = (Math.abs(mu - mw) / mw) * 100;
    const line = `login time, median of ${SAMPLES}: wrong password ${mw.toFixed(1)} ms, unknown user ${mu.toFixed(1)} ms, difference ${diff.toFixed(1)}%`;
    t.diagnostic(line);
    assert.ok(mu > mw / 2 && mu < mw * 2, line);
  });
});
