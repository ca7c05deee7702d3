/**
 * `gatehouse/fastify`: a plugin decorating `request.auth`, with `fastify.authenticate` and
 * guards as `preHandler` hooks. Fastify TYPES only; the plugin marks itself with
 * `Symbol.for('skip-override')` (what `fastify-plugin` would do) so no dependency is needed.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { GatehouseError } from '../errors.js';
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

/** A preHandler / onRequest hook that answers the request itself when access is refused. */
export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `gatehouse/fastify`: the verified claims and header (undefined without a token). */
    auth?: AuthInfo;
  }
  interface FastifyInstance {
    /** preHandler: authenticates the request (sets `request.auth`) or answers 401/503. */
    authenticate: AuthHook;
    /** The verifier in use (`status()`, `ready()`). */
    gatehouse: Verifier;
  }
}

/** Plugin options: verifier options (or `verifier`), adapter options, and `global`. */
export type FastifyGatehouseOptions = AdapterOptions<FastifyRequest> & {
  /** Authenticate EVERY route of the scope (an onRequest hook) instead of opting in per route. */
  global?: boolean;
};

const realms = new WeakMap<object, string>();

function send(reply: FastifyReply, failure: AuthFailure): FastifyReply {
  return reply.code(failure.status).headers(failure.headers).send(JSON.stringify(failure.body));
}

/**
 * The plugin. Register it once; protect routes with `preHandler: app.authenticate`
 * (or `global: true`), add `requireRole(...)` / `requireScope(...)` after it.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { gatehouse, requireRole } from 'gatehouse/fastify';
 *
 * const app = Fastify();
 * await app.register(gatehouse, { issuer: 'http://127.0.0.1:5000', audience: 'gatehouse' });
 * app.get('/articles', { preHandler: app.authenticate }, async (request) => articlesOf(request.auth!.claims.sub));
 * app.get('/articles/all', { preHandler: [app.authenticate, requireRole('admin')] }, async () => articles);
 * ```
 */
export const gatehouse: FastifyPluginAsync<FastifyGatehouseOptions> = async (fastify, options) => {
  const given = 'verifier' in options && options.verifier !== undefined;
  const hook = authenticate(options);
  const verifier = hook.verifier;
  // Decorate once: a nested registration (another realm, optional auth, a cookie...) reuses the
  // request decorator and brings its own hook with `global: true`.
  if (!fastify.hasRequestDecorator('auth')) fastify.decorateRequest('auth', undefined);
  if (!fastify.hasDecorator('authenticate')) {
    fastify.decorate('authenticate', hook);
    fastify.decorate('gatehouse', verifier);
  } else if (options.global !== true) {
    throw new GatehouseError(
      'OPTION_INVALID',
      'gatehouse is already registered in a parent scope: use global: true here, or the authenticate() hook',
      { claim: 'global' },
    );
  }
  if (options.global === true) fastify.addHook('onRequest', hook);
  // A verifier the plugin created is the plugin's to stop.
  if (!given) fastify.addHook('onClose', async () => verifier.close());
};

/**
 * A standalone authentication hook (no plugin needed) for routes that need other options than
 * the plugin's: optional authentication, a cookie, another realm.
 *
 * @example
 * ```ts
 * app.get('/feed', { preHandler: authenticate({ verifier: app.gatehouse, credentialsRequired: false }) }, handler);
 * ```
 */
export function authenticate(
  options: AdapterOptions<FastifyRequest>,
): AuthHook & { readonly verifier: Verifier } {
  const verifier = verifierFrom(options as AdapterOptions<never>);
  const realm = options.realm ?? DEFAULT_REALM;
  const hook: AuthHook = async (request, reply) => {
    const headers = request.headers;
    const outcome = await authenticateRequest(
      verifier,
      request,
      { authorization: headers.authorization, cookie: headers.cookie },
      options,
    );
    if (!outcome.ok) return send(reply, outcome.failure);
    if (realm !== DEFAULT_REALM) realms.set(request, realm);
    request.auth = outcome.auth;
    return undefined;
  };
  return Object.assign(hook, { verifier });
}

// Without fastify-plugin: these are the symbols it sets (read by fastify/lib/plugin-utils.js).
Object.assign(gatehouse, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'gatehouse',
  [Symbol.for('plugin-meta')]: { name: 'gatehouse', fastify: '>=4' },
});

function guard(need: Requirement): AuthHook {
  return async (request, reply) => {
    const failure = authorize(request.auth, need, realms.get(request) ?? DEFAULT_REALM);
    return failure === undefined ? undefined : send(reply, failure);
  };
}

/**
 * preHandler guard: the `roles` claim must contain EVERY listed role, else 403.
 *
 * @example
 * ```ts
 * app.get('/admin', { preHandler: [app.authenticate, requireRole('admin')] }, handler);
 * ```
 */
export function requireRole(...roles: string[]): AuthHook {
  return guard({ roles: guardList('requireRole', roles) });
}

/**
 * preHandler guard: the token's scopes must contain EVERY listed scope, else 403 with `scope`.
 *
 * @example
 * ```ts
 * app.post('/articles', { preHandler: [app.authenticate, requireScope('articles:write')] }, handler);
 * ```
 */
export function requireScope(...scopes: string[]): AuthHook {
  return guard({ scopes: guardList('requireScope', scopes) });
}
