/**
 * Errors of the client: every failure is a `GatehouseError` whose `code` is from the catalogue.
 * A problem+json answer of the server keeps its own code string in `serverCode`, so a code the
 * catalogue does not know yet (a newer server) is still visible to the app.
 */
import { ERRORS, GatehouseError, type GatehouseErrorCode } from '../errors.js';

/** Extra fields of an error that came from an HTTP answer. */
export interface ClientErrorDetails {
  /** The server's `code` string as sent (may be outside the catalogue). */
  serverCode?: string;
  /** The HTTP status of the answer. */
  httpStatus?: number;
  reason?: string;
  retryAfter?: number;
  cause?: unknown;
}

/**
 * A `GatehouseError` raised by the client. `instanceof GatehouseError` and `isGatehouseError`
 * both hold; switch on `code`.
 *
 * @example
 * ```ts
 * try { await client.login({ username, password }); }
 * catch (err) {
 *   if (err instanceof ClientError && err.code === 'INVALID_CREDENTIALS') showWrongPassword();
 * }
 * ```
 */
export class ClientError extends GatehouseError {
  readonly serverCode?: string;
  readonly httpStatus?: number;

  constructor(code: GatehouseErrorCode, message?: string, details: ClientErrorDetails = {}) {
    const options: { reason?: string; retryAfter?: number; cause?: unknown } = {};
    if (details.reason !== undefined) options.reason = details.reason;
    if (details.retryAfter !== undefined) options.retryAfter = details.retryAfter;
    if (details.cause !== undefined) options.cause = details.cause;
    super(code, message, options);
    if (details.serverCode !== undefined) this.serverCode = details.serverCode;
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
  }
}

/**
 * The catalogue code for an HTTP status, when the server's code is missing or unknown.
 *
 * @example
 * ```ts
 * codeForStatus(429); // 'TOO_MANY_ATTEMPTS'
 * ```
 */
export function codeForStatus(status: number): GatehouseErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'INSUFFICIENT_SCOPE';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'TOO_MANY_ATTEMPTS';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
  }
}

function isCatalogued(code: unknown): code is GatehouseErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}

function retryAfterOf(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null || !/^\d{1,9}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/**
 * Builds the error for a non-2xx answer. The body is read as problem+json when it is one;
 * only `code`, `title` and `detail` are used (the server promises they hold no secrets), and
 * nothing of the request (tokens, passwords) is ever put in the message.
 *
 * @example
 * ```ts
 * const res = await fetch(url);
 * if (!res.ok) throw await errorFromResponse(res);
 * ```
 */
export async function errorFromResponse(response: Response): Promise<ClientError> {
  let body: unknown;
  try {
    const text = await response.text();
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const problem = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const serverCode = typeof problem.code === 'string' ? problem.code : undefined;
  const code = isCatalogued(serverCode) ? serverCode : codeForStatus(response.status);
  const detail =
    typeof problem.detail === 'string' && problem.detail.length <= 500 ? problem.detail : undefined;
  const details: ClientErrorDetails = { httpStatus: response.status };
  if (serverCode !== undefined) details.serverCode = serverCode;
  const retryAfter = retryAfterOf(response);
  if (retryAfter !== undefined) details.retryAfter = retryAfter;
  return new ClientError(code, detail ?? `HTTP ${response.status}`, details);
}

/**
 * The error for a request that never got an answer (offline, DNS, refused, aborted).
 *
 * @example
 * ```ts
 * try { res = await fetch(url); } catch (err) { throw networkError(err); }
 * ```
 */
export function networkError(cause: unknown): ClientError {
  const aborted = cause instanceof Error && cause.name === 'AbortError';
  return new ClientError(
    'SERVICE_UNAVAILABLE',
    aborted ? 'The request was aborted' : 'The auth server could not be reached',
    { reason: aborted ? 'aborted' : 'network', cause },
  );
}

/**
 * The error for an operation that needs a session when there is none.
 *
 * @example
 * ```ts
 * if (tokens === undefined) throw notLoggedIn();
 * ```
 */
export function notLoggedIn(): ClientError {
  return new ClientError('UNAUTHORIZED', 'Not logged in', { reason: 'not_logged_in' });
}

/**
 * True when `err` is a client or core error with this `code`.
 *
 * @example
 * ```ts
 * if (isGatehouseCode(err, 'REFRESH_TOKEN_REUSED')) warnOfTheft();
 * ```
 */
export function isGatehouseCode(err: unknown, code: GatehouseErrorCode): boolean {
  return err instanceof GatehouseError && err.code === code;
}
