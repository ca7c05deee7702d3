export { ConfigError } from './config-error.js';
export { type LoadConfigOptions, loadConfig } from './env.js';
export { type ServiceExtras, toServiceOptions } from './service-options.js';
export type { Config, CookieMode, LogLevel, TrustProxy } from './types.js';
export { CONFIG_FLAGS, VARIABLES, type VariableSpec, variableForFlag } from './variables.js';
