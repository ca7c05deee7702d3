/**
 * The framework-neutral HTTP side of a resource server, shared by `gatehouse/web`,
 * `gatehouse/express` and `gatehouse/fastify`: where the token comes from, how an error becomes
 * a status + RFC 6750 challenge + problem+json body (CONTRACT.md section 3), and role/scope
 * checks. Adapters only move these results into their framework's request/response objects.
 */
import { ERRORS, GatehouseError, isGatehouseError, type Problem, toProblem } from '../errors.js';
import { bearerChallenge, parseAuthorization, readCookie } from './bearer.js';
import { createVerifier, type Verifier } from './create-verifier.js';
import { missing, rolesOf, scopesOf } from './guards.js';
import type { VerifierOptions } from './options.js';
import type { AuthInfo } from './types.js';

/** How the adapters find the token and answer failures. `Req` is the framework's request type. */
export interface AuthOptions<Req = unknown> {
  /** `realm` of every `WWW-Authenticate` challenge; default 'gatehouse'. */
  realm?: string;
  /** When false, a request WITHOUT a token passes with no `auth` (a bad token is still refused). Default true. */
  credentialsRequired?: boolean;
  /** Also read the token from this cookie when there is no `Authorization: Bearer` header. */
  cookie?: string;
  /** Custom token getter; replaces the header/cookie lookup. Return undefined/null for "no token". */
  getToken?: (req: Req) => string | undefined | null | Promise<string | undefined | null>;
}

/** Adapter options: a ready verifier (shared between apps), or the options to create one. */
export type AdapterOptions<Req = unknown> = (VerifierOptions | { verifier: Verifier }) & AuthOptions<Req>;

/** A ready-to-send failure. */
export interface AuthFailure {
  status: number;
  headers: Record<string, string>;
  body: Problem;
}

/** The outcome of authenticating one request. */
export type AuthOutcome = { ok: true; auth: AuthInfo | undefined } | { ok: false; failure: AuthFailure };

/** The header values the token may come from (as the framework gives them). */
export interface TokenCarriers {
  authorization: string | readonly string[] | undefined | null;
  cookie: string | readonly string[] | undefined | null;
}

/** What the guards require; every listed role and every listed scope must be present. */
export interface Requirement {
  roles?: readonly string[];
  scopes?: readonly string[];
}

export const DEFAULT_REALM = 'gatehouse';

/**
 * Returns the given verifier, or creates one from the options (a bad option throws here,
 * at start-up, naming it).
 *
 * @example
 * ```ts
 * const verifier = verifierFrom({ secret: process.env.ACCESS_TOKEN_SECRET! });
 * ```
 */
export function verifierFrom(options: AdapterOptions<never>): Verifier {
  if (typeof options !== 'object' || options === null) {
    throw new GatehouseError('OPTION_INVALID', 'The options argument must be an object', {
      claim: 'options',
    });
  }
  const o = options as AuthOptions;
  if (o.credentialsRequired !== undefined && typeof o.credentialsRequired !== 'boolean') {
    throw new GatehouseError('OPTION_INVALID', 'The credentialsRequired option must be a boolean', {
      claim: 'credentialsRequired',
    });
  }
  if (o.realm !== undefined && typeof o.realm !== 'string') {
    throw new GatehouseError('OPTION_INVALID', 'The realm option must be a string', { claim: 'realm' });
  }
  if (
    o.cookie !== undefined &&
    (typeof o.cookie !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(o.cookie))
  ) {
    throw new GatehouseError('OPTION_INVALID', 'The cookie option must be a cookie name', {
      claim: 'cookie',
    });
  }
  if (o.getToken !== undefined && typeof o.getToken !== 'function') {
    throw new GatehouseError('OPTION_INVALID', 'The getToken option must be a function', {
      claim: 'getToken',
    });
  }
  if ('verifier' in options && options.verifier !== undefined) {
    const v = options.verifier as Partial<Verifier>;
    if (typeof v.verify !== 'function') {
      throw new GatehouseError('OPTION_INVALID', 'The verifier option must come from createVerifier()', {
        claim: 'verifier',
      });
    }
    return options.verifier;
  }
  return createVerifier(options as VerifierOptions);
}

/**
 * Maps any verification error to the contract's response: 401 + bare challenge (no token),
 * 401 + `invalid_token` (any bad or revoked token), 403 + `insufficient_scope`, 503 (cannot
 * decide safely). The description is the catalogue title, never the token or a raw message.
 *
 * @example
 * ```ts
 * toAuthFailure(new GatehouseError('TOKEN_EXPIRED'), 'api').headers['www-authenticate'];
 * // 'Bearer realm="api", error="invalid_token", error_description="Token expired"'
 * ```
 */
export function toAuthFailure(err: unknown, realm: string, scope?: readonly string[]): AuthFailure {
  // Security: whatever a token makes the verifier throw, the answer is a 401, never a 500.
  const e = isGatehouseError(err)
    ? err
    : new GatehouseError('TOKEN_MALFORMED', 'Invalid token', { cause: err });
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
  };
  if (e.code === 'TOKEN_MISSING') {
    headers['www-authenticate'] = bearerChallenge({ realm });
    return { status: 401, headers, body: toProblem(e) };
  }
  if (e.code === 'INSUFFICIENT_SCOPE') {
    headers['www-authenticate'] = bearerChallenge({
      realm,
      error: 'insufficient_scope',
      description: ERRORS.INSUFFICIENT_SCOPE.title,
      ...(scope === undefined ? {} : { scope }),
    });
    return { status: 403, headers, body: toProblem(e) };
  }
  if (e.status === 503) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(e.retryAfter ?? 1)));
    return { status: 503, headers, body: toProblem(e) };
  }
  if (e.status >= 400 && e.status < 500) {
    const title = ERRORS[e.code].title;
    const description = e.code === 'CLAIM_INVALID' && e.claim !== undefined ? `${title}: ${e.claim}` : title;
    headers['www-authenticate'] = bearerChallenge({ realm, error: 'invalid_token', description });
    const problem = toProblem(e.status === 401 ? e : new GatehouseError('TOKEN_MALFORMED', 'Invalid token'));
    return { status: 401, headers, body: problem };
  }
  // A server-side fault (e.g. a throwing getToken): generic 500, no detail leaves the process.
  return {
    status: 500,
    headers,
    body: toProblem(new GatehouseError('INTERNAL_ERROR', 'An unexpected error occurred')),
  };
}

/**
 * Finds the token and verifies it. Order: the custom getter alone when given; otherwise the
 * `Authorization: Bearer` header, then the named cookie.
 *
 * @example
 * ```ts
 * const outcome = await authenticate(verifier, req, { authorization: req.headers.authorization, cookie: undefined }, {});
 * if (!outcome.ok) send(outcome.failure);
 * ```
 */
export async function authenticate<Req>(
  verifier: Verifier,
  req: Req,
  carriers: TokenCarriers,
  options: AuthOptions<Req>,
): Promise<AuthOutcome> {
  const realm = options.realm ?? DEFAULT_REALM;
  let token: string | undefined;
  if (options.getToken !== undefined) {
    let got: string | undefined | null;
    try {
      got = await options.getToken(req);
    } catch (err) {
      const e = isGatehouseError(err)
        ? err
        : new GatehouseError('INTERNAL_ERROR', 'getToken failed', { cause: err });
      return { ok: false, failure: toAuthFailure(e, realm) };
    }
    if (got !== undefined && got !== null && got !== '') {
      if (typeof got !== 'string')
        return { ok: false, failure: toAuthFailure(new GatehouseError('TOKEN_MALFORMED'), realm) };
      token = got;
    }
  } else {
    const parsed = parseAuthorization(carriers.authorization);
    if (parsed.kind === 'malformed') {
      return {
        ok: false,
        failure: toAuthFailure(
          new GatehouseError('TOKEN_MALFORMED', 'Malformed Authorization header'),
          realm,
        ),
      };
    }
    if (parsed.kind === 'token') token = parsed.token;
    else if (options.cookie !== undefined) {
      const value = readCookie(carriers.cookie, options.cookie);
      if (value !== undefined && value !== '') token = value;
    }
  }
  if (token === undefined) {
    if (options.credentialsRequired === false) return { ok: true, auth: undefined };
    return {
      ok: false,
      failure: toAuthFailure(new GatehouseError('TOKEN_MISSING', 'No access token'), realm),
    };
  }
  try {
    return { ok: true, auth: await verifier.verify(token) };
  } catch (err) {
    return { ok: false, failure: toAuthFailure(err, realm) };
  }
}

/**
 * Checks roles and scopes; returns the failure to send, or undefined when allowed. No `auth`
 * (optional authentication, no token) answers 401 with the bare challenge.
 *
 * @example
 * ```ts
 * authorize(auth, { roles: ['admin'] }, 'api'); // undefined, or a 403 insufficient_scope failure
 * ```
 */
export function authorize(
  auth: AuthInfo | undefined,
  need: Requirement,
  realm: string,
): AuthFailure | undefined {
  if (auth === undefined) return toAuthFailure(new GatehouseError('TOKEN_MISSING', 'No access token'), realm);
  const lackingRoles = need.roles === undefined ? [] : missing(rolesOf(auth.claims), need.roles);
  const lackingScopes = need.scopes === undefined ? [] : missing(scopesOf(auth.claims), need.scopes);
  if (lackingRoles.length === 0 && lackingScopes.length === 0) return undefined;
  const err = new GatehouseError(
    'INSUFFICIENT_SCOPE',
    lackingScopes.length > 0 ? 'The token lacks a required scope' : 'The token lacks a required role',
    { reason: lackingScopes.length > 0 ? 'scope' : 'role' },
  );
  return toAuthFailure(err, realm, need.scopes);
}

/**
 * Validates guard arguments once, when the route is declared.
 *
 * @example
 * ```ts
 * guardList('requireRole', ['admin']); // ['admin']
 * ```
 */
export function guardList(name: string, values: readonly unknown[]): string[] {
  if (values.length === 0 || !values.every((v) => typeof v === 'string' && v !== '')) {
    throw new GatehouseError('OPTION_INVALID', `${name}() needs one or more non-empty strings`, {
      claim: name,
    });
  }
  return values as string[];
}
