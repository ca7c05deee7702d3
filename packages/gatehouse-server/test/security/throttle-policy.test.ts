/** The pure throttling policy: IPv6 /64 aggregation and exponential back-off that decays. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ipBucket, ipPrefix } from '../../src/domain/ip-prefix.js';
import {
  ACCOUNT_MAX_LOCK_MS,
  ACCOUNT_WINDOW_MS,
  crossesLimit,
  ipLoginRule,
  knownDeviceRule,
  lockDurationMs,
  loginThrottleRules,
  registerRule,
  secondsUntil,
} from '../../src/domain/throttle.js';

describe('ipPrefix', () => {
  test('IPv4 as is; IPv6 by /64 in one canonical spelling; mapped IPv4 as IPv4', () => {
    assert.equal(ipPrefix('203.0.113.7'), '203.0.113.7');
    assert.equal(ipPrefix('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(ipPrefix('2001:0db8:0001:0002:ffff::1'), '2001:db8:1:2::/64');
    assert.equal(ipPrefix('2001:DB8:1:2::'), '2001:db8:1:2::/64');
    assert.equal(ipPrefix('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(ipPrefix('::1'), '0:0:0:0::/64');
    assert.equal(ipPrefix('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(ipPrefix('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(ipPrefix('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
  });

  test('every address of one /64 shares a key; the next /64 does not', () => {
    const a = ipPrefix('2001:db8:aa:bb:1::1');
    assert.equal(ipPrefix('2001:db8:aa:bb:ffff:ffff:ffff:ffff'), a);
    assert.notEqual(ipPrefix('2001:db8:aa:bc::1'), a);
  });

  test('garbage is no prefix, and one shared "unparsed" bucket (never a way around the limit)', () => {
    for (const bad of ['localhost', '1.2.3', '1.2.3.4.5', ':::', '2001:db8::1::2', 'x'.repeat(100)]) {
      assert.equal(ipPrefix(bad), null, bad);
      assert.equal(ipBucket(bad), 'unparsed', bad);
    }
    for (const none of [null, undefined, '']) assert.equal(ipBucket(none), null);
    assert.equal(ipBucket('2001:db8::1'), '2001:db8:0:0::/64');
  });
});

describe('rules and back-off', () => {
  const [account] = loginThrottleRules('alice');
  assert.ok(account);

  test('account 10 per 15 minutes; device, IP and registration rules', () => {
    assert.deepEqual([account.limit, account.windowMs], [10, 15 * 60 * 1000]);
    assert.equal(knownDeviceRule('s1').key, 'login:device:s1');
    assert.equal(ipLoginRule(null), null);
    assert.equal(ipLoginRule('203.0.113.7')?.key, 'login:ip:203.0.113.7');
    assert.equal(registerRule('203.0.113.7')?.key, 'register:ip:203.0.113.7');
    assert.equal(registerRule(null), null);
  });

  test('only the attempt that crosses the limit starts a lock', () => {
    assert.equal(crossesLimit(account, { count: 10 }), false);
    assert.equal(crossesLimit(account, { count: 11 }), true);
    assert.equal(crossesLimit(account, { count: 12 }), false);
  });

  test('lock: rest of the window first, then doubling, capped (it always decays)', () => {
    const now = 1_000_000;
    assert.equal(lockDurationMs(account, 1, now + ACCOUNT_WINDOW_MS, now), ACCOUNT_WINDOW_MS);
    assert.equal(lockDurationMs(account, 1, now + 60_000, now), ACCOUNT_WINDOW_MS);
    assert.equal(lockDurationMs(account, 2, now, now), 2 * ACCOUNT_WINDOW_MS);
    assert.equal(lockDurationMs(account, 3, now, now), ACCOUNT_MAX_LOCK_MS);
    assert.equal(lockDurationMs(account, 1000, now, now), ACCOUNT_MAX_LOCK_MS);
    assert.equal(lockDurationMs(account, Number.NaN, now, now), ACCOUNT_WINDOW_MS);
    assert.equal(secondsUntil(now + 1500, now), 2);
    assert.equal(secondsUntil(now - 5, now), 1);
  });
});
