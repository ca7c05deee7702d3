import type { AuthServiceOptions } from '../service/types.js';
import type { Store } from '../storage/types.js';
import type { Config } from './types.js';

/** What the host process adds to the configuration: storage, and test or embedding hooks. */
export type ServiceExtras = Pick<
  AuthServiceOptions,
  'clock' | 'onEvent' | 'passwordHashing' | 'clientId' | 'revocationNotifier'
>;

/**
 * Maps a validated `Config` to the service's options (durations are already seconds).
 *
 * @example
 * ```ts
 * const config = loadConfig();
 * const store = await openStore(config.databaseUrl);
 * const service = await createAuthService(toServiceOptions(config, store));
 * ```
 */
export function toServiceOptions(
  config: Config,
  store: Store,
  extras: ServiceExtras = {},
): AuthServiceOptions {
  const options: AuthServiceOptions = {
    store,
    issuer: config.issuer,
    audience: config.audience,
    accessTtl: config.accessTtl,
    refreshTtl: config.refreshTtl,
    refreshIdleTtl: config.refreshIdleTtl,
    reuseGrace: config.reuseGrace,
    keyPropagation: config.keyPropagation,
    alg: config.alg,
    openRegistration: config.openRegistration,
  };
  if (config.hsSecret !== null) options.hsSecret = config.hsSecret;
  if (config.keyEncryptionSecret !== null) options.keyEncryptionSecret = config.keyEncryptionSecret;
  if (extras.clock !== undefined) options.clock = extras.clock;
  if (extras.onEvent !== undefined) options.onEvent = extras.onEvent;
  if (extras.passwordHashing !== undefined) options.passwordHashing = extras.passwordHashing;
  if (extras.clientId !== undefined) options.clientId = extras.clientId;
  if (extras.revocationNotifier !== undefined) options.revocationNotifier = extras.revocationNotifier;
  return options;
}
