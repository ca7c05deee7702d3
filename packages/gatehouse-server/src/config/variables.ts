/**
 * The table of every `GATEHOUSE_*` variable: its command-line flag, default, format and an
 * example. `loadConfig()` reads exactly these names; `docs/configuration.md` and the CLI's
 * `serve --help` are written from the same facts.
 */

export interface VariableSpec {
  /** Environment variable, e.g. `GATEHOUSE_PORT`. */
  name: string;
  /**
   * Command-line flag without dashes (`port` for `--port`), or null when the value may only
   * come from the environment: secrets are never accepted as flags, since a flag ends up in
   * shell history and in `ps` output for every local user to read.
   */
  flag: string | null;
  /** The default as written in the docs, or null when unset by default. */
  default: string | null;
  format: string;
  example: string;
  secret: boolean;
}

/**
 * Every variable, in documentation order.
 *
 * @example
 * ```ts
 * for (const v of VARIABLES) console.log(v.name, v.default ?? '(unset)');
 * ```
 */
export const VARIABLES = [
  {
    name: 'GATEHOUSE_PORT',
    flag: 'port',
    default: '5000',
    format: 'integer 0-65535 (0: any free port)',
    example: '5000',
    secret: false,
  },
  {
    name: 'GATEHOUSE_HOST',
    flag: 'host',
    default: '127.0.0.1',
    format: 'IP address or host name to listen on',
    example: '0.0.0.0',
    secret: false,
  },
  {
    name: 'GATEHOUSE_DATABASE_URL',
    flag: 'database-url',
    default: './data/gatehouse.db',
    format: 'SQLite file path, `file:` URL, or `postgres://` / `postgresql://` URL',
    example: 'file:/var/lib/gatehouse/gatehouse.db',
    secret: false,
  },
  {
    name: 'GATEHOUSE_REDIS_URL',
    flag: 'redis-url',
    default: null,
    format: '`redis://` or `rediss://` URL',
    example: 'redis://127.0.0.1:6379',
    secret: false,
  },
  {
    name: 'GATEHOUSE_ISSUER',
    flag: 'issuer',
    default: 'http://HOST:PORT',
    format: 'absolute http(s) URL, no query or fragment',
    example: 'https://auth.example.com',
    secret: false,
  },
  {
    name: 'GATEHOUSE_AUDIENCE',
    flag: 'audience',
    default: 'gatehouse',
    format: 'non-empty string (the `aud` of access tokens)',
    example: 'articles-api',
    secret: false,
  },
  {
    name: 'GATEHOUSE_ACCESS_TTL',
    flag: 'access-ttl',
    default: '15m',
    format: 'duration, more than 0',
    example: '5m',
    secret: false,
  },
  {
    name: 'GATEHOUSE_REFRESH_TTL',
    flag: 'refresh-ttl',
    default: '30d',
    format: 'duration, more than 0 (absolute session lifetime)',
    example: '7 days',
    secret: false,
  },
  {
    name: 'GATEHOUSE_REFRESH_IDLE_TTL',
    flag: 'refresh-idle-ttl',
    default: null,
    format: 'duration, more than 0, or `off` (session ends after this long unused)',
    example: '2 weeks',
    secret: false,
  },
  {
    name: 'GATEHOUSE_REFRESH_REUSE_GRACE',
    flag: 'refresh-reuse-grace',
    default: '10s',
    format: 'duration, 0 allowed',
    example: '0',
    secret: false,
  },
  {
    name: 'GATEHOUSE_ALG',
    flag: 'alg',
    default: 'ES256',
    format:
      'ES256, ES384, ES512, EdDSA, RS256, RS384, RS512, PS256, PS384, PS512, HS256, HS384 or HS512 (never `none`)',
    example: 'EdDSA',
    secret: false,
  },
  {
    name: 'GATEHOUSE_KEY_PROPAGATION',
    flag: 'key-propagation',
    default: '60s',
    format: 'duration, 0 allowed (how long a new key is published before it signs)',
    example: '5m',
    secret: false,
  },
  {
    name: 'GATEHOUSE_HS_SECRET',
    flag: null,
    default: null,
    format: 'string of at least 32 bytes (48 for HS384, 64 for HS512); required for HS* algorithms only',
    example: '(output of `openssl rand -base64 48`)',
    secret: true,
  },
  {
    name: 'GATEHOUSE_KEY_ENCRYPTION_SECRET',
    flag: null,
    default: null,
    format: 'string of at least 32 bytes; when set, private signing keys are encrypted at rest',
    example: '(output of `openssl rand -base64 48`)',
    secret: true,
  },
  {
    name: 'GATEHOUSE_OPEN_REGISTRATION',
    flag: 'open-registration',
    default: 'true',
    format: 'boolean: true/false, 1/0, yes/no, on/off',
    example: 'false',
    secret: false,
  },
  {
    name: 'GATEHOUSE_COOKIE_MODE',
    flag: 'cookie-mode',
    default: 'both',
    format: '`off`, `both` or `only`',
    example: 'off',
    secret: false,
  },
  {
    name: 'GATEHOUSE_CORS_ORIGINS',
    flag: 'cors-origins',
    default: null,
    format: 'comma-separated origins (`scheme://host[:port]`)',
    example: 'https://app.example.com,http://localhost:3000',
    secret: false,
  },
  {
    name: 'GATEHOUSE_TRUST_PROXY',
    flag: 'trust-proxy',
    default: 'false',
    format: 'boolean, a hop count, or comma-separated proxy addresses/CIDRs',
    example: '10.0.0.0/8',
    secret: false,
  },
  {
    name: 'GATEHOUSE_LOG_LEVEL',
    flag: 'log-level',
    default: 'info',
    format: 'fatal, error, warn, info, debug, trace or silent',
    example: 'debug',
    secret: false,
  },
] as const satisfies readonly VariableSpec[];

/** A variable's name. */
export type VariableName = (typeof VARIABLES)[number]['name'];

/**
 * Flags (`--port`, ...) accepted by every command that reads configuration.
 *
 * @example
 * ```ts
 * CONFIG_FLAGS.includes('database-url'); // true
 * ```
 */
export const CONFIG_FLAGS: readonly string[] = VARIABLES.flatMap((v) => (v.flag === null ? [] : [v.flag]));

/**
 * Maps a flag (`database-url`) to its variable (`GATEHOUSE_DATABASE_URL`).
 *
 * @example
 * ```ts
 * variableForFlag('port'); // 'GATEHOUSE_PORT'
 * variableForFlag('hs-secret'); // undefined: secrets have no flag
 * ```
 */
export function variableForFlag(flag: string): VariableName | undefined {
  return VARIABLES.find((v) => v.flag === flag)?.name;
}
