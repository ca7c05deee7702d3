/**
 * The auth server's logic as one object: `AuthService` for the HTTP layer, `admin` for the
 * CLI. Storage is the only I/O it sees (`storage/types.ts`).
 */
import { createAdminService } from './admin/admin-service.js';
import { createUserAdmin } from './admin/user-admin.js';
import { createAuditLog } from './audit.js';
import { deleteSession, listSessions, me } from './auth/account.js';
import { createAuthenticator } from './auth/authenticate.js';
import { login } from './auth/login.js';
import { logout, logoutAll } from './auth/logout.js';
import { changePassword } from './auth/password.js';
import { refresh } from './auth/refresh.js';
import { register } from './auth/register.js';
import { buildServiceContext } from './build-context.js';
import { createClientService } from './clients.js';
import type { ServiceContext } from './context.js';
import { createHousekeeper } from './housekeeping.js';
import { createJtiDenylist } from './oauth/jti-denylist.js';
import { createOAuthService, withJtiRevocation } from './oauth/oauth-service.js';
import { purgeNow } from './purge.js';
import { createRevocationFeed } from './revocation-feed.js';
import type { AdminService, AuthService, AuthServiceOptions } from './types.js';

/**
 * Checks the options, runs storage migrations, loads (or on first start generates) the
 * signing keys and returns the service. `close()` stops the key-reload timer and closes the
 * store.
 *
 * @example
 * ```ts
 * const service = await createAuthService({
 *   store: await createSqliteStore({ path: './data/gatehouse.db' }),
 *   issuer: 'http://127.0.0.1:5000', audience: 'gatehouse',
 *   accessTtl: 900, refreshTtl: 30 * 86400, refreshIdleTtl: null, reuseGrace: 10,
 *   keyPropagation: 60, alg: 'ES256', openRegistration: true,
 * });
 * const pair = await service.login({ username: 'alice', password: 'correct horse' }, { ip: null, userAgent: null });
 * const auth = await service.authenticate(pair.access_token);
 * ```
 */
export async function createAuthService(
  options: AuthServiceOptions,
): Promise<AuthService & { admin: AdminService }> {
  const ctx = await buildServiceContext(options);
  return authServiceOn(ctx, options.keyPropagation);
}

/**
 * The service over an existing context.
 *
 * @example
 * ```ts
 * const service = authServiceOn(await buildServiceContext(options), options.keyPropagation);
 * ```
 */
export function authServiceOn(
  ctx: ServiceContext,
  keyPropagation: number,
): AuthService & { admin: AdminService } {
  const audit = createAuditLog({ store: ctx.store, clock: ctx.clock, emit: (e) => ctx.emit(e) });
  // RFC 7009 revocations of single access tokens are refused by the server's own Bearer check too.
  const denylist = createJtiDenylist({ store: ctx.store, clock: ctx.clock });
  const authenticate = withJtiRevocation(createAuthenticator(ctx), denylist);
  // JWKS caching: short enough that a rotated key is seen well within its propagation delay.
  const jwksMaxAge = Math.min(300, Math.max(5, Math.floor(keyPropagation / 2)));
  const housekeeper = createHousekeeper({ store: ctx.store, clock: ctx.clock });
  housekeeper.start();
  let closed: Promise<void> | undefined;

  return {
    register: (input, req) => register(ctx, input, req),
    login: (input, req) => login(ctx, input, req),
    refresh: (token, req) => refresh(ctx, token, req),
    logout: (token, req) => logout(ctx, token, req),
    authenticate,
    logoutAll: (auth, req) => logoutAll(ctx, auth, req),
    me: (auth) => me(ctx, auth),
    listSessions: (auth) => listSessions(ctx, auth),
    deleteSession: (auth, id, req) => deleteSession(ctx, auth, id, req),
    changePassword: (auth, input, req) => changePassword(ctx, auth, input, req),
    async jwks() {
      return { jwks: ctx.keyring.jwks(ctx.clock()), maxAge: jwksMaxAge };
    },
    async ready() {
      try {
        await ctx.store.ping();
        return true;
      } catch {
        return false;
      }
    },
    close() {
      closed ??= (async () => {
        ctx.keyring.stop();
        housekeeper.stop();
        await ctx.store.close();
      })();
      return closed;
    },
    admin: createAdminService(ctx),
    userAdmin: createUserAdmin(ctx, audit),
    oauth: createOAuthService({ ctx, authenticate, denylist, audit }),
    audit,
    clients: createClientService(ctx),
    revocations: createRevocationFeed(ctx),
    purge: (opts) => purgeNow({ store: ctx.store, clock: ctx.clock, dryRun: opts?.dryRun === true }),
  };
}
