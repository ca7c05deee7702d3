/** Builders shared by the conformance suites. Times are small fixed numbers: no clock. */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  NewRevocation,
  NewSession,
  NewUser,
  RotateRequest,
  Store,
  UserRecord,
} from '../../src/storage/types.js';

/** Returns a fresh, empty, migrated store; the suite closes it. */
export type MakeStore = () => Promise<Store>;

export const T0 = 1_700_000_000_000;
export const DAY = 86_400_000;

export function hash(): string {
  return randomBytes(32).toString('base64url');
}

export function newUser(name: string, over: Partial<NewUser> = {}): NewUser {
  return {
    id: randomUUID(),
    username: name,
    usernameKey: name.normalize('NFKC').toLowerCase(),
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g',
    roles: ['user'],
    now: T0,
    ...over,
  };
}

export async function addUser(store: Store, name: string, over: Partial<NewUser> = {}): Promise<UserRecord> {
  const u = await store.createUser(newUser(name, over));
  if (!u) throw new Error(`fixture: username ${name} taken`);
  return u;
}

export function newSession(userId: string, over: Partial<NewSession> = {}): NewSession {
  return {
    id: randomUUID(),
    userId,
    now: T0,
    expiresAt: T0 + 30 * DAY,
    idleExpiresAt: null,
    userAgent: 'test-agent',
    ip: '127.0.0.1',
    refreshHash: hash(),
    ...over,
  };
}

export function rev(
  kind: NewRevocation['kind'],
  value: string,
  over: Partial<NewRevocation> = {},
): NewRevocation {
  return {
    kind,
    value,
    notBefore: null,
    expiresAt: T0 + DAY,
    reason: 'logout',
    now: T0,
    ...over,
  };
}

/** A stand-in for a sealed successor: opaque to the store, unique per request. */
export function sealed(): string {
  return `v1.sealed-${hash()}`;
}

/** A rotation request presenting `presented` at `now`; the session is the store's to find. */
export function rotateReq(presented: string, now: number, over: Partial<RotateRequest> = {}): RotateRequest {
  return {
    hash: presented,
    nextHash: hash(),
    nextSealed: sealed(),
    now,
    graceMs: 10_000,
    idleExpiresAt: null,
    onReuse: { kind: 'sid', notBefore: null, expiresAt: now + DAY, reason: 'reuse_detected', now },
    ...over,
  };
}

/** Runs `fn` with a fresh store and always closes it. */
export async function withStore(make: MakeStore, fn: (store: Store) => Promise<void>): Promise<void> {
  const store = await make();
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}
