/**
 * Errors of the `/oauth/*` endpoints: the `application/json` error object of RFC 6749 section
 * 5.2 (`{ error, error_description }`), which OAuth client libraries read — not
 * problem+json. This is the one place where any error raised in that scope (ours, Fastify's,
 * a validation failure, a bug) becomes such a response; a stack trace never leaves.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isGatehouseError } from 'gatehouse/errors';
import { fromFastifyError } from './problem.js';

/** RFC 6749 5.2, RFC 7009 2.2.1 and the generic server errors. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'temporarily_unavailable'
  | 'server_error';

/**
 * A protocol error with its RFC error code and HTTP status.
 *
 * @example
 * ```ts
 * throw new OAuthError('unsupported_grant_type', 'Only refresh_token is supported');
 * ```
 */
export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly status: number;
  constructor(error: OAuthErrorCode, description: string, status?: number) {
    super(description);
    this.name = 'OAuthError';
    this.error = error;
    this.status = status ?? (error === 'invalid_client' ? 401 : 400);
  }
}

/** RFC 6749 5.2: error_description is %x20-21 / %x23-5B / %x5D-7E only. */
function describe(text: string): string {
  return text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, ' ').slice(0, 300);
}

interface Mapped {
  status: number;
  error: OAuthErrorCode;
  description: string;
  retryAfter?: number;
}

/**
 * Maps any error to the RFC 6749 error it stands for.
 *
 * @example
 * ```ts
 * toOAuthError(new GatehouseError('REFRESH_TOKEN_REUSED')).error; // 'invalid_grant'
 * ```
 */
export function toOAuthError(err: unknown): Mapped {
  if (err instanceof OAuthError) return { status: err.status, error: err.error, description: err.message };
  const known = isGatehouseError(err) ? err : fromFastifyError(err as FastifyError);
  if (known === null)
    return { status: 500, error: 'server_error', description: 'An unexpected error occurred' };
  const base = { description: known.message };
  switch (known.code) {
    case 'INVALID_REFRESH_TOKEN':
      return { ...base, status: 400, error: 'invalid_grant', description: 'The refresh token is invalid' };
    case 'REFRESH_TOKEN_REUSED':
      // RFC 9700 4.14: reuse ends the session; the client only needs to know the grant failed.
      return {
        ...base,
        status: 400,
        error: 'invalid_grant',
        description: 'The refresh token was already used: the session has been ended',
      };
    case 'INVALID_CLIENT':
      return { ...base, status: 401, error: 'invalid_client', description: 'Client authentication failed' };
    case 'SERVICE_UNAVAILABLE':
    case 'TOO_MANY_ATTEMPTS': {
      const mapped: Mapped = {
        status: known.status,
        error: 'temporarily_unavailable',
        description: 'Try again later',
      };
      if (known.retryAfter !== undefined) mapped.retryAfter = known.retryAfter;
      return mapped;
    }
    case 'PAYLOAD_TOO_LARGE':
      return { status: 413, error: 'invalid_request', description: 'The request body is larger than 16 KiB' };
    case 'UNSUPPORTED_MEDIA_TYPE':
      return {
        status: 400,
        error: 'invalid_request',
        description: 'Send the body as application/x-www-form-urlencoded',
      };
    default:
      break;
  }
  if (known.status >= 500)
    return { status: 500, error: 'server_error', description: 'An unexpected error occurred' };
  return { ...base, status: 400, error: 'invalid_request' };
}

/**
 * Sends `err` as an RFC 6749 error response (`Cache-Control: no-store`, `Retry-After` when
 * known; headers set earlier, such as a `WWW-Authenticate` challenge, are kept).
 *
 * @example
 * ```ts
 * scope.setErrorHandler((err, request, reply) => sendOAuthError(request, reply, err));
 * ```
 */
export function sendOAuthError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const mapped = toOAuthError(err);
  if (mapped.status >= 500 && mapped.status !== 503) request.log.error({ err }, 'request failed');
  else request.log.info({ error: mapped.error, status: mapped.status }, 'oauth request rejected');
  if (mapped.retryAfter !== undefined)
    reply.header('retry-after', String(Math.max(1, Math.ceil(mapped.retryAfter))));
  return reply
    .code(mapped.status)
    .type('application/json')
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .send({ error: mapped.error, error_description: describe(mapped.description) });
}

/**
 * Makes every error of `scope` an RFC 6749 error response.
 *
 * @example
 * ```ts
 * await app.register(async (scope) => { installOAuthErrors(scope); oauthRoutes(scope, service); });
 * ```
 */
export function installOAuthErrors(scope: FastifyInstance): void {
  scope.setErrorHandler((err, request, reply) => sendOAuthError(request, reply, err));
}
