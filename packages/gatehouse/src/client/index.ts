/**
 * `gatehouse/client`: the client SDK for the Gatehouse auth server, for browsers and Node 20+.
 * Zero dependencies: it uses `fetch`, and BroadcastChannel and Web Locks where they exist.
 *
 * @example
 * ```ts
 * import { createClient } from 'gatehouse/client';
 * const auth = createClient({ baseUrl: 'http://127.0.0.1:5000' });
 * await auth.login({ username: 'alice', password: 'correct horse battery staple' });
 * const me = await auth.me();
 * ```
 */

export { GatehouseError, type GatehouseErrorCode, isGatehouseError } from '../errors.js';
export { createClient } from './create-client.js';
export { ClientError, type ClientErrorDetails, codeForStatus } from './errors.js';
export { memoryStore } from './token-store.js';
export type {
  ClientEventName,
  ClientEvents,
  ClientOptions,
  Credentials,
  DurationInput,
  GatehouseClient,
  Listener,
  LockManagerLike,
  LoggedOutReason,
  Me,
  RegisteredUser,
  SessionInfo,
  SessionState,
  StoredSession,
  TokenPair,
  TokenStore,
} from './types.js';
