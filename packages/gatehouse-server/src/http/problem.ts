/**
 * The ONE place where errors become HTTP responses: every error outside `/oauth/*` leaves as
 * `application/problem+json` (RFC 9457) with the contract's stable `code`. Fastify's own
 * errors (media type, body size, JSON syntax, schema validation, 404) are mapped to our codes;
 * anything unexpected becomes a generic 500. A stack trace, driver message or request value
 * never reaches the client (Ajv messages name the field and the rule, never the value).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatehouseError, type GatehouseErrorCode, isGatehouseError, toProblem } from 'gatehouse/errors';

/** Media type of every error response. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 6750 challenge for our own Bearer-protected routes. */
export const BEARER_REALM = 'Bearer realm="gatehouse"';

/**
 * Maps an error of Fastify itself (`FST_*`, `err.validation`) to one of ours, or null.
 *
 * @example
 * ```ts
 * fromFastifyError(bodyTooLarge)?.code; // 'PAYLOAD_TOO_LARGE'
 * ```
 */
export function fromFastifyError(err: FastifyError): GatehouseError | null {
  if (err.validation !== undefined) {
    const first = err.validation[0];
    const where = err.validationContext ?? 'body';
    const path = first?.instancePath ? `${where}${first.instancePath.replace(/\//g, '.')}` : where;
    const missing = (first?.params as { missingProperty?: unknown } | undefined)?.missingProperty;
    const extra = (first?.params as { additionalProperty?: unknown } | undefined)?.additionalProperty;
    let detail = `${path} ${first?.message ?? 'is invalid'}`;
    if (typeof missing === 'string')
      detail = `${path} is missing the required field "${missing.slice(0, 64)}"`;
    if (typeof extra === 'string') detail = `${path} has an unknown field "${extra.slice(0, 64)}"`;
    return new GatehouseError('VALIDATION_FAILED', detail, { cause: err });
  }
  const map = (code: GatehouseErrorCode, detail: string) => new GatehouseError(code, detail, { cause: err });
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return map('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return map('PAYLOAD_TOO_LARGE', 'The request body is larger than 16 KiB');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return map('BAD_REQUEST', 'The body is empty but declared as JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return map('BAD_REQUEST', 'Content-Length does not match the body');
    case 'FST_ERR_NOT_FOUND':
      return map('NOT_FOUND', 'No such resource');
    default:
      break;
  }
  const status = err.statusCode ?? 500;
  if (status === 404) return map('NOT_FOUND', 'No such resource');
  if (status === 405) return map('METHOD_NOT_ALLOWED', 'Method not allowed');
  if (status === 413) return map('PAYLOAD_TOO_LARGE', 'The request body is larger than 16 KiB');
  if (status === 415) return map('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
  if (status === 503) return map('SERVICE_UNAVAILABLE', 'Try again later');
  if (status >= 400 && status < 500) return map('BAD_REQUEST', 'The request could not be understood');
  return null;
}

/**
 * Sends `err` as problem+json, with `Retry-After` when the error carries `retryAfter`
 * (headers set earlier, such as the RFC 6750 challenge, are kept).
 *
 * @example
 * ```ts
 * app.setErrorHandler((err, request, reply) => sendProblem(request, reply, err));
 * ```
 */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const known = isGatehouseError(err) ? err : fromFastifyError(err as FastifyError);
  const problem = toProblem(known ?? err, request.url.split('?')[0]);
  if (known?.retryAfter !== undefined)
    reply.header('retry-after', String(Math.max(1, Math.ceil(known.retryAfter))));
  if (problem.status >= 500) {
    // Logged with its stack on the server side only; the client sees the generic body.
    request.log.error({ err }, 'request failed');
  } else {
    request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
  }
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .header('cache-control', 'no-store')
    .send(problem);
}

/**
 * Installs the error handler and the 404 handler on `app`.
 *
 * @example
 * ```ts
 * const app = Fastify();
 * installProblemHandlers(app);
 * ```
 */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => sendProblem(request, reply, err));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, new GatehouseError('NOT_FOUND', 'No route for this method and path')),
  );
}
