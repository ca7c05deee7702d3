/**
 * The standard OAuth endpoints, for OAuth client libraries and resource servers:
 * `POST /oauth/token` (RFC 6749 refresh grant, public client), `POST /oauth/revoke`
 * (RFC 7009) and `POST /oauth/introspect` (RFC 7662, client credentials). Bodies are
 * `application/x-www-form-urlencoded` and errors are RFC 6749 section 5.2 JSON: both only in
 * this scope (see `registerOAuth`). Policy stays in the service: `/oauth/token` is the very
 * same rotation and reuse detection as `/auth/token`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../../service/types.js';
import { clientOf, requireClient } from '../client-auth.js';
import { noStore, requestContext } from '../context.js';
import { installFormParser } from '../form-parser.js';
import { installOAuthErrors, OAuthError } from '../oauth-error.js';
import { NO_QUERY } from '../schemas.js';

type Form = Record<string, string | undefined>;

/** Longest parameter value accepted (tokens are far shorter; the body limit caps the rest). */
const MAX_VALUE = 8192;

/** RFC 6749 appendix A.1: client_id is VSCHAR (%x20-7E). */
const CLIENT_ID = /^[\x20-\x7e]{1,256}$/;

const OAUTH_ERROR = {
  description: 'RFC 6749 section 5.2 error',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'string' }, error_description: { type: 'string' } },
      },
    },
  },
} as const;

function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [String(s), OAUTH_ERROR]));
}

/** Every parameter is a string; unknown ones are ignored as RFC 6749 section 3.2 requires. */
function formBody(known: readonly string[], required: readonly string[]) {
  return {
    type: 'object',
    required: [...required],
    additionalProperties: true,
    properties: Object.fromEntries(known.map((k) => [k, { type: 'string', maxLength: MAX_VALUE }])),
  } as const;
}

const FORM = ['application/x-www-form-urlencoded'];

/** The body of a form request, or an empty form when there was none. */
function formOf(request: FastifyRequest): Form {
  const body = request.body;
  return body !== null && typeof body === 'object' ? (body as Form) : {};
}

function need(form: Form, name: string): string {
  const value = form[name];
  if (value === undefined) throw new OAuthError('invalid_request', `The ${name} parameter is required`);
  return value;
}

function checkClientId(form: Form): void {
  const id = form.client_id;
  if (id !== undefined && !CLIENT_ID.test(id)) throw new OAuthError('invalid_request', 'Malformed client_id');
}

/**
 * Registers the `/oauth/*` routes in their own scope: the form parser and the RFC 6749 error
 * handler apply there only.
 *
 * @example
 * ```ts
 * await registerOAuth(app, service);
 * ```
 */
export async function registerOAuth(app: FastifyInstance, service: AuthService): Promise<void> {
  await app.register(async (scope) => {
    installFormParser(scope);
    installOAuthErrors(scope);
    oauthRoutes(scope, service);
  });
}

/**
 * Declares the three routes on a scope that already has the form parser and error handler.
 *
 * @example
 * ```ts
 * oauthRoutes(scope, service);
 * ```
 */
export function oauthRoutes(app: FastifyInstance, service: AuthService): void {
  const checkClient = requireClient(service);

  app.post(
    '/oauth/token',
    {
      schema: {
        tags: ['oauth'],
        summary: 'RFC 6749 refresh grant (public client): the refresh token rotates',
        consumes: FORM,
        querystring: NO_QUERY,
        body: formBody(['grant_type', 'refresh_token', 'client_id', 'scope'], []),
        response: {
          200: {
            type: 'object',
            required: ['access_token', 'token_type', 'expires_in', 'refresh_token'],
            properties: {
              access_token: { type: 'string' },
              token_type: { type: 'string', enum: ['Bearer'] },
              expires_in: { type: 'integer' },
              refresh_token: { type: 'string' },
            },
          },
          ...errors(400, 413, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const form = formOf(request);
      const grant = need(form, 'grant_type');
      if (grant !== 'refresh_token') {
        throw new OAuthError('unsupported_grant_type', 'Only the refresh_token grant is supported');
      }
      const refreshToken = need(form, 'refresh_token');
      checkClientId(form);
      // Our tokens carry no scope, so a refresh can ask for none (RFC 6749 section 6).
      if (form.scope !== undefined) throw new OAuthError('invalid_scope', 'No scope can be requested');
      const pair = await service.refresh(refreshToken, requestContext(request));
      return noStore(reply).send({
        access_token: pair.access_token,
        token_type: 'Bearer',
        expires_in: pair.expires_in,
        refresh_token: pair.refresh_token,
      });
    },
  );

  app.post(
    '/oauth/revoke',
    {
      schema: {
        tags: ['oauth'],
        summary: 'RFC 7009 revocation: a refresh token ends its session, an access token is denied',
        consumes: FORM,
        querystring: NO_QUERY,
        body: formBody(['token', 'token_type_hint', 'client_id'], []),
        response: {
          200: { type: 'null', description: 'Revoked, or nothing to revoke' },
          ...errors(400, 401, 413, 503),
        },
      },
    },
    async (request, reply) => {
      // Public clients need no authentication; credentials that ARE sent must be right
      // (RFC 7009 section 2.1), so a resource server's typo does not silently do nothing.
      const authorization = request.headers.authorization;
      if (authorization !== undefined && /^basic\b/i.test(authorization)) await checkClient(request, reply);
      const form = formOf(request);
      const token = need(form, 'token');
      checkClientId(form);
      const ctx = requestContext(request);
      await service.oauth.revoke(token, form.token_type_hint, {
        actorId: null,
        ip: ctx.ip,
        requestId: request.id,
      });
      return noStore(reply).code(200).send();
    },
  );

  app.post(
    '/oauth/introspect',
    {
      onRequest: checkClient,
      schema: {
        tags: ['oauth'],
        summary: 'RFC 7662 introspection (client credentials, HTTP Basic)',
        consumes: FORM,
        querystring: NO_QUERY,
        body: formBody(['token', 'token_type_hint'], []),
        response: {
          200: {
            type: 'object',
            required: ['active'],
            properties: {
              active: { type: 'boolean' },
              token_type: { type: 'string' },
              client_id: { type: 'string' },
              username: { type: 'string' },
              sub: { type: 'string' },
              aud: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
              iss: { type: 'string' },
              jti: { type: 'string' },
              exp: { type: 'integer' },
              iat: { type: 'integer' },
              sid: { type: 'string' },
              roles: { type: 'array', items: { type: 'string' } },
            },
          },
          ...errors(400, 401, 413, 503),
        },
      },
    },
    async (request, reply) => {
      const token = need(formOf(request), 'token');
      const result = await service.oauth.introspect(token, clientOf(request).client_id);
      return noStore(reply).send(result);
    },
  );
}
