/**
 * The authorised `fetch`: attaches the access token, refreshes once on a 401 and retries once.
 * Security: the token is only ever attached to allowed origins (the auth server, the page's own
 * origin, and `tokenOrigins`), so a URL built from user input cannot leak it to a third party.
 */
import { ClientError } from './errors.js';

export interface TokenSource {
  /** A valid access token (refreshing first when near expiry). */
  current(): Promise<string>;
  /** Refresh because `rejected` got a 401; resolves to the token to retry with. */
  afterRejection(rejected: string): Promise<string>;
}

function pageHref(): string | undefined {
  const loc = (globalThis as { location?: { href?: unknown } }).location;
  return typeof loc?.href === 'string' ? loc.href : undefined;
}

/**
 * The origins allowed to receive the token: the configured ones plus the page's own.
 *
 * @example
 * ```ts
 * allowedOrigins(new Set(['http://127.0.0.1:5000'])).has(new URL(url).origin);
 * ```
 */
export function allowedOrigins(configured: Set<string>): Set<string> {
  const href = pageHref();
  if (href === undefined) return configured;
  try {
    return new Set([...configured, new URL(href).origin]);
  } catch {
    return configured;
  }
}

/**
 * Builds the Request once (relative URLs resolve against the page in a browser, the auth
 * server elsewhere), so that a retry can replay it from a clone.
 */
function buildRequest(input: RequestInfo | URL, init: RequestInit | undefined, baseUrl: string): Request {
  if (input instanceof Request) return new Request(input, init);
  const href = typeof input === 'string' ? input : input.href;
  let url: URL;
  try {
    url = new URL(href, pageHref() ?? `${baseUrl}/`);
  } catch (err) {
    throw new ClientError('BAD_REQUEST', 'fetch: the URL is not valid', { reason: 'bad_url', cause: err });
  }
  return new Request(url, init);
}

/**
 * `fetch` with `Authorization: Bearer`. A 401 triggers exactly one refresh and one retry (never
 * a loop); a second 401 is returned to the caller as is. Network errors of the call itself
 * are thrown unchanged, as `fetch` would.
 *
 * @example
 * ```ts
 * const res = await authorizedFetch(fetch, tokens, origins, baseUrl, '/articles');
 * ```
 */
export async function authorizedFetch(
  fetchImpl: typeof fetch,
  tokens: TokenSource,
  origins: Set<string>,
  baseUrl: string,
  input: RequestInfo | URL,
  init?: RequestInit,
): Promise<Response> {
  const pristine = buildRequest(input, init, baseUrl);
  const origin = new URL(pristine.url).origin;
  if (!allowedOrigins(origins).has(origin)) {
    throw new ClientError('OPTION_INVALID', `fetch: ${origin} is not allowed to receive the access token`, {
      reason: 'origin_not_allowed',
    });
  }
  const send = (token: string, request: Request) => {
    request.headers.set('authorization', `Bearer ${token}`);
    return fetchImpl(request);
  };
  const spare = pristine.clone();
  const first = await tokens.current();
  const response = await send(first, pristine);
  if (response.status !== 401) return response;
  // Free the connection of the refused answer before retrying.
  await response.body?.cancel().catch(() => {});
  const second = await tokens.afterRejection(first);
  return send(second, spare);
}
