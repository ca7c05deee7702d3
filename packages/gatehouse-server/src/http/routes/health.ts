/** Liveness, readiness and Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import { GatehouseError } from 'gatehouse/errors';
import type { ServerMetrics } from '../../metrics.js';
import type { AuthService } from '../../service/types.js';
import { NO_QUERY, problems } from '../schemas.js';

const STATUS = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string' } },
} as const;

/** Seconds a load balancer should wait before probing readiness again. */
const READY_RETRY_AFTER = 5;

/**
 * Registers `GET /healthz` (the process answers), `GET /readyz` (storage answers: 200, else
 * 503 with Retry-After) and `GET /metrics` (Prometheus text).
 *
 * @example
 * ```ts
 * healthRoutes(app, service, metrics);
 * ```
 */
export function healthRoutes(app: FastifyInstance, service: AuthService, metrics: ServerMetrics): void {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness',
        querystring: NO_QUERY,
        response: { 200: STATUS, ...problems(400) },
      },
    },
    async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: storage reachable',
        querystring: NO_QUERY,
        response: { 200: STATUS, ...problems(400, 503) },
      },
    },
    async (request, reply) => {
      let ready = false;
      try {
        ready = await service.ready();
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
      }
      if (!ready) {
        throw new GatehouseError('SERVICE_UNAVAILABLE', 'Storage is not reachable', {
          retryAfter: READY_RETRY_AFTER,
        });
      }
      return reply.header('cache-control', 'no-store').send({ status: 'ready' });
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        querystring: NO_QUERY,
        response: {
          200: {
            description: 'Prometheus text exposition format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          ...problems(400),
        },
      },
    },
    async (_request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .type(metrics.contentType)
        .send(await metrics.render()),
  );
}
