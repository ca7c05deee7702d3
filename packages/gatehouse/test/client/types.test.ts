/**
 * Public types of `gatehouse/client`, pinned at compile time (`tsc -p tsconfig.test.json`) and
 * exercised at run time so the file is also a test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type ClientEvents,
  createClient,
  type GatehouseClient,
  type LoggedOutReason,
  type Me,
  type SessionInfo,
  type SessionState,
} from '../../src/client/index.js';
import { AUTH, createFakeServer } from './fake-server.js';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_: T) => {};

assertType<Equals<Awaited<ReturnType<GatehouseClient['me']>>, Me>>(true);
assertType<Equals<Awaited<ReturnType<GatehouseClient['sessions']>>, SessionInfo[]>>(true);
assertType<Equals<Awaited<ReturnType<GatehouseClient['login']>>, SessionState>>(true);
assertType<Equals<Awaited<ReturnType<GatehouseClient['fetch']>>, Response>>(true);
assertType<Equals<LoggedOutReason, 'logout' | 'revoked' | 'expired' | 'reuse_detected'>>(true);
assertType<Equals<ClientEvents['logged-out']['reason'], LoggedOutReason>>(true);

test('listeners are typed per event', async () => {
  const server = createFakeServer({ now: () => Date.now() });
  const client = createClient({ baseUrl: AUTH, fetch: server.fetch });
  const reasons: LoggedOutReason[] = [];
  client.on('logged-out', ({ reason }) => reasons.push(reason));
  client.on('session-expiring', ({ remainingMs }) => {
    assertType<Equals<typeof remainingMs, number>>(true);
  });
  // @ts-expect-error: not an event of the client
  client.on('logged-in-twice', () => {});
  // @ts-expect-error: the payload of `refreshed` has no reason
  client.on('refreshed', ({ reason }) => reason);
  // @ts-expect-error: storage is 'memory' or a TokenStore, never 'localStorage'
  assert.throws(() => createClient({ baseUrl: AUTH, storage: 'localStorage' }), { code: 'OPTION_INVALID' });
  await client.login({ username: 'alice', password: 'correct horse' });
  await client.logout();
  assert.deepEqual(reasons, ['logout']);
});
