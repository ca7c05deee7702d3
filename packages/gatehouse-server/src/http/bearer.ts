/**
 * Bearer authentication for the auth server's own routes (RFC 6750). The token is read from
 * the `Authorization` header only, never from the query string or the body (section 2.3 is
 * not supported on purpose: URLs end up in logs, history and Referer headers).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatehouseError, isGatehouseError } from 'gatehouse/errors';
import type { AccessClaims, AuthService } from '../service/types.js';
import { BEARER_REALM } from './problem.js';

/**
 * Verified claims per request. A WeakMap rather than a `FastifyRequest` augmentation:
 * `request.auth` belongs to the resource-server adapter (`gatehouse/fastify`), whose type
 * differs, and an embedding application must not see this server's internals on its requests.
 */
const CLAIMS = new WeakMap<FastifyRequest, AccessClaims>();

/**
 * The verified claims of a request that passed {@link requireBearer}.
 *
 * @example
 * ```ts
 * app.get('/auth/me', { onRequest: requireBearer(service) }, async (req) => service.me(claimsOf(req)));
 * ```
 */
export function claimsOf(request: FastifyRequest): AccessClaims {
  const claims = CLAIMS.get(request);
  // A route that forgot the hook fails closed instead of acting for nobody.
  if (claims === undefined) throw new GatehouseError('UNAUTHORIZED', 'Authentication required');
  return claims;
}

/** Longest Authorization header considered; anything longer is refused without parsing. */
const MAX_HEADER = 8192;

/**
 * Extracts the token from `Authorization: Bearer <token>` (scheme case-insensitive, one or
 * more spaces). Returns `null` when the header is absent or uses another scheme, and
 * `undefined` when it says Bearer but carries no well-formed token.
 */
export function parseBearer(header: string | undefined): string | null | undefined {
  if (header === undefined || header === '') return null;
  if (header.length > MAX_HEADER) return undefined;
  const m = /^([A-Za-z]+)(?: +(\S*))? *$/.exec(header);
  if (m === null) return /^bearer\b/i.test(header) ? undefined : null;
  if (m[1]!.toLowerCase() !== 'bearer') return null;
  const token = m[2];
  // RFC 6750 b64token characters only: anything else cannot be one of our JWTs.
  if (token === undefined || !/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) return undefined;
  return token;
}

/** Token verification failures: 401 with `error="invalid_token"`. */
function isTokenError(err: GatehouseError): boolean {
  return err.status === 401;
}

/**
 * An `onRequest` hook that requires a valid access token of this server and keeps its claims
 * for {@link claimsOf}. It runs before the body is read, so unauthenticated requests cost no
 * parsing. No token → 401 UNAUTHORIZED with `WWW-Authenticate: Bearer realm="gatehouse"`; a
 * bad token → 401 with the token error's code and `error="invalid_token"`.
 *
 * @example
 * ```ts
 * app.get('/auth/me', { onRequest: requireBearer(service) }, async (req) => service.me(claimsOf(req)));
 * ```
 */
export function requireBearer(service: Pick<AuthService, 'authenticate'>) {
  return async function bearerHook(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = parseBearer(request.headers.authorization);
    if (token === null) {
      reply.header('www-authenticate', BEARER_REALM);
      throw new GatehouseError('UNAUTHORIZED', 'Send an access token as "Authorization: Bearer <token>"');
    }
    if (token === undefined) {
      reply.header('www-authenticate', `${BEARER_REALM}, error="invalid_request"`);
      throw new GatehouseError('UNAUTHORIZED', 'The Authorization header is not a well-formed Bearer token');
    }
    try {
      CLAIMS.set(request, await service.authenticate(token));
    } catch (err) {
      if (isGatehouseError(err) && isTokenError(err)) {
        // The description is the stable error code: it never echoes the token and needs no escaping.
        reply.header(
          'www-authenticate',
          `${BEARER_REALM}, error="invalid_token", error_description="${err.code}"`,
        );
      }
      throw err;
    }
  };
}
