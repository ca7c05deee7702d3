/**
 * CORS for browser clients on other origins (GATEHOUSE_CORS_ORIGINS; none by default).
 *
 * Security: only exact origins from the list are reflected, never `*` and never the
 * request's own Origin unchecked; credentials are allowed for them (the refresh cookie of
 * cookie mode). A request from any other origin gets no CORS header at all, so the browser
 * withholds the response from that page.
 */
import type { FastifyInstance } from 'fastify';

const ALLOWED_METHODS = 'GET, POST, DELETE';
const ALLOWED_HEADERS = 'authorization, content-type, gatehouse-csrf';
const EXPOSED_HEADERS = 'retry-after, www-authenticate, x-request-id';
/** Seconds a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE = 600;

/**
 * Adds CORS headers for the allowed origins and answers preflight (`OPTIONS`) requests.
 *
 * @example
 * ```ts
 * installCors(app, ['https://app.example.com']);
 * ```
 */
export function installCors(app: FastifyInstance, origins: readonly string[]): void {
  const allowed = new Set(origins);
  const allowedOrigin = (origin: unknown): string | null =>
    typeof origin === 'string' && allowed.has(origin) ? origin : null;

  app.addHook('onRequest', async (request, reply) => {
    reply.header('vary', 'Origin');
    const origin = allowedOrigin(request.headers.origin);
    if (origin === null) return;
    reply
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-credentials', 'true')
      .header('access-control-expose-headers', EXPOSED_HEADERS);
  });

  app.options('/*', { schema: { hide: true } }, async (request, reply) => {
    if (allowedOrigin(request.headers.origin) !== null) {
      reply
        .header('access-control-allow-methods', ALLOWED_METHODS)
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', String(PREFLIGHT_MAX_AGE));
    }
    return reply.code(204).send();
  });
}
