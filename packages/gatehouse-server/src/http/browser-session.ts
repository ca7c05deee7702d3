/**
 * Cookie mode (GATEHOUSE_COOKIE_MODE) on the routes that issue or take a refresh token:
 * where the token travels out (body, cookie or both) and where it is read from (body first,
 * else the cookie, with the CSRF check of csrf.ts).
 *
 * Refresh races: a browser's tabs may refresh at once with the same cookie. The store's
 * sealed-successor grace answers every one of them with the SAME successor, so every
 * response sets the same cookie and none can overwrite another's. A failed refresh never
 * touches the cookie: the jar may by then hold a newer token (set by the winning tab, or by a
 * new login), and a `Set-Cookie` that clears or replaces it would log the winner out. A dead
 * token left in the jar is harmless: it is HttpOnly, and the next login replaces it. Only
 * logout, an explicit act of the user, clears the cookie.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatehouseError } from 'gatehouse/errors';
import type { CookieMode } from '../config/types.js';
import type { TokenPair } from '../service/types.js';
import { cookieSecure, REFRESH_COOKIE, REFRESH_COOKIE_PATH, readCookie, serializeCookie } from './cookies.js';
import { assertSameOriginRequest, CSRF_HEADER, type CsrfPolicy, csrfPolicy } from './csrf.js';

/** What the auth routes need to know about browsers. */
export interface BrowserPolicy {
  cookieMode: CookieMode;
  secure: boolean;
  csrf: CsrfPolicy;
}

/**
 * The policy of a configuration.
 *
 * @example
 * ```ts
 * authRoutes(app, service, browserPolicy({ cookieMode: 'both', issuer, corsOrigins: [] }));
 * ```
 */
export function browserPolicy(config: {
  cookieMode: CookieMode;
  issuer: string;
  corsOrigins: readonly string[];
}): BrowserPolicy {
  return {
    cookieMode: config.cookieMode,
    secure: cookieSecure(config.issuer),
    csrf: csrfPolicy(config.issuer, config.corsOrigins),
  };
}

/** A refresh token and where it came from. */
export interface PresentedToken {
  token: string;
  source: 'body' | 'cookie';
}

/**
 * The refresh token of a request: the body's `refresh_token` when given (no CSRF check: a
 * page on another site cannot read the token to put it there), else the cookie, which a
 * browser attaches by itself and therefore must pass the CSRF check. Null when neither.
 *
 * @example
 * ```ts
 * const presented = presentedRefreshToken(request, request.body?.refresh_token, policy);
 * ```
 */
export function presentedRefreshToken(
  request: FastifyRequest,
  bodyToken: unknown,
  policy: BrowserPolicy,
): PresentedToken | null {
  if (typeof bodyToken === 'string') return { token: bodyToken, source: 'body' };
  if (policy.cookieMode === 'off') return null;
  const token = readCookie(request.headers.cookie, REFRESH_COOKIE);
  if (token === null) return null;
  assertSameOriginRequest(request, policy.csrf);
  return { token, source: 'cookie' };
}

/**
 * The refresh cookie as a known-device marker at login (no CSRF check needed: it only picks
 * which throttle counter a login with a correct password is charged to).
 *
 * @example
 * ```ts
 * service.login(body, { ...requestContext(request), knownDeviceToken: refreshCookieOf(request, policy) });
 * ```
 */
export function refreshCookieOf(request: FastifyRequest, policy: BrowserPolicy): string | null {
  return policy.cookieMode === 'off' ? null : readCookie(request.headers.cookie, REFRESH_COOKIE);
}

/**
 * Sends a token pair the way the mode says: `off` body only; `both` body and cookie; `only`
 * cookie, and the body without `refresh_token`.
 *
 * @example
 * ```ts
 * return sendTokenPair(noStore(reply), pair, policy);
 * ```
 */
export function sendTokenPair(reply: FastifyReply, pair: TokenPair, policy: BrowserPolicy): FastifyReply {
  if (policy.cookieMode === 'off') return reply.send(pair);
  reply.header(
    'set-cookie',
    serializeCookie(REFRESH_COOKIE, pair.refresh_token, {
      path: REFRESH_COOKIE_PATH,
      maxAge: pair.refresh_expires_in,
      secure: policy.secure,
      httpOnly: true,
      sameSite: 'Strict',
    }),
  );
  if (policy.cookieMode === 'both') return reply.send(pair);
  const { refresh_token: _omitted, ...rest } = pair;
  return reply.send(rest);
}

/**
 * Clears the refresh cookie (logout).
 *
 * @example
 * ```ts
 * clearRefreshCookie(reply, policy).code(204).send();
 * ```
 */
export function clearRefreshCookie(reply: FastifyReply, policy: BrowserPolicy): FastifyReply {
  if (policy.cookieMode === 'off') return reply;
  return reply.header(
    'set-cookie',
    serializeCookie(REFRESH_COOKIE, '', {
      path: REFRESH_COOKIE_PATH,
      maxAge: 0,
      secure: policy.secure,
      httpOnly: true,
      sameSite: 'Strict',
    }),
  );
}

/**
 * True when a request with no refresh token meant to use the cookie (it sent the CSRF
 * header, as cookie-mode clients do): its cookie is gone (expired, or never set), which is a
 * missing credential, not a malformed request.
 *
 * @example
 * ```ts
 * if (presented === null && !wantedCookie(request, policy)) throw refreshTokenRequired();
 * ```
 */
export function wantedCookie(request: FastifyRequest, policy: BrowserPolicy): boolean {
  return policy.cookieMode !== 'off' && request.headers[CSRF_HEADER] === '1';
}

/**
 * The error of a refresh with no token at all: 401 INVALID_REFRESH_TOKEN for a cookie-mode
 * client whose cookie is gone (its SDK then ends the session), else 400 VALIDATION_FAILED as
 * for any missing field.
 *
 * @example
 * ```ts
 * if (presented === null) throw missingRefreshToken(request, policy);
 * ```
 */
export function missingRefreshToken(request: FastifyRequest, policy: BrowserPolicy): GatehouseError {
  if (wantedCookie(request, policy)) {
    return new GatehouseError('INVALID_REFRESH_TOKEN', 'No refresh token: the refresh cookie is missing');
  }
  return new GatehouseError('VALIDATION_FAILED', 'body is missing the required field "refresh_token"');
}

/**
 * Request body schema of `/auth/token` and `/auth/logout`: `refresh_token` is optional in the
 * cookie modes (the cookie may carry it) and required with cookies off.
 *
 * @example
 * ```ts
 * schema: { body: refreshBodySchema(policy.cookieMode) }
 * ```
 */
export function refreshBodySchema(mode: CookieMode) {
  return {
    type: 'object',
    additionalProperties: false,
    ...(mode === 'off' ? { required: ['refresh_token'] } : {}),
    properties: { refresh_token: { type: 'string', minLength: 1, maxLength: 512 } },
  } as const;
}

/**
 * Response schema of a token pair: `refresh_token` is absent from the body in `only` mode.
 *
 * @example
 * ```ts
 * response: { 200: tokenPairSchema(policy.cookieMode) }
 * ```
 */
export function tokenPairSchema(mode: CookieMode) {
  if (mode !== 'only') return { $ref: 'TokenPair#' } as const;
  return {
    type: 'object',
    description: 'Token pair; in cookie-only mode the refresh token travels only in the cookie',
    required: ['access_token', 'token_type', 'expires_in', 'refresh_expires_in', 'session_id'],
    properties: {
      access_token: { type: 'string' },
      token_type: { type: 'string', enum: ['Bearer'] },
      expires_in: { type: 'integer' },
      refresh_expires_in: { type: 'integer' },
      session_id: { type: 'string' },
    },
  } as const;
}

/**
 * `preValidation` of the cookie-mode refresh routes: a request with no body at all (a
 * browser relying on the cookie) is validated as `{}`.
 *
 * @example
 * ```ts
 * app.post('/auth/token', { preValidation: emptyBodyAsObject }, handler);
 * ```
 */
export async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined) request.body = {};
}
