import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  accessLifetimeBoundMs,
  accessTokenTimes,
  idleExpiryAfterUse,
  isSessionLive,
  issuedBeforeCutoff,
  keyRevocation,
  newSessionTimes,
  refreshExpiresIn,
  sessionRevocation,
  tokenRevocation,
  userCutoffRevocation,
} from '../../src/domain/sessions.js';
import type { SessionRecord } from '../../src/storage/types.js';

const policy = { accessTtl: 900, refreshTtl: 30 * 86400, refreshIdleTtl: 7 * 86400, reuseGrace: 10 };
const now = 1_767_268_800_250; // ms, not on a second boundary

function session(over: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id: 's1',
    userId: 'u1',
    createdAt: now,
    lastUsedAt: now,
    expiresAt: now + 1000_000,
    idleExpiresAt: null,
    revokedAt: null,
    revokeReason: null,
    userAgent: null,
    ip: null,
    generation: 1,
    ...over,
  };
}

describe('session lifetimes', () => {
  test('absolute end = now + refresh TTL; idle end = now + idle TTL, never past the absolute end', () => {
    assert.deepEqual(newSessionTimes(policy, now), {
      expiresAt: now + 30 * 86400_000,
      idleExpiresAt: now + 7 * 86400_000,
    });
    assert.deepEqual(newSessionTimes({ ...policy, refreshIdleTtl: null }, now).idleExpiresAt, null);
    assert.equal(idleExpiryAfterUse(policy, now, now + 1000), now + 1000);
  });

  test('isSessionLive: revoked, absolute end and idle end all end it', () => {
    assert.equal(isSessionLive(session(), now), true);
    assert.equal(isSessionLive(session({ revokedAt: now - 1 }), now), false);
    assert.equal(isSessionLive(session({ expiresAt: now }), now), false);
    assert.equal(isSessionLive(session({ idleExpiresAt: now }), now), false);
    assert.equal(isSessionLive(session({ idleExpiresAt: now + 1 }), now), true);
  });

  test('refresh_expires_in counts whole seconds to the absolute end', () => {
    assert.equal(refreshExpiresIn(session({ expiresAt: now + 2_999 }), now), 2);
    assert.equal(refreshExpiresIn(session({ expiresAt: now - 5 }), now), 0);
  });
});

describe('access token times', () => {
  test('iat = floor(now), exp = iat + TTL', () => {
    const t = accessTokenTimes(policy, now, 0, now + 86400_000);
    assert.equal(t.iat, Math.floor(now / 1000));
    assert.equal(t.exp, t.iat + 900);
    assert.equal(t.expiresIn, 900);
  });

  test('iat >= ceil(tokensValidAfter / 1000), so a token issued just after a cut-off passes it', () => {
    const cutoff = now - 100; // a logout-all 100 ms ago, in the same second
    const t = accessTokenTimes(policy, now, cutoff, now + 86400_000);
    assert.equal(t.iat, Math.ceil(cutoff / 1000));
    assert.equal(issuedBeforeCutoff(t.iat, cutoff), false);
    // A token issued before the cut-off, in the same second, is caught.
    const before = accessTokenTimes(policy, cutoff - 10, 0, now + 86400_000);
    assert.equal(issuedBeforeCutoff(before.iat, cutoff), true);
  });

  test('no access token outlives its session', () => {
    const t = accessTokenTimes(policy, now, 0, now + 60_000);
    assert.equal(t.exp, Math.floor((now + 60_000) / 1000));
    assert.ok(t.expiresIn <= 60);
  });
});

describe('revocation entries', () => {
  const bound = accessLifetimeBoundMs(policy);

  test('the bound covers TTL + iat rounding + the verifiers’ 5 s clock tolerance', () => {
    assert.equal(bound, (900 + 1 + 5) * 1000);
  });

  test('sid: until every access token of the session has expired', () => {
    assert.deepEqual(sessionRevocation('s1', 'logout', now, policy), {
      kind: 'sid',
      value: 's1',
      notBefore: null,
      expiresAt: now + bound,
      reason: 'logout',
      now,
    });
  });

  test('sub: notBefore = ceil(now / 1000), matching tokensValidAfter = now', () => {
    const r = userCutoffRevocation('u1', 'logout_all', now, policy);
    assert.equal(r.kind, 'sub');
    assert.equal(r.notBefore, Math.ceil(now / 1000));
    assert.equal(r.expiresAt, now + bound);
    // Any token issued after the cut-off has iat >= notBefore (see accessTokenTimes).
    assert.ok(accessTokenTimes(policy, now, now, now + 86400_000).iat >= (r.notBefore as number));
  });

  test('jti: until the token’s own exp plus tolerance; kid: until every token it signed expired', () => {
    assert.equal(
      tokenRevocation('j1', 1_767_270_000, 'oauth_revoke', now).expiresAt,
      (1_767_270_000 + 5) * 1000,
    );
    assert.equal(tokenRevocation('j1', 1, 'oauth_revoke', now).expiresAt, now);
    const k = keyRevocation('kid1', now, policy);
    assert.equal(k.kind, 'kid');
    assert.equal(k.reason, 'key_revoked');
    assert.equal(k.expiresAt, now + bound);
  });
});
