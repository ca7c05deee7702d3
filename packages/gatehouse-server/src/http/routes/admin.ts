/**
 * `/admin/*`: user administration over HTTP, for callers whose access token has the role
 * `admin`. Guarded by the resource-server middleware's own hooks (`gatehouse/fastify`
 * `authenticate()` + `requireRole('admin')`): no token → 401 with `WWW-Authenticate: Bearer
 * realm="gatehouse"`, a bad or revoked token → 401 `error="invalid_token"`, a non-admin →
 * 403 `INSUFFICIENT_SCOPE` with `error="insufficient_scope"`. Every action is audited.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate, requireRole } from 'gatehouse/fastify';
import type { AuditActor } from '../../service/audit.js';
import type { AuthService } from '../../service/types.js';
import { rejectBody, requestContext } from '../context.js';
import { BEARER_SECURITY, NO_CONTENT, NO_QUERY, problems } from '../schemas.js';
import { serviceVerifier } from '../service-verifier.js';

const USER_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

const LIST_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$', description: 'Page size, 1 to 100 (default 50)' },
    after: { type: 'string', minLength: 1, maxLength: 512, description: 'Cursor from the previous page' },
    filter: { type: 'string', maxLength: 256, description: 'Part of the username (case-insensitive)' },
  },
} as const;

const ADMIN_USER = {
  type: 'object',
  required: ['id', 'username', 'roles', 'createdAt', 'locked'],
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string', format: 'date-time' },
    locked: { type: 'boolean' },
    activeSessions: { type: 'integer' },
  },
} as const;

/** The realm of our challenges, as on the `/auth/*` routes (`BEARER_REALM` of problem.ts). */
const REALM = 'gatehouse';

function actorOf(request: FastifyRequest): AuditActor {
  const ctx = requestContext(request);
  return { actorId: request.auth?.claims.sub ?? null, ip: ctx.ip, requestId: request.id };
}

/** RFC 8288 `Link` to the next page, keeping the caller's limit and filter. */
function nextLink(query: { limit?: string; filter?: string }, next: string): string {
  const params = new URLSearchParams();
  if (query.limit !== undefined) params.set('limit', query.limit);
  if (query.filter !== undefined && query.filter !== '') params.set('filter', query.filter);
  params.set('after', next);
  return `</admin/users?${params.toString()}>; rel="next"`;
}

/**
 * Registers the `/admin/*` routes in their own scope (the guard hooks apply there only).
 *
 * @example
 * ```ts
 * await registerAdmin(app, service);
 * ```
 */
export async function registerAdmin(app: FastifyInstance, service: AuthService): Promise<void> {
  await app.register(async (scope) => {
    if (!scope.hasRequestDecorator('auth')) scope.decorateRequest('auth', undefined);
    // onRequest: refused callers cost no body parsing.
    scope.addHook('onRequest', authenticate({ verifier: serviceVerifier(service), realm: REALM }));
    scope.addHook('onRequest', requireRole('admin'));
    adminRoutes(scope, service);
  });
}

/**
 * Declares the admin routes on a scope that already has the guard hooks.
 *
 * @example
 * ```ts
 * adminRoutes(scope, service);
 * ```
 */
export function adminRoutes(app: FastifyInstance, service: AuthService): void {
  const guarded = problems(400, 401, 403, 503);

  app.get<{ Querystring: { limit?: string; after?: string; filter?: string } }>(
    '/admin/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Users, a page at a time (Link: rel="next" when there are more)',
        security: BEARER_SECURITY,
        querystring: LIST_QUERY,
        response: { 200: { type: 'array', items: ADMIN_USER }, ...guarded },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const query: { limit?: number; after?: string; filter?: string } = {};
      if (q.limit !== undefined) query.limit = Number(q.limit);
      if (q.after !== undefined) query.after = q.after;
      if (q.filter !== undefined) query.filter = q.filter;
      const page = await service.userAdmin.listUsers(query);
      if (page.next !== null) reply.header('link', nextLink(q, page.next));
      return reply.header('cache-control', 'no-store').send(page.users);
    },
  );

  const action = (
    path: string,
    method: 'POST' | 'DELETE',
    summary: string,
    run: (id: string, by: AuditActor) => Promise<unknown>,
  ) =>
    app.route<{ Params: { id: string } }>({
      method,
      url: path,
      preValidation: rejectBody,
      schema: {
        tags: ['admin'],
        summary,
        security: BEARER_SECURITY,
        querystring: NO_QUERY,
        params: USER_PARAMS,
        response: { 204: NO_CONTENT, ...problems(400, 401, 403, 404, 503) },
      },
      handler: async (request, reply) => {
        await run(request.params.id, actorOf(request));
        return reply.code(204).send();
      },
    });

  action('/admin/users/:id/lock', 'POST', 'Lock a user: every session ends, logins are refused', (id, by) =>
    service.userAdmin.lockUser(id, by),
  );
  action('/admin/users/:id/unlock', 'POST', 'Unlock a user', (id, by) =>
    service.userAdmin.unlockUser(id, by),
  );
  action('/admin/users/:id/sessions', 'DELETE', 'End every session of a user', (id, by) =>
    service.userAdmin.revokeUserSessions(id, by),
  );
}
