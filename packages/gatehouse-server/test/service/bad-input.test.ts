/**
 * Hostile values at every entry point of the service: each call ends in a GatehouseError with
 * a 4xx status (never a TypeError, a 5xx or a hang), or succeeds as a no-op where the contract
 * says so (logout).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AccessClaims } from '../../src/service/types.js';
import { type Harness, harness, REQ, registerAndLogin } from './helpers.js';

const HOSTILE: unknown[] = [
  undefined,
  null,
  0,
  -1,
  Number.NaN,
  true,
  {},
  [],
  ['alice'],
  { toString: () => 'alice' },
  '',
  'x'.repeat(10_000),
  'x'.repeat(1024 * 1024),
  '\u0000\u0000\u0000',
  '\uD800\uD800\uD800',
];

let h: Harness;
let auth: AccessClaims;
before(async () => {
  h = await harness();
  const { pair } = await registerAndLogin(h);
  auth = await h.service.authenticate(pair.access_token);
});
after(() => h.service.close());

async function expect4xx(label: string, run: () => Promise<unknown>): Promise<void> {
  const err = await run().then(
    () => null,
    (e) => e,
  );
  if (err === null) return; // allowed only where noted by the caller
  assert.equal(err?.name, 'GatehouseError', `${label}: ${err}`);
  assert.ok(err.status >= 400 && err.status < 500, `${label}: status ${err.status}`);
}

test('register / login with hostile fields', async () => {
  for (const v of HOSTILE) {
    const label = String(v).slice(0, 20);
    for (const input of [{ username: v, password: 'correct horse' }, { username: 'alice', password: v }, v]) {
      await assert.rejects(
        h.service.register(input as never, REQ),
        (e: { name: string; status: number }) => {
          return e.name === 'GatehouseError' && e.status >= 400 && e.status < 500;
        },
        `register ${label}`,
      );
      await assert.rejects(
        h.service.login(input as never, REQ),
        (e: { name: string; status: number }) => {
          return e.name === 'GatehouseError' && e.status >= 400 && e.status < 500;
        },
        `login ${label}`,
      );
    }
  }
});

test('refresh / logout / authenticate with hostile tokens', async () => {
  for (const v of HOSTILE) {
    const label = String(v).slice(0, 20);
    await assert.rejects(h.service.refresh(v as string, REQ), { code: 'INVALID_REFRESH_TOKEN' }, label);
    await h.service.logout(v as string, REQ); // idempotent no-op
    await expect4xx(`authenticate ${label}`, () => h.service.authenticate(v as string));
    await assert.rejects(h.service.authenticate(v as string), label);
  }
});

test('sessions, password change and admin with hostile values', async () => {
  for (const v of HOSTILE) {
    const label = String(v).slice(0, 20);
    await assert.rejects(h.service.deleteSession(auth, v as string, REQ), { code: 'NOT_FOUND' }, label);
    await assert.rejects(
      h.service.changePassword(auth, { current_password: v, new_password: 'new battery' } as never, REQ),
      (e: { code: string }) => ['VALIDATION_FAILED', 'INVALID_CREDENTIALS'].includes(e.code),
      label,
    );
    await assert.rejects(
      h.service.changePassword(auth, { current_password: 'correct horse', new_password: v } as never, REQ),
      { code: 'VALIDATION_FAILED' },
      label,
    );
    assert.equal(await h.service.admin.findUser(v as string), null, label);
    await assert.rejects(h.service.admin.lockUser(v as string, null), { code: 'NOT_FOUND' }, label);
    await assert.rejects(h.service.admin.revokeSession(v as string, null), { code: 'NOT_FOUND' }, label);
    await expect4xx(`createUser ${label}`, () =>
      h.service.admin.createUser({ username: v, password: 'correct horse', roles: v } as never),
    );
  }
  // The user is intact after all that.
  assert.ok(await h.service.login({ username: 'alice', password: 'correct horse' }, REQ));
});
