/**
 * Builds the shared {@link ServiceContext} from the options: checks them, creates the password
 * hasher, keyring and token issuer, migrates storage and loads (or generates) signing keys.
 */
import { type ServiceContext, safeEmitter } from './context.js';
import { createKeyring } from './keyring.js';
import { createLocalNotifier } from './notifier.js';
import { withRevocationNotices } from './notifying-store.js';
import { checkServiceOptions } from './options.js';
import { createPasswordHasher } from './password-hasher.js';
import { createTokenIssuer } from './token-issuer.js';
import type { AuthServiceOptions } from './types.js';

/**
 * The context every operation runs on; `createAuthService` wraps it. Exposed for tests that
 * exercise one operation with an instrumented part (e.g. a counting hasher).
 *
 * @example
 * ```ts
 * const ctx = await buildServiceContext(options);
 * await login({ ...ctx, hasher: countingHasher(ctx.hasher) }, input, req);
 * ```
 */
export async function buildServiceContext(options: AuthServiceOptions): Promise<ServiceContext> {
  checkServiceOptions(options);
  const clock = options.clock ?? Date.now;
  const emit = safeEmitter(options.onEvent);
  const notifier = options.revocationNotifier ?? createLocalNotifier();
  // Every revoking store call nudges the feed's long-polls (service/notifying-store.ts).
  const store = withRevocationNotices(options.store, notifier);
  const hashing = options.passwordHashing;
  const hasher = createPasswordHasher({
    params: hashing && {
      memoryCost: hashing.memoryCost,
      timeCost: hashing.timeCost,
      parallelism: hashing.parallelism,
    },
    maxConcurrent: hashing?.maxConcurrent,
    maxQueue: hashing?.maxQueue,
  });
  const keyring = createKeyring({
    store,
    alg: options.alg,
    hsSecret: options.hsSecret,
    keyEncryptionSecret: options.keyEncryptionSecret,
    keyPropagation: options.keyPropagation,
    accessTtl: options.accessTtl,
    clock,
    onEvent: emit,
  });
  const tokens = createTokenIssuer({
    keyring,
    issuer: options.issuer,
    audience: options.audience,
    clientId: options.clientId ?? 'gatehouse',
    accessTtl: options.accessTtl,
  });

  await store.migrate();
  await keyring.start();
  await hasher.warmUp();

  return {
    store,
    clock,
    policy: {
      accessTtl: options.accessTtl,
      refreshTtl: options.refreshTtl,
      refreshIdleTtl: options.refreshIdleTtl,
      reuseGrace: options.reuseGrace,
    },
    hasher,
    keyring,
    tokens,
    issuer: options.issuer,
    audience: options.audience,
    openRegistration: options.openRegistration,
    notifier,
    emit,
  };
}
