/**
 * Security headers on every response (OWASP REST and HTTP Headers cheat sheets), set in
 * `onSend` so that errors, 404s and router-level failures get them too:
 * - `X-Content-Type-Options: nosniff`: a JSON body is never sniffed into HTML or script;
 * - `Referrer-Policy: no-referrer`: no URL of ours leaks into another site's logs;
 * - `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` unless a route set
 *   its own: nothing we answer may load anything or be framed (clickjacking); a route that
 *   serves a real page sets a policy of its own, which is kept;
 * - `X-Frame-Options: DENY` for browsers without `frame-ancestors`;
 * - `Cache-Control: no-store` on every `/auth/*` response that did not choose a policy:
 *   tokens, sessions and user data never sit in a shared cache;
 * - no `X-Powered-By` or `Server` banner (Fastify sets none; removed if a plugin adds one).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The CSP of everything the auth server answers (it serves no page of its own). */
export const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Sets the headers on one reply. Used by the hook below and by the router-level error
 * callback (`frameworkErrors`), which Fastify answers without running `onSend` hooks.
 *
 * @example
 * ```ts
 * frameworkErrors: (err, request, reply) => sendProblem(request, applySecurityHeaders(request, reply), err)
 * ```
 */
export function applySecurityHeaders(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', STRICT_CSP);
  if (request.url.startsWith('/auth/') && !reply.hasHeader('cache-control')) {
    reply.header('cache-control', 'no-store');
  }
  reply.removeHeader('x-powered-by');
  reply.removeHeader('server');
  return reply;
}

/**
 * Installs the hook on `app` (before the routes, so that it covers them all).
 *
 * @example
 * ```ts
 * installSecurityHeaders(app);
 * ```
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    applySecurityHeaders(request, reply);
    return payload;
  });
}
