/**
 * Calls to the auth server (CONTRACT.md section 2). Security decisions made here:
 * - cookie mode sends `credentials: 'include'` so the HttpOnly refresh cookie travels, and
 *   `Gatehouse-CSRF: 1` on the cookie-authenticated calls (/auth/token, /auth/logout): a
 *   cross-site form cannot set that header, so the server can refuse forged requests;
 * - otherwise `credentials: 'omit'`: no cookie is sent or stored by accident;
 * - `cache: 'no-store'`: token answers are never cached.
 */
import { ClientError, errorFromResponse, networkError } from './errors.js';

export interface AuthCallOptions {
  body?: unknown;
  bearer?: string;
  /** Authenticated by the refresh cookie: add the CSRF header. */
  cookieAuth?: boolean;
}

export interface HttpContext {
  baseUrl: string;
  fetch: typeof fetch;
  cookieMode: boolean;
}

/**
 * One call to the auth server; resolves to the 2xx Response, throws a `ClientError` otherwise.
 *
 * @example
 * ```ts
 * const res = await authCall(ctx, 'POST', '/auth/login', { body: { username, password } });
 * ```
 */
export async function authCall(
  ctx: HttpContext,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: AuthCallOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  if (options.cookieAuth === true) headers['gatehouse-csrf'] = '1';
  const init: RequestInit = {
    method,
    headers,
    credentials: ctx.cookieMode ? 'include' : 'omit',
    cache: 'no-store',
  };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  let response: Response;
  // Called detached: a browser's `window.fetch` throws "Illegal invocation" as a method of ctx.
  const fetchImpl = ctx.fetch;
  try {
    response = await fetchImpl(ctx.baseUrl + path, init);
  } catch (err) {
    throw networkError(err);
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

/**
 * The JSON body of a 2xx answer; an answer that is not JSON is an `INTERNAL_ERROR` with reason
 * `bad_response` (the message never includes the body: it may hold tokens).
 *
 * @example
 * ```ts
 * const me = await readJson(await authCall(ctx, 'GET', '/auth/me', { bearer }));
 * ```
 */
export async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text());
  } catch (err) {
    throw new ClientError('INTERNAL_ERROR', 'The server sent an answer that is not JSON', {
      reason: 'bad_response',
      httpStatus: response.status,
      cause: err,
    });
  }
}
