/**
 * Value parsers for configuration: each returns the typed value or throws a `ConfigError`
 * naming the variable. Values are shown in messages only for non-secret variables, quoted,
 * shortened and stripped of control characters so that the message stays one line.
 */
import { isIP } from 'node:net';
import { type Algorithm, parseDuration } from 'gatehouse';
import { ConfigError } from './config-error.js';
import type { CookieMode, LogLevel, TrustProxy } from './types.js';

/** Quotes a (non-secret) value for an error message: one line, at most 60 characters. */
export function show(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return JSON.stringify(clean.length > 60 ? `${clean.slice(0, 57)}...` : clean);
}

/** Integer TCP port, 0 (ephemeral) to 65535. */
export function parsePort(name: string, value: string): number {
  if (!/^\d{1,5}$/.test(value.trim()) || Number(value) > 65535) {
    throw new ConfigError(name, `not a port number ${show(value)}; use an integer from 0 to 65535`);
  }
  return Number(value);
}

/** Duration in seconds via the token core's `parseDuration`; `min` 0 or 1. */
export function parseSeconds(name: string, value: string, min: 0 | 1): number {
  let seconds: number;
  try {
    seconds = parseDuration(value.trim());
  } catch {
    throw new ConfigError(
      name,
      `not a duration ${show(value)}; write it like 30s, 15m, 2h, 7 days or 1 week`,
    );
  }
  if (seconds < min) throw new ConfigError(name, `must be more than 0 (got ${show(value)})`);
  return seconds;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** true/false, 1/0, yes/no, on/off (case-insensitive). */
export function parseBoolean(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ConfigError(name, `not a boolean ${show(value)}; use true or false`);
}

const ALGS: readonly Algorithm[] = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'HS256',
  'HS384',
  'HS512',
];

/** A signing algorithm; `none` is refused with its own message (RFC 8725 section 3.1). */
export function parseAlg(name: string, value: string): Algorithm {
  const v = value.trim();
  if (v.toLowerCase() === 'none') {
    throw new ConfigError(name, 'alg "none" is not allowed: tokens would carry no signature');
  }
  const alg = ALGS.find((a) => a === v);
  if (alg === undefined)
    throw new ConfigError(name, `unsupported algorithm ${show(value)}; use one of ${ALGS.join(', ')}`);
  return alg;
}

/** The issuer: an absolute http(s) URL without query, fragment or credentials (RFC 8414 section 2). */
export function parseIssuer(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(name, `not an absolute URL ${show(value)}; use e.g. https://auth.example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(name, `must be an http or https URL (got ${show(url.protocol)})`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigError(name, 'must not contain a query, fragment or credentials');
  }
  return value.trim();
}

/** A database URL: a plain path, a `file:` URL, or `postgres://` / `postgresql://`. */
export function parseDatabaseUrl(name: string, value: string): string {
  const v = value.trim();
  if (v === '') throw new ConfigError(name, 'must not be empty');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(v)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'postgres' && scheme !== 'postgresql' && scheme !== 'file') {
    throw new ConfigError(
      name,
      `unsupported scheme ${show(scheme)}; use a file path, file: URL or postgres:// URL`,
    );
  }
  return v;
}

/** A Redis URL (`redis://`, `rediss://`). */
export function parseRedisUrl(name: string, value: string): string {
  const v = value.trim();
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    // Not echoed: a Redis URL may carry a password.
    throw new ConfigError(name, 'not a URL; use redis://host:port or rediss://host:port');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(name, `must be a redis:// or rediss:// URL (got ${show(url.protocol)})`);
  }
  return v;
}

/** Comma-separated origins, each exactly `scheme://host[:port]`. */
export function parseOrigins(name: string, value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(',')) {
    const p = part.trim();
    if (p === '') continue;
    let url: URL | undefined;
    try {
      url = new URL(p);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== p) {
      throw new ConfigError(
        name,
        `not an origin ${show(p)}; write scheme://host[:port] with no path or trailing slash`,
      );
    }
    out.push(url.origin);
  }
  return out;
}

/** false/true, a hop count, or comma-separated addresses / CIDR ranges. */
export function parseTrustProxy(name: string, value: string): TrustProxy {
  const v = value.trim().toLowerCase();
  if (TRUE.has(v) && v !== '1') return true;
  if (FALSE.has(v) && v !== '0') return false;
  if (/^\d{1,3}$/.test(v)) return Number(v) === 0 ? false : Number(v);
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const entry of list) {
    const [addr, bits, extra] = entry.split('/');
    const family = isIP(addr ?? '');
    const maxBits = family === 4 ? 32 : 128;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (family === 0 || !bitsOk || extra !== undefined) {
      throw new ConfigError(name, `not a boolean, hop count, address or CIDR ${show(entry)}`);
    }
  }
  if (list.length === 0) throw new ConfigError(name, 'must not be empty');
  return list;
}

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseLogLevel(name: string, value: string): LogLevel {
  const level = LEVELS.find((l) => l === value.trim().toLowerCase());
  if (level === undefined)
    throw new ConfigError(name, `unknown level ${show(value)}; use one of ${LEVELS.join(', ')}`);
  return level;
}

export function parseCookieMode(name: string, value: string): CookieMode {
  const v = value.trim().toLowerCase();
  if (v === 'off' || v === 'both' || v === 'only') return v;
  throw new ConfigError(name, `unknown mode ${show(value)}; use off, both or only`);
}

/** A secret of at least `minBytes` UTF-8 bytes. Its value never appears in a message. */
export function parseSecret(name: string, value: string, minBytes: number, why: string): string {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes < minBytes) {
    throw new ConfigError(name, `too short: ${bytes} bytes, at least ${minBytes} needed ${why}`);
  }
  return value;
}
