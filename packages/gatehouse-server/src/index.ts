/**
 * gatehouse-server: the auth server as a library, its configuration, and storage.
 *
 * @example
 * ```ts
 * import { createAuthServer, loadConfig } from 'gatehouse-server';
 * const server = await createAuthServer(loadConfig({ flags: { port: '5001' } }));
 * await server.listen();
 * ```
 */
export {
  CONFIG_FLAGS,
  type Config,
  ConfigError,
  type CookieMode,
  type LoadConfigOptions,
  type LogLevel,
  loadConfig,
  type ServiceExtras,
  type TrustProxy,
  toServiceOptions,
  VARIABLES,
  type VariableSpec,
} from './config/index.js';
export { authorizationServerMetadata } from './http/routes/well-known.js';
export { type AuthServer, type AuthServerOptions, BODY_LIMIT, createAuthServer } from './http/server.js';
export { closeOnSignals, type ShutdownOptions } from './http/shutdown.js';
export { type LoggerSettings, loggerOptions, REDACT_PATHS } from './logger.js';
export { createMetrics, type MetricsOptions, type ServerMetrics } from './metrics.js';
export { createAuthService } from './service/create-auth-service.js';
export type * from './service/types.js';
export { openStore } from './storage/index.js';
export type * from './storage/types.js';
export { VERSION } from './version.js';
