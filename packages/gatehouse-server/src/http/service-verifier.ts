/**
 * The auth server's own token check, shaped as the resource-server `Verifier` of `gatehouse`,
 * so that the admin routes are guarded by THE SAME code as any resource server: the
 * `authenticate()` hook and `requireRole()` guard of `gatehouse/fastify`, with their RFC 6750
 * challenges. Verification itself is the service's (signature, claims, and the server-side
 * state a resource server only learns through the feed: session, user lock, `jti`, key).
 */
import { decodeJwt, type JwsHeader } from 'gatehouse';
import type { AccessTokenClaims, Verifier } from 'gatehouse/fastify';
import type { AuthService } from '../service/types.js';

/**
 * Wraps `service.authenticate` as a `Verifier`.
 *
 * @example
 * ```ts
 * import { authenticate, requireRole } from 'gatehouse/fastify';
 * const hook = authenticate({ verifier: serviceVerifier(service), realm: 'gatehouse' });
 * app.get('/admin/users', { onRequest: [hook, requireRole('admin')] }, handler);
 * ```
 */
export function serviceVerifier(service: Pick<AuthService, 'authenticate'>): Verifier {
  return {
    async verify(token) {
      const claims = await service.authenticate(token);
      // The token was fully verified above; decoding it again only recovers its header.
      const header = decodeJwt(token).header as unknown as JwsHeader;
      return { claims: { ...claims } as AccessTokenClaims, header };
    },
    ready: async () => {},
    syncRevocations: async () => {},
    status: () => ({
      keys: { source: 'static', up: true, keys: 0 },
      revocation: null,
      cache: { enabled: false, hits: 0, misses: 0, size: 0, hitRate: 0 },
    }),
    close() {},
  };
}
