/** Configuration and service access for the CLI commands. */
import { loadConfig } from '../config/env.js';
import { toServiceOptions } from '../config/service-options.js';
import type { Config } from '../config/types.js';
import { createAuthService } from '../service/create-auth-service.js';
import type { AdminService, AuthService } from '../service/types.js';
import { openStore } from '../storage/index.js';
import { withOptionalRedis } from '../storage/redis/index.js';
import { configFlags, type Parsed } from './args.js';
import type { CliIo } from './io.js';

/** `loadConfig` from the process environment, `.env` in the working directory, and the flags. */
export function cliConfig(io: CliIo, values: Parsed['values']): Config {
  return loadConfig({ env: io.env, cwd: io.cwd, flags: configFlags(values) });
}

/**
 * Opens the configured database (the same one a running server uses: SQLite in WAL mode
 * lets both work at once), runs `fn` with the service, and closes everything.
 *
 * @example
 * ```ts
 * await withService(config, (service) => service.admin.listKeys());
 * ```
 */
export async function withService<T>(
  config: Config,
  fn: (service: AuthService & { admin: AdminService }) => Promise<T>,
): Promise<T> {
  // With GATEHOUSE_REDIS_URL, a revocation made here wakes the feed's long-polls on every
  // running instance at once (the Redis nudge), and counters are the shared ones.
  const { store, notifier } = withOptionalRedis(await openStore(config.databaseUrl), config.redisUrl);
  let service: AuthService & { admin: AdminService };
  try {
    service = await createAuthService(
      toServiceOptions(config, store, notifier === undefined ? {} : { revocationNotifier: notifier }),
    );
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  try {
    return await fn(service);
  } finally {
    await service.close();
  }
}
