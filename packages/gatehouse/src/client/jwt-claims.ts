/**
 * Reads the few claims the client needs for timing and display from an access token, WITHOUT
 * verifying it. Security: the client never trusts these values for access decisions (the
 * resource servers verify the signature); they only schedule refreshes and fill `session`.
 * Works in browsers and Node (atob + TextDecoder, no Buffer).
 */

/** The unverified claims the client reads. Any of them may be missing. */
export interface PeekedClaims {
  iat?: number;
  exp?: number;
  sub?: string;
  sid?: string;
  username?: string;
  roles?: string[];
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

function decodeSegment(segment: string): unknown {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
}

const finite = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The claims of a compact JWS payload, or `{}` for an opaque or malformed token (never throws).
 *
 * @example
 * ```ts
 * const { exp, iat } = peekClaims(pair.access_token);
 * ```
 */
export function peekClaims(token: string): PeekedClaims {
  const parts = token.split('.');
  const payload = parts[1];
  if (parts.length !== 3 || payload === undefined || payload.length > 16_384 || !SEGMENT.test(payload))
    return {};
  let raw: unknown;
  try {
    raw = decodeSegment(payload);
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const claims = raw as Record<string, unknown>;
  const out: PeekedClaims = {};
  const iat = finite(claims.iat);
  const exp = finite(claims.exp);
  if (iat !== undefined) out.iat = iat;
  if (exp !== undefined) out.exp = exp;
  const sub = text(claims.sub);
  const sid = text(claims.sid);
  const username = text(claims.username);
  if (sub !== undefined) out.sub = sub;
  if (sid !== undefined) out.sid = sid;
  if (username !== undefined) out.username = username;
  if (Array.isArray(claims.roles) && claims.roles.every((r) => typeof r === 'string'))
    out.roles = claims.roles;
  return out;
}
