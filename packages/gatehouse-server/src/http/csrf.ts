/**
 * CSRF defence for requests authenticated by the refresh cookie alone (CONTRACT section 2):
 * they must carry `Gatehouse-CSRF: 1` and an `Origin` that is the server's own (the issuer's
 * origin) or one of GATEHOUSE_CORS_ORIGINS; else 403 CSRF_REJECTED.
 *
 * Why this holds: a custom header cannot be sent cross-origin without a CORS preflight, which
 * only the allow-listed origins pass (cors.ts); `Origin` is set by the browser and cannot be
 * forged by a page; `SameSite=Strict` on the cookie is a third, independent layer. A missing
 * `Origin` is refused (a browser always sends it on a POST), and so is
 * `Sec-Fetch-Site: cross-site` unless the origin is explicitly allow-listed for CORS (the
 * server's own origin is never cross-site, so that combination is forged or a bug).
 */
import type { FastifyRequest } from 'fastify';
import { GatehouseError } from 'gatehouse/errors';

/** The request header a cookie-authenticated request must carry with the value `1`. */
export const CSRF_HEADER = 'gatehouse-csrf';

export interface CsrfPolicy {
  /** The issuer's origin (`scheme://host[:port]`). */
  ownOrigin: string;
  /** GATEHOUSE_CORS_ORIGINS. */
  corsOrigins: ReadonlySet<string>;
}

/**
 * Builds the policy from the issuer URL and the CORS allow-list.
 *
 * @example
 * ```ts
 * const policy = csrfPolicy('https://auth.example.com', ['https://app.example.com']);
 * ```
 */
export function csrfPolicy(issuer: string, corsOrigins: readonly string[]): CsrfPolicy {
  return { ownOrigin: new URL(issuer).origin, corsOrigins: new Set(corsOrigins) };
}

/**
 * Throws CSRF_REJECTED unless the request passes the checks above.
 *
 * @example
 * ```ts
 * if (tokenCameFromCookie) assertSameOriginRequest(request, policy);
 * ```
 */
export function assertSameOriginRequest(request: FastifyRequest, policy: CsrfPolicy): void {
  const headers = request.headers;
  if (headers[CSRF_HEADER] !== '1') throw rejected('The Gatehouse-CSRF: 1 header is required');
  const origin = headers.origin;
  if (typeof origin !== 'string') throw rejected('The Origin header is required');
  const listed = policy.corsOrigins.has(origin);
  if (origin !== policy.ownOrigin && !listed) throw rejected('This origin may not use the refresh cookie');
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' && !listed) throw rejected('Cross-site requests may not use the refresh cookie');
}

function rejected(detail: string): GatehouseError {
  return new GatehouseError('CSRF_REJECTED', detail);
}
