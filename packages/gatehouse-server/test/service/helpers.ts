/** Shared set-up for the service tests: a real SQLite store (in memory) and a manual clock. */

import { createAuthService } from '../../src/service/create-auth-service.js';
import type { AuthServiceOptions, RequestContext, ServiceEvent } from '../../src/service/types.js';
import { createSqliteStore } from '../../src/storage/sqlite/index.js';

export const REQ: RequestContext = { ip: '127.0.0.1', userAgent: 'node:test' };
/** Low argon2 cost so that tests stay fast; one test checks the OWASP defaults separately. */
export const FAST_HASHING = { memoryCost: 256, timeCost: 1, parallelism: 1 };
export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0, 250);

export interface ManualClock {
  (): number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function manualClock(start = T0): ManualClock {
  let now = start;
  const clock = (() => now) as ManualClock;
  clock.advance = (ms) => {
    now += ms;
  };
  clock.set = (ms) => {
    now = ms;
  };
  return clock;
}

export type TestService = Awaited<ReturnType<typeof createAuthService>>;

export interface Harness {
  service: TestService;
  clock: ManualClock;
  events: ServiceEvent[];
  store: Awaited<ReturnType<typeof createSqliteStore>>;
}

/** A service on a fresh in-memory SQLite database; close it with `h.service.close()`. */
export async function harness(overrides: Partial<AuthServiceOptions> = {}): Promise<Harness> {
  const clock = manualClock();
  const events: ServiceEvent[] = [];
  const store = await createSqliteStore({ path: ':memory:' });
  const service = await createAuthService(
    options({ store, clock, onEvent: (e) => events.push(e), ...overrides }),
  );
  return { service, clock, events, store };
}

/** Test options; pass `store` to share one, else nothing is opened until a store is given. */
export function options(overrides: Partial<AuthServiceOptions> = {}): AuthServiceOptions {
  return {
    store: undefined as unknown as AuthServiceOptions['store'],
    issuer: 'http://127.0.0.1:5000',
    audience: 'gatehouse',
    accessTtl: 900,
    refreshTtl: 30 * 86400,
    refreshIdleTtl: null,
    reuseGrace: 10,
    keyPropagation: 60,
    alg: 'ES256',
    openRegistration: true,
    clock: manualClock(),
    passwordHashing: FAST_HASHING,
    ...overrides,
  };
}

/** Registers and logs in a user; returns the token pair. */
export async function registerAndLogin(h: Harness, username = 'alice', password = 'correct horse') {
  const user = await h.service.register({ username, password }, REQ);
  const pair = await h.service.login({ username, password }, REQ);
  return { user, pair };
}
