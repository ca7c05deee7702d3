/**
 * The validated configuration of the auth server and CLI (CONTRACT.md section 1).
 * Produced once by `loadConfig()`; every duration is already in seconds.
 */
import type { Algorithm } from 'gatehouse';

/** Where the refresh token travels: body only, body and cookie, cookie only. */
export type CookieMode = 'off' | 'both' | 'only';

/** pino levels, plus `silent`. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Fastify's `trustProxy`: `false` (X-Forwarded-For ignored), `true` (trust every hop),
 * a hop count, or a list of trusted proxy addresses / CIDR ranges.
 */
export type TrustProxy = boolean | number | string[];

/** Validated configuration. Build it with `loadConfig()`; never construct it by hand in production. */
export interface Config {
  port: number;
  host: string;
  /** A SQLite path or `file:` URL, or `postgres://` / `postgresql://`. */
  databaseUrl: string;
  redisUrl: string | null;
  issuer: string;
  audience: string;
  /** Seconds. */
  accessTtl: number;
  /** Seconds: the absolute lifetime of a session. */
  refreshTtl: number;
  /** Seconds, or null for no idle limit. */
  refreshIdleTtl: number | null;
  /** Seconds; 0 allowed. */
  reuseGrace: number;
  /** Seconds; 0 allowed. */
  keyPropagation: number;
  alg: Algorithm;
  /** Only for HS* algorithms; at least the hash size in bytes. */
  hsSecret: string | null;
  /** When set, private signing keys are encrypted at rest. */
  keyEncryptionSecret: string | null;
  openRegistration: boolean;
  cookieMode: CookieMode;
  /** Allowed browser origins (`scheme://host[:port]`), none by default. */
  corsOrigins: string[];
  trustProxy: TrustProxy;
  logLevel: LogLevel;
}
