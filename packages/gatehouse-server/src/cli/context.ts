/** Configuration and service access for the CLI commands. */
import { loadConfig } from '../config/env.js';
import { toServiceOptions } from '../config/service-options.js';
import type { Config } from '../config/types.js';
import { createAuthService } from '../service/create-auth-service.js';
import type { AdminService, AuthService } from '../service/types.js';
import { openStore } from '../storage/index.js';
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
  const store = await openStore(config.databaseUrl);
  let service: AuthService & { admin: AdminService };
  try {
    service = await createAuthService(toServiceOptions(config, store));
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
