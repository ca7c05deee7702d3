/**
 * `/auth/*` routes of CONTRACT.md section 2: register, login, token (refresh), logout,
 * logout-all, me, sessions, password. Thin: validation by schema, policy in the service.
 */
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../../service/types.js';
import { claimsOf, requireBearer } from '../bearer.js';
import {
  type BrowserPolicy,
  clearRefreshCookie,
  emptyBodyAsObject,
  missingRefreshToken,
  presentedRefreshToken,
  refreshBodySchema,
  refreshCookieOf,
  sendTokenPair,
  tokenPairSchema,
  wantedCookie,
} from '../browser-session.js';
import { noStore, rejectBody, requestContext } from '../context.js';
import {
  BEARER_SECURITY,
  CREDENTIALS_BODY,
  ME_RESPONSE,
  NO_CONTENT,
  NO_QUERY,
  PASSWORD_BODY,
  problems,
  SESSION_PARAMS,
} from '../schemas.js';

interface Credentials {
  username: string;
  password: string;
}

/**
 * Registers the `/auth/*` routes.
 *
 * @example
 * ```ts
 * await app.register(async (scope) => authRoutes(scope, service));
 * ```
 */
export function authRoutes(app: FastifyInstance, service: AuthService, browser: BrowserPolicy = OFF): void {
  const bearer = requireBearer(service);
  const cookies = browser.cookieMode !== 'off';

  app.post<{ Body: Credentials }>(
    '/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an account',
        querystring: NO_QUERY,
        body: CREDENTIALS_BODY,
        response: { 201: { $ref: 'User#' }, ...problems(400, 403, 409, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const user = await service.register(request.body, requestContext(request));
      return reply.code(201).send(user);
    },
  );

  app.post<{ Body: Credentials }>(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with a username and password',
        querystring: NO_QUERY,
        body: CREDENTIALS_BODY,
        response: {
          200: tokenPairSchema(browser.cookieMode),
          ...problems(400, 401, 403, 413, 415, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const knownDeviceToken = refreshCookieOf(request, browser);
      const pair = await service.login(request.body, { ...requestContext(request), knownDeviceToken });
      return sendTokenPair(noStore(reply), pair, browser);
    },
  );

  app.post<{ Body: { refresh_token?: string } }>(
    '/auth/token',
    {
      ...(cookies ? { preValidation: emptyBodyAsObject } : {}),
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new token pair (the refresh token rotates)',
        querystring: NO_QUERY,
        body: refreshBodySchema(browser.cookieMode),
        response: { 200: tokenPairSchema(browser.cookieMode), ...problems(400, 401, 403, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      // Body first; else the cookie, CSRF-checked. A failed refresh leaves the cookie alone
      // (browser-session.ts: a loser of a refresh race must not clear the winner's cookie).
      const presented = presentedRefreshToken(request, request.body?.refresh_token, browser);
      if (presented === null) throw missingRefreshToken(request, browser);
      const pair = await service.refresh(presented.token, requestContext(request));
      return sendTokenPair(noStore(reply), pair, browser);
    },
  );

  app.post<{ Body: { refresh_token?: string } }>(
    '/auth/logout',
    {
      ...(cookies ? { preValidation: emptyBodyAsObject } : {}),
      schema: {
        tags: ['auth'],
        summary: 'End the session of a refresh token (idempotent)',
        querystring: NO_QUERY,
        body: refreshBodySchema(browser.cookieMode),
        response: { 204: NO_CONTENT, ...problems(400, 403, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const presented = presentedRefreshToken(request, request.body?.refresh_token, browser);
      // No token at all: fine for a cookie-mode client whose cookie is already gone (logout is
      // idempotent), a missing field for anyone else.
      if (presented !== null) await service.logout(presented.token, requestContext(request));
      else if (!wantedCookie(request, browser)) throw missingRefreshToken(request, browser);
      return clearRefreshCookie(noStore(reply), browser).code(204).send();
    },
  );

  app.post(
    '/auth/logout-all',
    {
      preValidation: rejectBody,
      onRequest: bearer,
      schema: {
        tags: ['auth'],
        summary: 'End every session of the caller',
        security: BEARER_SECURITY,
        querystring: NO_QUERY,
        response: { 204: NO_CONTENT, ...problems(400, 401, 415, 503) },
      },
    },
    async (request, reply) => {
      await service.logoutAll(claimsOf(request), requestContext(request));
      return reply.code(204).send();
    },
  );

  app.get(
    '/auth/me',
    {
      onRequest: bearer,
      schema: {
        tags: ['auth'],
        summary: 'The caller',
        security: BEARER_SECURITY,
        querystring: NO_QUERY,
        response: { 200: ME_RESPONSE, ...problems(400, 401, 503) },
      },
    },
    async (request, reply) => noStore(reply).send(await service.me(claimsOf(request))),
  );

  app.get(
    '/auth/sessions',
    {
      onRequest: bearer,
      schema: {
        tags: ['auth'],
        summary: "The caller's live sessions",
        security: BEARER_SECURITY,
        querystring: NO_QUERY,
        response: { 200: { type: 'array', items: { $ref: 'Session#' } }, ...problems(400, 401, 503) },
      },
    },
    async (request, reply) => noStore(reply).send(await service.listSessions(claimsOf(request))),
  );

  app.delete<{ Params: { id: string } }>(
    '/auth/sessions/:id',
    {
      preValidation: rejectBody,
      onRequest: bearer,
      schema: {
        tags: ['auth'],
        summary: "End one of the caller's sessions",
        security: BEARER_SECURITY,
        querystring: NO_QUERY,
        params: SESSION_PARAMS,
        response: { 204: NO_CONTENT, ...problems(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      await service.deleteSession(claimsOf(request), request.params.id, requestContext(request));
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { current_password: string; new_password: string } }>(
    '/auth/password',
    {
      onRequest: bearer,
      schema: {
        tags: ['auth'],
        summary: "Change the caller's password (the other sessions end)",
        security: BEARER_SECURITY,
        querystring: NO_QUERY,
        body: PASSWORD_BODY,
        response: { 204: NO_CONTENT, ...problems(400, 401, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      await service.changePassword(claimsOf(request), request.body, requestContext(request));
      return reply.code(204).send();
    },
  );
}

/** Cookies off: what `authRoutes` does when given no browser policy (embedders, old tests). */
const OFF: BrowserPolicy = {
  cookieMode: 'off',
  secure: true,
  csrf: { ownOrigin: 'null', corsOrigins: new Set() },
};
