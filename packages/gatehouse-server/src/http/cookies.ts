/**
 * A strict, small cookie parser and serializer (RFC 6265), enough for the refresh cookie.
 * The parser never throws: a malformed pair is skipped, a duplicated name makes the cookie
 * ambiguous and it is treated as absent (cookie tossing from a sibling subdomain cannot pick
 * which of two values the server reads), and values are taken as is (no percent-decoding:
 * our tokens are base64url and need none).
 */

/** Name of the refresh-token cookie of cookie mode. */
export const REFRESH_COOKIE = 'gatehouse_refresh';
/** The cookie is only sent to `/auth/*` (CONTRACT section 2). */
export const REFRESH_COOKIE_PATH = '/auth';

const TOKEN_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;
/** Header size we bother to parse; Node already caps all headers at 16 KiB. */
const MAX_HEADER = 8192;

/**
 * The value of cookie `name` in a `Cookie` header, or null when absent, malformed or sent
 * more than once.
 *
 * @example
 * ```ts
 * readCookie('a=1; gatehouse_refresh=ghr_x', 'gatehouse_refresh'); // 'ghr_x'
 * ```
 */
export function readCookie(header: string | string[] | undefined, name: string): string | null {
  const text = Array.isArray(header) ? header.join('; ') : header;
  if (typeof text !== 'string' || text === '' || text.length > MAX_HEADER) return null;
  let found: string | null = null;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!COOKIE_VALUE.test(value)) return null;
    if (found !== null) return null; // ambiguous: two cookies of that name
    found = value;
  }
  return found === '' ? null : found;
}

export interface CookieAttributes {
  path: string;
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'Strict' | 'Lax';
}

/**
 * One `Set-Cookie` value. Throws on a name or value outside RFC 6265's grammar (a bug, never
 * user input: the only values are our own tokens).
 *
 * @example
 * ```ts
 * serializeCookie('gatehouse_refresh', 'ghr_x', { path: '/auth', maxAge: 60, secure: true, httpOnly: true, sameSite: 'Strict' });
 * // 'gatehouse_refresh=ghr_x; Path=/auth; Max-Age=60; HttpOnly; SameSite=Strict; Secure'
 * ```
 */
export function serializeCookie(name: string, value: string, attrs: CookieAttributes): string {
  if (!TOKEN_NAME.test(name)) throw new TypeError('invalid cookie name');
  if (!COOKIE_VALUE.test(value)) throw new TypeError('invalid cookie value');
  if (!/^\/[\x21-\x3A\x3C-\x7E]*$/.test(attrs.path)) throw new TypeError('invalid cookie path');
  const maxAge = Math.max(0, Math.floor(attrs.maxAge));
  let out = `${name}=${value}; Path=${attrs.path}; Max-Age=${maxAge}`;
  if (maxAge === 0) out += '; Expires=Thu, 01 Jan 1970 00:00:00 GMT';
  if (attrs.httpOnly) out += '; HttpOnly';
  out += `; SameSite=${attrs.sameSite}`;
  if (attrs.secure) out += '; Secure';
  return out;
}

/**
 * Whether cookies for this issuer must be `Secure`: always, except for a plain-http issuer on
 * a loopback address (local development and the demo), where a browser would drop them.
 *
 * @example
 * ```ts
 * cookieSecure('http://127.0.0.1:5000'); // false
 * cookieSecure('https://auth.example.com'); // true
 * cookieSecure('http://auth.example.com'); // true (and the browser will not send it over http)
 * ```
 */
export function cookieSecure(issuer: string): boolean {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return true;
  }
  if (url.protocol !== 'http:') return true;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
  return !loopback;
}
