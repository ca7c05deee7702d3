import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatehouseError } from 'gatehouse/errors';
import type { RequestContext } from '../service/types.js';

/**
 * The service's view of the caller. `request.ip` honours GATEHOUSE_TRUST_PROXY: without it,
 * `X-Forwarded-For` is ignored, so a client cannot pick its own address for throttling.
 *
 * @example
 * ```ts
 * await service.login(request.body, requestContext(request));
 * ```
 */
export function requestContext(request: FastifyRequest): RequestContext {
  const ua = request.headers['user-agent'];
  return {
    ip: request.ip ?? null,
    userAgent: typeof ua === 'string' && ua !== '' ? ua.slice(0, 256) : null,
    requestId: request.id,
  };
}

/**
 * Marks a response as carrying tokens: never stored by a browser or proxy cache
 * (RFC 6749 section 5.1).
 */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

/**
 * `preValidation` hook of routes that take no body: nothing, or an empty JSON object (some
 * clients always send `{}`), is accepted; anything else is a 400 rather than silently ignored.
 */
export async function rejectBody(request: FastifyRequest): Promise<void> {
  const body = request.body;
  if (body === undefined || body === null) return;
  if (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0) return;
  throw new GatehouseError('VALIDATION_FAILED', 'body must be empty');
}
