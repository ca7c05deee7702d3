/**
 * The one place the verifier talks HTTP: a JSON GET with a timeout, no redirects and an
 * error that says what failed without echoing credentials or response bodies.
 */

/** A `fetch`-compatible function (the global one by default; injectable for tests). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** A failed fetch, with a short machine-readable reason for status reports. */
export class FetchFailure extends Error {
  override readonly name = 'FetchFailure';
  constructor(
    /** `network`, `timeout`, `http_401`, `http_500`, `not_json`, `bad_body`... */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`fetch failed: ${reason}`, options);
  }
}

/** Options of {@link getJson}. */
export interface GetJsonOptions {
  fetch: FetchLike;
  headers?: Record<string, string>;
  /** Milliseconds before the request is aborted. */
  timeoutMs: number;
  /** Aborts the request early (e.g. `close()`). */
  signal?: AbortSignal;
}

/**
 * GETs a URL and parses a JSON body; throws {@link FetchFailure} on anything else.
 *
 * @example
 * ```ts
 * const { body, headers } = await getJson('https://auth.example/.well-known/jwks.json', {
 *   fetch: globalThis.fetch, timeoutMs: 5000,
 * });
 * ```
 */
export async function getJson(
  url: string | URL,
  options: GetJsonOptions,
): Promise<{ body: unknown; headers: Headers; status: number }> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  let res: Response;
  try {
    res = await options.fetch(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...options.headers },
      signal,
      // Security: never follow a redirect with client credentials attached, and never let a
      // redirect point key discovery somewhere else.
      redirect: 'error',
    });
  } catch (err) {
    throw new FetchFailure(timeout.aborted ? 'timeout' : signal.aborted ? 'aborted' : 'network', {
      cause: err,
    });
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => {});
    throw new FetchFailure(`http_${res.status}`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw new FetchFailure(timeout.aborted ? 'timeout' : 'network', { cause: err });
  }
  try {
    return { body: JSON.parse(text) as unknown, headers: res.headers, status: res.status };
  } catch (err) {
    throw new FetchFailure('not_json', { cause: err });
  }
}

/**
 * HTTP Basic credentials as RFC 6749 section 2.3.1 says: id and secret are
 * `application/x-www-form-urlencoded` first, then joined by `:` and base64-encoded.
 *
 * @example
 * ```ts
 * basicAuth('rs-articles', 's3cret'); // 'Basic cnMtYXJ0aWNsZXM6czNjcmV0'
 * ```
 */
export function basicAuth(clientId: string, clientSecret: string): string {
  const form = (s: string) => new URLSearchParams([['', s]]).toString().slice(1);
  // The form-encoded text is pure ASCII, so btoa (a web global, no Buffer) is enough.
  return `Basic ${btoa(`${form(clientId)}:${form(clientSecret)}`)}`;
}
