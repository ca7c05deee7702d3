/**
 * The requests of each operation, for Gatehouse and for the seed-style baseline. Every
 * connection keeps its own state (a refresh-token chain, an access token) in autocannon's
 * per-connection context.
 */
import { BENCH_PASSWORD, BENCH_USER } from './children.js';
import type { RequestSpec } from './load.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** A distinct client address per request (the auth server trusts X-Forwarded-For in the bench). */
function clientAddress(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * Gatehouse `POST /auth/token` along rotation chains: every answer's refresh token goes to
 * the end of the pool and a later request presents it, so each token is presented exactly once and
 * the chains go on (starting from the pre-seeded sessions). The pool is shared because
 * autocannon resets a connection's context after each request.
 *
 * @example
 * ```ts
 * const requests = gatehouseRefresh(pool);
 * ```
 */
export function gatehouseRefresh(pool: string[]): RequestSpec[] {
  // First in, first out: the load spreads over all the sessions (each refreshes now and then,
  // as real clients do) instead of a few very long chains.
  let head = 0;
  return [
    {
      method: 'POST',
      path: '/auth/token',
      headers: JSON_HEADERS,
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ refresh_token: pool[head++] }) }),
      onResponse(status, body) {
        // A failed rotation ends that chain; the next request starts another session.
        if (status === 200) pool.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
      },
    },
  ];
}

/** Gatehouse `POST /auth/login` with the OWASP argon2id hash, one client address per request. */
export function gatehouseLogin(): RequestSpec[] {
  let n = 0;
  const body = JSON.stringify({ username: BENCH_USER, password: BENCH_PASSWORD });
  return [
    {
      method: 'POST',
      path: '/auth/login',
      body,
      setupRequest: (req) => ({
        ...req,
        headers: { ...JSON_HEADERS, 'x-forwarded-for': clientAddress(++n) },
      }),
    },
  ];
}

/**
 * `GET <path>` with a bearer token per connection (round-robin over `tokens`).
 *
 * @example
 * ```ts
 * const requests = bearerGet('/auth/me', accessTokens);
 * ```
 */
export function bearerGet(path: string, tokens: string[]): RequestSpec[] {
  let n = 0;
  return [
    {
      method: 'GET',
      path,
      setupRequest(req, context) {
        context.token ??= tokens[n++ % tokens.length];
        return { ...req, headers: { authorization: `Bearer ${String(context.token)}` } };
      },
    },
  ];
}

/** A plain `GET <path>` (the no-auth reference). */
export function plainGet(path: string): RequestSpec[] {
  return [{ method: 'GET', path }];
}

/** Baseline `POST /token`: any seeded refresh token, any number of times (the seed never rotates). */
export function baselineRefresh(tokens: string[]): RequestSpec[] {
  return [
    {
      method: 'POST',
      path: '/token',
      headers: JSON_HEADERS,
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({ token: tokens[Math.floor(Math.random() * tokens.length)] }),
      }),
    },
  ];
}

/** Baseline `POST /login` (the seed checks no password: "suppose authentication is done"). */
export function baselineLogin(): RequestSpec[] {
  let n = 0;
  return [
    {
      method: 'POST',
      path: '/login',
      headers: JSON_HEADERS,
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ username: `bench${++n}` }) }),
    },
  ];
}
