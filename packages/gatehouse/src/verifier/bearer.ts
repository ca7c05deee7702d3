/**
 * Reading a bearer token out of a request, and the ONE builder of RFC 6750 challenges.
 *
 * Everything here is pure string work on header values, shared by every adapter, so the
 * parsing rules and the escaping live in exactly one place.
 */

/** Result of reading the `Authorization` header. */
export type BearerParse =
  | { kind: 'token'; token: string }
  /** No header, or a scheme other than Bearer (e.g. Basic): not our credentials. */
  | { kind: 'none' }
  /** A Bearer scheme whose credentials are not exactly one token68 value. */
  | { kind: 'malformed' };

// RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
// RFC 9110 token characters, for the auth-scheme.
const SCHEME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

const isSpace = (c: number) => c === 32 || c === 9;

/**
 * Parses an `Authorization` header value. The scheme is matched case-insensitively
 * (RFC 9110 section 11.1); the credentials must be exactly one token68 value.
 *
 * @example
 * ```ts
 * parseAuthorization('bearer eyJhbGciOi...'); // { kind: 'token', token: 'eyJhbGciOi...' }
 * parseAuthorization('Basic dXNlcjpwYXNz');   // { kind: 'none' }
 * parseAuthorization('Bearer a b');           // { kind: 'malformed' }
 * ```
 */
export function parseAuthorization(header: string | readonly string[] | undefined | null): BearerParse {
  // Several Authorization headers: ambiguous, refuse rather than pick one.
  if (Array.isArray(header)) return header.length === 0 ? { kind: 'none' } : { kind: 'malformed' };
  if (typeof header !== 'string') return { kind: 'none' };
  // Hand-written scan (this runs on every request): skip leading spaces, read the scheme up
  // to the first space, skip spaces, the rest (trailing spaces trimmed) is the credentials.
  let start = 0;
  let end = header.length;
  while (start < end && isSpace(header.charCodeAt(start))) start++;
  while (end > start && isSpace(header.charCodeAt(end - 1))) end--;
  if (start === end) return { kind: 'none' };
  let schemeEnd = start;
  while (schemeEnd < end && !isSpace(header.charCodeAt(schemeEnd))) schemeEnd++;
  const scheme = header.slice(start, schemeEnd);
  // Security: the scheme comparison is case-insensitive, but only `Bearer` is ours. A Basic
  // (or any other) header is not a bearer token, so it counts as "no token" (RFC 6750 3.1).
  if (scheme.length !== 6 || scheme.toLowerCase() !== 'bearer') {
    return SCHEME.test(scheme) ? { kind: 'none' } : { kind: 'malformed' };
  }
  let tokenStart = schemeEnd;
  while (tokenStart < end && isSpace(header.charCodeAt(tokenStart))) tokenStart++;
  const token = header.slice(tokenStart, end);
  // Exactly one token68 value: "Bearer", "Bearer a b" and "Bearer a,b" are all malformed.
  if (!TOKEN68.test(token)) return { kind: 'malformed' };
  return { kind: 'token', token };
}

/**
 * Reads one cookie from a `Cookie` header (RFC 6265 section 5.4 syntax), without any
 * dependency. Returns the first cookie of that name; values in double quotes are unquoted.
 * The value is returned as sent (no percent-decoding: a JWT never needs it).
 *
 * @example
 * ```ts
 * readCookie('theme=dark; access_token=eyJ...', 'access_token'); // 'eyJ...'
 * ```
 */
export function readCookie(
  header: string | readonly string[] | undefined | null,
  name: string,
): string | undefined {
  if (header === undefined || header === null) return undefined;
  const text = typeof header === 'string' ? header : header.join('; ');
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value;
  }
  return undefined;
}

/** The parameters of one `WWW-Authenticate: Bearer` challenge. */
export interface BearerChallenge {
  /** Protection space shown to clients; required by the contract on every challenge. */
  realm: string;
  /** RFC 6750 section 3.1 error code. */
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  /** Human-readable, safe text (never contains the token). */
  description?: string;
  /** Scopes (space-separated in the header) the resource needs. */
  scope?: readonly string[];
}

// quoted-string (RFC 9110 5.6.4): escape backslash and quote; drop every control character
// so that no CR/LF can ever reach a header (header injection) and the value stays printable.
function quoted(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping CTLs is the point
  const printable = value.replace(/[\u0000-\u001f\u007f-\uffff]/g, '');
  return `"${printable.replace(/(["\\])/g, '\\$1')}"`;
}

// RFC 6750 3: error_description is restricted to %x20-21 / %x23-5B / %x5D-7E (no quote, no
// backslash at all, even escaped); anything else is replaced by a space.
function description(value: string): string {
  return `"${value.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, ' ')}"`;
}

// scope-token = 1*( %x21 / %x23-5B / %x5D-7E ); tokens with other characters are dropped.
function scopeValue(scopes: readonly string[]): string {
  return `"${scopes.filter((s) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s)).join(' ')}"`;
}

/**
 * Builds a `WWW-Authenticate` value for the Bearer scheme (RFC 6750 section 3). Every adapter
 * uses this one function, so escaping is done once and cannot be forgotten.
 *
 * @example
 * ```ts
 * bearerChallenge({ realm: 'api' });
 * // 'Bearer realm="api"'
 * bearerChallenge({ realm: 'api', error: 'invalid_token', description: 'Token expired' });
 * // 'Bearer realm="api", error="invalid_token", error_description="Token expired"'
 * ```
 */
export function bearerChallenge(challenge: BearerChallenge): string {
  const params = [`realm=${quoted(challenge.realm)}`];
  if (challenge.error !== undefined) params.push(`error="${challenge.error}"`);
  if (challenge.description !== undefined)
    params.push(`error_description=${description(challenge.description)}`);
  if (challenge.scope !== undefined && challenge.scope.length > 0)
    params.push(`scope=${scopeValue(challenge.scope)}`);
  return `Bearer ${params.join(', ')}`;
}
