/**
 * `gatehouse/web`: `Request` in, verified claims or a ready RFC 6750 `Response` out — for
 * Hono, Next.js route handlers, Bun/Deno/plain `fetch` servers. No framework involved.
 */
import { createVerifier, type Verifier } from '../verifier/create-verifier.js';
import {
  type AdapterOptions,
  type AuthFailure,
  type AuthOptions,
  authenticate,
  authorize,
  DEFAULT_REALM,
  type Requirement,
  toAuthFailure,
  verifierFrom,
} from '../verifier/http-auth.js';
import type { AuthInfo } from '../verifier/types.js';

export type { AccessTokenClaims, AuthInfo, VerifierStatus } from '../verifier/types.js';
export type { AdapterOptions, AuthFailure, AuthOptions, Requirement, Verifier };
export { createVerifier, toAuthFailure };

/**
 * Result of {@link WebAuth}: the claims, or the response to return as is. `auth` is always
 * set unless `credentialsRequired` may be false (then undefined means "no token").
 */
export type WebAuthResult<A extends AuthInfo | undefined = AuthInfo | undefined> =
  | { ok: true; auth: A }
  | { ok: false; status: number; response: Response };

/** A request authenticator; also checks roles/scopes when asked. */
export interface WebAuth<A extends AuthInfo | undefined = AuthInfo | undefined> {
  (request: Request, need?: Requirement): Promise<WebAuthResult<A>>;
  /** The verifier in use (status(), ready(), close()). */
  readonly verifier: Verifier;
}

/** `AuthInfo` when a token is required (the default), `AuthInfo | undefined` otherwise. */
export type AuthOf<O> = 'credentialsRequired' extends keyof O
  ? false extends O['credentialsRequired' & keyof O]
    ? AuthInfo | undefined
    : AuthInfo
  : AuthInfo;

/**
 * Turns a failure into a `Response` (problem+json body, `WWW-Authenticate` challenge).
 *
 * @example
 * ```ts
 * return failureResponse(toAuthFailure(err, 'api'));
 * ```
 */
export function failureResponse(failure: AuthFailure): Response {
  return new Response(JSON.stringify(failure.body), { status: failure.status, headers: failure.headers });
}

/**
 * Creates an authenticator for `Request` objects. Options are those of `createVerifier`
 * (or `verifier`), plus `realm`, `credentialsRequired`, `cookie` and `getToken`.
 *
 * @example
 * ```ts
 * import { createWebAuth } from 'gatehouse/web';
 * const auth = createWebAuth({ issuer: 'http://127.0.0.1:5000', audience: 'gatehouse' });
 *
 * export async function GET(request: Request) {          // a Next.js route handler
 *   const result = await auth(request, { roles: ['admin'] });
 *   if (!result.ok) return result.response;
 *   return Response.json({ hello: result.auth.claims.sub });
 * }
 * ```
 */
export function createWebAuth<const O extends AdapterOptions<Request>>(options: O): WebAuth<AuthOf<O>> {
  const verifier = verifierFrom(options as AdapterOptions<never>);
  const opts: AuthOptions<Request> = options;
  const realm = opts.realm ?? DEFAULT_REALM;
  const carriers = (request: Request) => ({
    authorization: request.headers.get('authorization'),
    cookie: options.cookie === undefined ? null : request.headers.get('cookie'),
  });
  const auth = async (request: Request, need?: Requirement): Promise<WebAuthResult<AuthOf<O>>> => {
    const outcome = await authenticate(verifier, request, carriers(request), opts);
    if (!outcome.ok)
      return { ok: false, status: outcome.failure.status, response: failureResponse(outcome.failure) };
    if (need !== undefined && (need.roles !== undefined || need.scopes !== undefined)) {
      const denied = authorize(outcome.auth, need, realm);
      if (denied !== undefined)
        return { ok: false, status: denied.status, response: failureResponse(denied) };
    }
    // Without credentialsRequired: false, authenticate() never succeeds without auth.
    return { ok: true, auth: outcome.auth as AuthOf<O> };
  };
  return Object.assign(auth, { verifier });
}
