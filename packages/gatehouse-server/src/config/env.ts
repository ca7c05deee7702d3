/**
 * `loadConfig()`: reads every `GATEHOUSE_*` variable once, from (highest precedence first)
 * command-line flags, the real environment, a `.env` file in the working directory, and the
 * defaults; validates them all, and returns a typed `Config` or throws a one-line
 * `ConfigError` naming the variable.
 */
import { readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './config-error.js';
import {
  parseAlg,
  parseBoolean,
  parseCookieMode,
  parseDatabaseUrl,
  parseIssuer,
  parseLogLevel,
  parseOrigins,
  parsePort,
  parseRedisUrl,
  parseSeconds,
  parseSecret,
  parseTrustProxy,
  show,
} from './parsers.js';
import type { Config } from './types.js';
import { VARIABLES, type VariableName, variableForFlag } from './variables.js';

export interface LoadConfigOptions {
  /** The environment; default `process.env`. Never modified. */
  env?: Record<string, string | undefined>;
  /** Flag values by flag name without dashes (`{ port: '5001', 'database-url': '...' }`). */
  flags?: Record<string, string | undefined>;
  /** Directory of the `.env` file; default `process.cwd()`. */
  cwd?: string;
  /** A `.env` path (relative to `cwd`), or false to read none; default `.env`. */
  envFile?: string | false;
}

/**
 * Reads the `.env` file with Node's own dotenv parser (`util.parseEnv`, the parser behind
 * `process.loadEnvFile`), without writing to `process.env`: a library call must not change
 * the global environment of its host process. A missing file is fine.
 */
function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(
      '.env',
      `cannot read ${show(path)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return parseEnv(text) as Record<string, string>;
}

/**
 * Loads and validates the configuration once.
 *
 * @throws ConfigError (code `OPTION_INVALID`) with a one-line message naming the variable.
 * @example
 * ```ts
 * const config = loadConfig({ flags: { port: '5001' } });
 * const server = await createAuthServer(config);
 * ```
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const dotenv =
    options.envFile === false
      ? {}
      : readEnvFile(resolve(options.cwd ?? process.cwd(), options.envFile ?? '.env'));
  const fromFlags: Partial<Record<VariableName, string>> = {};
  for (const [flag, value] of Object.entries(options.flags ?? {})) {
    const name = variableForFlag(flag);
    if (name === undefined) throw new ConfigError(`--${flag}`, 'unknown configuration flag');
    if (value !== undefined) fromFlags[name] = value;
  }

  /** Precedence: flag, then the real environment, then `.env`; empty strings count as unset. */
  const raw = (name: VariableName): string | undefined => {
    for (const source of [fromFlags[name], env[name], dotenv[name]]) {
      if (source !== undefined && source !== '') return source;
    }
    return undefined;
  };
  const spec = (name: VariableName) => VARIABLES.find((v) => v.name === name)!;
  const withDefault = (name: VariableName): string => raw(name) ?? spec(name).default ?? '';

  const port = parsePort('GATEHOUSE_PORT', withDefault('GATEHOUSE_PORT'));
  const host = withDefault('GATEHOUSE_HOST').trim();
  if (host === '' || /[\s/]/.test(host)) throw new ConfigError('GATEHOUSE_HOST', `not a host ${show(host)}`);
  const alg = parseAlg('GATEHOUSE_ALG', withDefault('GATEHOUSE_ALG'));

  const issuerRaw = raw('GATEHOUSE_ISSUER');
  const issuer =
    issuerRaw === undefined
      ? `http://${isIPv6(host) ? `[${host}]` : host}:${port}`
      : parseIssuer('GATEHOUSE_ISSUER', issuerRaw);

  const audience = withDefault('GATEHOUSE_AUDIENCE').trim();
  if (audience === '') throw new ConfigError('GATEHOUSE_AUDIENCE', 'must not be empty');

  const idleRaw = raw('GATEHOUSE_REFRESH_IDLE_TTL');
  const refreshIdleTtl =
    idleRaw === undefined || ['off', 'none'].includes(idleRaw.trim().toLowerCase())
      ? null
      : parseSeconds('GATEHOUSE_REFRESH_IDLE_TTL', idleRaw, 1);

  // HMAC keys must be at least as long as the hash output (RFC 7518 section 3.2); the secret
  // value is never echoed, only its length.
  const hsMin = alg === 'HS512' ? 64 : alg === 'HS384' ? 48 : 32;
  const hsRaw = raw('GATEHOUSE_HS_SECRET');
  if (alg.startsWith('HS') && hsRaw === undefined) {
    throw new ConfigError(
      'GATEHOUSE_HS_SECRET',
      `required when GATEHOUSE_ALG is ${alg} (at least ${hsMin} bytes)`,
    );
  }
  const hsSecret =
    hsRaw === undefined ? null : parseSecret('GATEHOUSE_HS_SECRET', hsRaw, hsMin, `for ${alg}`);

  const kesRaw = raw('GATEHOUSE_KEY_ENCRYPTION_SECRET');
  const keyEncryptionSecret =
    kesRaw === undefined
      ? null
      : parseSecret('GATEHOUSE_KEY_ENCRYPTION_SECRET', kesRaw, 32, 'to encrypt keys');

  const redisRaw = raw('GATEHOUSE_REDIS_URL');
  const corsRaw = raw('GATEHOUSE_CORS_ORIGINS');

  return {
    port,
    host,
    databaseUrl: parseDatabaseUrl('GATEHOUSE_DATABASE_URL', withDefault('GATEHOUSE_DATABASE_URL')),
    redisUrl: redisRaw === undefined ? null : parseRedisUrl('GATEHOUSE_REDIS_URL', redisRaw),
    issuer,
    audience,
    accessTtl: parseSeconds('GATEHOUSE_ACCESS_TTL', withDefault('GATEHOUSE_ACCESS_TTL'), 1),
    refreshTtl: parseSeconds('GATEHOUSE_REFRESH_TTL', withDefault('GATEHOUSE_REFRESH_TTL'), 1),
    refreshIdleTtl,
    reuseGrace: parseSeconds(
      'GATEHOUSE_REFRESH_REUSE_GRACE',
      withDefault('GATEHOUSE_REFRESH_REUSE_GRACE'),
      0,
    ),
    keyPropagation: parseSeconds('GATEHOUSE_KEY_PROPAGATION', withDefault('GATEHOUSE_KEY_PROPAGATION'), 0),
    alg,
    hsSecret,
    keyEncryptionSecret,
    openRegistration: parseBoolean('GATEHOUSE_OPEN_REGISTRATION', withDefault('GATEHOUSE_OPEN_REGISTRATION')),
    cookieMode: parseCookieMode('GATEHOUSE_COOKIE_MODE', withDefault('GATEHOUSE_COOKIE_MODE')),
    corsOrigins: corsRaw === undefined ? [] : parseOrigins('GATEHOUSE_CORS_ORIGINS', corsRaw),
    trustProxy: parseTrustProxy('GATEHOUSE_TRUST_PROXY', withDefault('GATEHOUSE_TRUST_PROXY')),
    logLevel: parseLogLevel('GATEHOUSE_LOG_LEVEL', withDefault('GATEHOUSE_LOG_LEVEL')),
  };
}
