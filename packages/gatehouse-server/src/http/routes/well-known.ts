/**
 * `/.well-known/*`: the JWKS and the RFC 8414 authorization-server metadata (also served as
 * `openid-configuration`, where many clients look first).
 */
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../../service/types.js';
import { NO_QUERY, problems } from '../schemas.js';

/**
 * RFC 8414 metadata of a Gatehouse server with the given issuer.
 *
 * @example
 * ```ts
 * authorizationServerMetadata('https://auth.example.com').jwks_uri;
 * // 'https://auth.example.com/.well-known/jwks.json'
 * ```
 */
export function authorizationServerMetadata(issuer: string): Record<string, unknown> {
  // Endpoints hang off the issuer exactly as configured; only a trailing slash is dropped so
  // that paths do not get a double slash. `issuer` itself is returned unchanged: it must
  // equal the `iss` of our tokens byte for byte.
  const base = issuer.replace(/\/+$/, '');
  return {
    issuer,
    jwks_uri: `${base}/.well-known/jwks.json`,
    token_endpoint: `${base}/oauth/token`,
    revocation_endpoint: `${base}/oauth/revoke`,
    introspection_endpoint: `${base}/oauth/introspect`,
    grant_types_supported: ['refresh_token'],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ['none'],
    // Public clients revoke without authentication; a resource server may send its Basic credentials.
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_basic'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
    scopes_supported: [],
  };
}

const METADATA_SCHEMA = {
  type: 'object',
  additionalProperties: true,
  required: ['issuer', 'jwks_uri', 'token_endpoint', 'response_types_supported'],
  properties: {
    issuer: { type: 'string' },
    jwks_uri: { type: 'string' },
    token_endpoint: { type: 'string' },
    revocation_endpoint: { type: 'string' },
    introspection_endpoint: { type: 'string' },
  },
} as const;

const JWKS_SCHEMA = {
  type: 'object',
  required: ['keys'],
  properties: { keys: { type: 'array', items: { type: 'object', additionalProperties: true } } },
} as const;

/**
 * Registers `GET /.well-known/jwks.json`, `/.well-known/oauth-authorization-server` and
 * `/.well-known/openid-configuration`.
 *
 * @example
 * ```ts
 * wellKnownRoutes(app, service, config.issuer);
 * ```
 */
export function wellKnownRoutes(app: FastifyInstance, service: AuthService, issuer: string): void {
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['discovery'],
        summary: 'Public verification keys (empty in HS* mode: a shared secret is never published)',
        querystring: NO_QUERY,
        response: { 200: JWKS_SCHEMA, ...problems(400, 503) },
      },
    },
    async (_request, reply) => {
      const { jwks, maxAge } = await service.jwks();
      return reply
        .header('cache-control', `public, max-age=${Math.max(0, Math.floor(maxAge))}`)
        .type('application/json')
        .send(jwks);
    },
  );

  const metadata = authorizationServerMetadata(issuer);
  for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
    app.get(
      path,
      {
        schema: {
          tags: ['discovery'],
          summary: 'Authorization server metadata (RFC 8414)',
          querystring: NO_QUERY,
          response: { 200: METADATA_SCHEMA, ...problems(400) },
        },
      },
      async (_request, reply) => reply.header('cache-control', 'public, max-age=3600').send(metadata),
    );
  }
}
