/** The account paths leave security events in the audit log: who, what, from where. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Harness, harness, REQ, registerAndLogin } from './helpers.js';

describe('account security events', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.service.close());

  test('password change, session delete and logout-all are audited with the caller IP', async () => {
    const { user, pair } = await registerAndLogin(h, 'carol', 'correct horse');
    const other = await h.service.login({ username: 'carol', password: 'correct horse' }, REQ);
    const auth = await h.service.authenticate(pair.access_token);

    await h.service.deleteSession(auth, other.session_id, REQ);
    await h.service.changePassword(
      auth,
      { current_password: 'correct horse', new_password: 'battery staple' },
      REQ,
    );
    h.clock.advance(1000);
    const fresh = await h.service.refresh(pair.refresh_token, REQ);
    await h.service.logoutAll(await h.service.authenticate(fresh.access_token), REQ);

    const events = await h.store.listAudit({ limit: 50, subjectId: user.id });
    const types = events.map((e) => e.type);
    assert.ok(types.includes('password_changed'), types.join());
    const revoked = events.filter((e) => e.type === 'sessions_revoked');
    assert.deepEqual(revoked.map((e) => e.detail.reason).sort(), ['logout_all', 'session_deleted']);
    for (const e of [...revoked, ...events.filter((x) => x.type === 'password_changed')]) {
      assert.equal(e.ip, REQ.ip);
      assert.equal(e.subjectId, user.id);
      // Never a password or a token in an audit entry.
      assert.doesNotMatch(JSON.stringify(e), /correct horse|battery staple|ghr_|eyJ/);
    }
  });
});
