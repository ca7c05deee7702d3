/**
 * `GET /auth/revocations?after=CURSOR[&wait=SECONDS]`: the revocation feed resource servers
 * follow (docs/api/revocation-feed.md). Client credentials with HTTP Basic; long-poll with
 * `wait`; every response `Cache-Control: no-store`.
 */
import type { FastifyInstance } from 'fastify';
import { GatehouseError } from 'gatehouse/errors';
import { MAX_WAIT_MS } from '../../service/revocation-feed.js';
import type { AuthService } from '../../service/types.js';
import { requireClient } from '../client-auth.js';
import { problems } from '../schemas.js';

interface FeedQuery {
  after: string;
  wait?: string;
}

/** Query strings stay strings (no coercion): the patterns are the validation. */
const FEED_QUERY = {
  type: 'object',
  additionalProperties: false,
  required: ['after'],
  properties: {
    after: {
      type: 'string',
      pattern: '^[0-9]{1,15}$',
      description: 'cursor of the previous response; 0 at start',
    },
    // The verifier sends its configured wait as a number of seconds, possibly fractional.
    wait: {
      type: 'string',
      pattern: '^[0-9]{1,6}(\\.[0-9]{1,6})?$',
      description:
        'long-poll: seconds to hold the request while nothing is new (values above 25 count as 25)',
    },
  },
} as const;

const FEED_RESPONSE = {
  type: 'object',
  required: ['entries', 'cursor'],
  properties: {
    entries: {
      type: 'array',
      items: {
        type: 'object',
        required: ['cursor', 'kind', 'value', 'notBefore', 'expiresAt'],
        properties: {
          cursor: { type: 'integer' },
          kind: { type: 'string', enum: ['jti', 'sid', 'sub', 'kid'] },
          value: { type: 'string' },
          notBefore: { type: ['integer', 'null'], description: 'epoch seconds (sub only)' },
          expiresAt: { type: 'integer', description: 'epoch seconds' },
        },
      },
    },
    cursor: { type: 'integer' },
  },
} as const;

/**
 * Registers the feed route. Long-polls end early when the client goes away or the server
 * shuts down, so `close()` never waits for a held request.
 *
 * @example
 * ```ts
 * revocationRoutes(app, service);
 * ```
 */
export function revocationRoutes(app: FastifyInstance, service: AuthService): void {
  const shutdown = new AbortController();
  app.addHook('preClose', async () => shutdown.abort());

  app.get<{ Querystring: FeedQuery }>(
    '/auth/revocations',
    {
      onRequest: requireClient(service),
      schema: {
        tags: ['resource servers'],
        summary: 'Revocation feed for resource servers (client credentials with HTTP Basic)',
        querystring: FEED_QUERY,
        response: { 200: FEED_RESPONSE, ...problems(400, 401, 503) },
      },
    },
    async (request, reply) => {
      const after = Number(request.query.after);
      if (!Number.isSafeInteger(after)) throw new GatehouseError('VALIDATION_FAILED', 'after is too large');
      const waitMs = request.query.wait === undefined ? 0 : Number(request.query.wait) * 1000;
      const gone = new AbortController();
      const onClose = () => gone.abort();
      const onShutdown = () => gone.abort();
      // The response's "close" before it finished: the client disconnected.
      reply.raw.once('close', onClose);
      shutdown.signal.addEventListener('abort', onShutdown, { once: true });
      if (shutdown.signal.aborted) gone.abort();
      try {
        const page = await service.revocations.read(after, {
          waitMs: Math.min(waitMs, MAX_WAIT_MS),
          signal: gone.signal,
        });
        return reply.header('cache-control', 'no-store').send(page);
      } finally {
        reply.raw.off('close', onClose);
        shutdown.signal.removeEventListener('abort', onShutdown);
      }
    },
  );
}
