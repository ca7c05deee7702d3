/**
 * Brute force against a real server: per-account and per-IP throttling with Retry-After,
 * no oracle between real and unknown names, exponential back-off that decays, the
 * known-device bypass that keeps an attacker from locking the real user out, registration
 * limits, X-Forwarded-For only behind a trusted proxy, and the audit trail of it all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSqliteStore } from '../../src/storage/sqlite/index.js';
import { http, type LiveServer, loginLive, PASSWORD, startLive } from './helpers.js';

const MIN = 60_000;

function manualClock(start = Date.UTC(2030, 0, 1)) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

async function attempt(
  live: LiveServer,
  username: string,
  password: string,
  headers: Record<string, string> = {},
) {
  return http(live, 'POST', '/auth/login', { body: { username, password }, headers });
}

describe('per-account throttling', () => {
  const clock = manualClock();
  let live: LiveServer;
  before(async () => {
    live = await startLive({ clock: clock.now });
    await loginLive(live, 'victim');
  });
  after(() => live.close());

  test('10 failures, then 429 + Retry-After even for the right password; an unknown name answers the same', async () => {
    const answers: Record<string, { status: number; retry: string | null; body: unknown }> = {};
    for (const name of ['victim', 'no-such-user']) {
      for (let i = 0; i < 10; i++) assert.equal((await attempt(live, name, `guess-${i}-xxxx`)).status, 401);
      const res = await attempt(live, name, PASSWORD);
      const body = res.json();
      delete body.instance;
      answers[name] = { status: res.status, retry: res.headers.get('retry-after'), body };
    }
    assert.equal(answers.victim?.status, 429);
    assert.equal(answers.victim?.retry, String(15 * 60));
    assert.deepEqual(answers.victim, answers['no-such-user']);
  });

  test('the lock decays; a second offence backs off twice as long; the password clears it', async () => {
    clock.advance(15 * MIN + 1000);
    for (let i = 0; i < 10; i++) await attempt(live, 'victim', `again-${i}-xxxx`);
    const second = await attempt(live, 'victim', PASSWORD);
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('retry-after'), String(30 * 60));
    clock.advance(29 * MIN);
    assert.equal((await attempt(live, 'victim', PASSWORD)).status, 429);
    clock.advance(1 * MIN + 1000);
    assert.equal((await attempt(live, 'victim', PASSWORD)).status, 200);
    // Success reset the strikes: the next offence starts again at 15 minutes.
    for (let i = 0; i < 10; i++) await attempt(live, 'victim', `third-${i}-xxxx`);
    assert.equal((await attempt(live, 'victim', PASSWORD)).headers.get('retry-after'), String(15 * 60));
  });

  test('known device: the refresh cookie of a live session lets the real user in while the account is locked', async () => {
    clock.advance(16 * MIN);
    const own = await attempt(live, 'victim', PASSWORD);
    assert.equal(own.status, 200);
    const cookie = (own.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    assert.match(cookie, /^gatehouse_refresh=ghr_/);
    for (let i = 0; i < 12; i++) await attempt(live, 'victim', `flood-${i}-xxxx`);
    assert.equal((await attempt(live, 'victim', PASSWORD)).status, 429, 'no cookie: locked');
    assert.equal((await attempt(live, 'victim', PASSWORD, { cookie })).status, 200, 'with cookie: in');
    // The device has its own limit: a stolen cookie buys no extra guesses.
    for (let i = 0; i < 10; i++)
      assert.equal((await attempt(live, 'victim', `dev-${i}-xxxx`, { cookie })).status, 401);
    assert.equal((await attempt(live, 'victim', PASSWORD, { cookie })).status, 429);
    // Another user's cookie does not open the victim's lock.
    const other = await loginLive(live, 'attacker-own');
    const foreign = `gatehouse_refresh=${other.refresh_token}`;
    assert.equal((await attempt(live, 'victim', PASSWORD, { cookie: foreign })).status, 429);
  });

  test('security events are in the audit log, with no secret in them', async () => {
    const store = await createSqliteStore({ path: live.harness.dbPath });
    try {
      const rows = await store.listAudit({ limit: 1000 });
      const types = new Set(rows.map((r) => r.type));
      for (const t of ['login_succeeded', 'login_failed', 'lockout_started']) assert.ok(types.has(t), t);
      const text = JSON.stringify(rows);
      assert.ok(!text.includes(PASSWORD) && !text.includes('flood-') && !text.includes('ghr_'), 'no secrets');
      const scopes = rows.filter((r) => r.type === 'lockout_started').map((r) => r.detail.scope);
      assert.ok(scopes.includes('account') && scopes.includes('device'), String(scopes));
    } finally {
      await store.close();
    }
  });
});

describe('per-IP throttling and X-Forwarded-For', () => {
  test('100 attempts per address per 15 minutes across any names; IPv6 by /64; XFF only behind a trusted proxy', async () => {
    const clock = manualClock();
    const live = await startLive({ clock: clock.now, env: { GATEHOUSE_TRUST_PROXY: 'true' } });
    try {
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      // Spread over many names (no account limit is reached), from addresses of one /64.
      for (let i = 0; i < 100; i++) {
        const res = await attempt(
          live,
          `spray-${i % 20}`,
          'password-xxxx',
          from(`2001:db8:1:2::${(i % 50).toString(16)}`),
        );
        assert.equal(res.status, 401, `attempt ${i}`);
      }
      const blocked = await attempt(live, 'spray-new', 'password-xxxx', from('2001:db8:1:2:ffff::1'));
      assert.equal(blocked.status, 429);
      assert.match(blocked.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      // The neighbouring /64 and an IPv4 client are not affected.
      assert.equal((await attempt(live, 'spray-new', 'password-xxxx', from('2001:db8:1:3::1'))).status, 401);
      assert.equal((await attempt(live, 'spray-new', 'password-xxxx', from('198.51.100.4'))).status, 401);
      clock.advance(15 * MIN + 1000);
      assert.equal((await attempt(live, 'spray-new', 'password-xxxx', from('2001:db8:1:2::1'))).status, 401);
    } finally {
      await live.close();
    }
  });

  test('without GATEHOUSE_TRUST_PROXY a rotating X-Forwarded-For does not escape the limit', async () => {
    const live = await startLive();
    try {
      for (let i = 0; i < 100; i++) {
        await attempt(live, `rot-${i % 20}`, 'password-xxxx', { 'x-forwarded-for': `203.0.113.${i}` });
      }
      const res = await attempt(live, 'rot-x', 'password-xxxx', { 'x-forwarded-for': '198.51.100.99' });
      assert.equal(res.status, 429);
    } finally {
      await live.close();
    }
  });

  test('registration: 20 per address per hour, then 429 + Retry-After', async () => {
    const clock = manualClock();
    const live = await startLive({ clock: clock.now });
    try {
      for (let i = 0; i < 20; i++) {
        const res = await http(live, 'POST', '/auth/register', {
          body: { username: `bulk-${i}`, password: PASSWORD },
        });
        assert.equal(res.status, 201, `registration ${i}`);
      }
      const res = await http(live, 'POST', '/auth/register', {
        body: { username: 'bulk-x', password: PASSWORD },
      });
      assert.equal(res.status, 429);
      assert.equal(res.json().code, 'TOO_MANY_ATTEMPTS');
      assert.ok(Number(res.headers.get('retry-after')) > 0);
      clock.advance(60 * MIN + 1000);
      assert.equal(
        (await http(live, 'POST', '/auth/register', { body: { username: 'bulk-x', password: PASSWORD } }))
          .status,
        201,
      );
    } finally {
      await live.close();
    }
  });
});
