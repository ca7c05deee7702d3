/**
 * `gatehouse/express`: a middleware that sets `req.auth`, and route guards. It only maps the
 * framework-neutral results of `verifier/http-auth.ts` onto Express objects; it imports
 * Express TYPES only, so `gatehouse` keeps zero runtime dependencies.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createVerifier, type Verifier } from '../verifier/create-verifier.js';
import {
  type AdapterOptions,
  type AuthFailure,
  authenticate as authenticateRequest,
  authorize,
  DEFAULT_REALM,
  guardList,
  type Requirement,
  verifierFrom,
} from '../verifier/http-auth.js';
import type { AuthInfo } from '../verifier/types.js';

export type { AccessTokenClaims, AuthInfo, VerifierStatus } from '../verifier/types.js';
export type { AdapterOptions, Verifier };
export { createVerifier };

declare global {
  namespace Express {
    interface Request {
      /** Set by `gatehouse/express`: the verified claims and header (undefined without a token when optional). */
      auth?: AuthInfo;
    }
  }
}

/** The middleware, carrying its verifier for `status()` / `close()`. */
export interface GatehouseMiddleware extends RequestHandler {
  readonly verifier: Verifier;
}

// The realm of the middleware that authenticated a request, for the guards' challenges.
const realms = new WeakMap<object, string>();

function send(res: Response, failure: AuthFailure): void {
  res.statusCode = failure.status;
  for (const [name, value] of Object.entries(failure.headers)) res.setHeader(name, value);
  res.end(JSON.stringify(failure.body));
}

/**
 * Authenticates every request it sees: sets `req.auth` and calls `next()`, or answers 401/503
 * itself (CONTRACT.md section 3). Options: those of `createVerifier` (or `verifier`), plus
 * `realm`, `credentialsRequired`, `cookie` and `getToken`.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { authenticate, requireRole } from 'gatehouse/express';
 *
 * const app = express();
 * const auth = authenticate({ secret: process.env.ACCESS_TOKEN_SECRET! });
 * app.get('/articles', auth, (req, res) => res.json(articles.filter((a) => a.owner === req.auth?.claims.sub)));
 * app.get('/articles/all', auth, requireRole('admin'), (req, res) => res.json(articles));
 * ```
 */
export function authenticate(options: AdapterOptions<Request>): GatehouseMiddleware {
  const verifier = verifierFrom(options as AdapterOptions<never>);
  const realm = options.realm ?? DEFAULT_REALM;
  const middleware = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const headers = req.headers;
    const outcome = await authenticateRequest(
      verifier,
      req,
      { authorization: headers.authorization, cookie: headers.cookie },
      options,
    );
    if (!outcome.ok) {
      send(res, outcome.failure);
      return;
    }
    // Only a non-default realm is remembered for the guards (no per-request cost otherwise).
    if (realm !== DEFAULT_REALM) realms.set(req, realm);
    if (outcome.auth !== undefined) req.auth = outcome.auth;
    next();
  };
  return Object.assign(middleware, { verifier });
}

function guard(need: Requirement): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const failure = authorize(req.auth, need, realms.get(req) ?? DEFAULT_REALM);
    if (failure === undefined) next();
    else send(res, failure);
  };
}

/**
 * Guard: the token's `roles` claim must contain EVERY listed role, else 403
 * `insufficient_scope`. Place it after `authenticate(...)`.
 *
 * @example
 * ```ts
 * app.delete('/articles/:id', auth, requireRole('admin'), handler);
 * ```
 */
export function requireRole(...roles: string[]): RequestHandler {
  return guard({ roles: guardList('requireRole', roles) });
}

/**
 * Guard: the token's scopes (`scope` string or `scp` array) must contain EVERY listed scope,
 * else 403 `insufficient_scope` with `scope="..."`.
 *
 * @example
 * ```ts
 * app.post('/articles', auth, requireScope('articles:write'), handler);
 * ```
 */
export function requireScope(...scopes: string[]): RequestHandler {
  return guard({ scopes: guardList('requireScope', scopes) });
}
