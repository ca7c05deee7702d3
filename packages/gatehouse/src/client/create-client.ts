/**
 * `createClient()`: the Gatehouse client SDK for browsers and Node. It keeps the session's
 * tokens, refreshes the access token before it expires (single-flight, coordinated across
 * tabs), and reports the session's life through events.
 */
import { authorizedFetch } from './authorized-fetch.js';
import { ClientError, errorFromResponse, notLoggedIn } from './errors.js';
import { authCall, type HttpContext, readJson } from './http.js';
import { resolveOptions } from './options.js';
import { createRefresher } from './refresher.js';
import { parseTokenPair, publicState, tokensFromPair } from './session.js';
import type {
  ClientOptions,
  Credentials,
  GatehouseClient,
  Me,
  RegisteredUser,
  SessionInfo,
} from './types.js';

function checkCredentials(credentials: Credentials): { username: string; password: string } {
  if (
    typeof credentials !== 'object' ||
    credentials === null ||
    typeof credentials.username !== 'string' ||
    typeof credentials.password !== 'string'
  ) {
    throw new ClientError('VALIDATION_FAILED', 'username and password must be strings', {
      reason: 'credentials',
    });
  }
  // Only these two fields are sent, whatever else the object holds.
  return { username: credentials.username, password: credentials.password };
}

/**
 * Creates a client for the auth server at `baseUrl`.
 *
 * @example
 * ```ts
 * import { createClient } from 'gatehouse/client';
 *
 * const auth = createClient({ baseUrl: 'http://127.0.0.1:5000', expiringWarning: '5m' });
 * auth.on('session-expiring', ({ remainingMs }) => warn(`Session ends in ${remainingMs / 1000}s`));
 * auth.on('logged-out', ({ reason }) => showLogin(reason));
 * await auth.login({ username: 'alice', password: 'correct horse battery staple' });
 * const res = await auth.fetch('http://127.0.0.1:4000/articles');
 * ```
 */
export function createClient(options: ClientOptions): GatehouseClient {
  const cfg = resolveOptions(options);
  const ctx: HttpContext = { baseUrl: cfg.baseUrl, fetch: cfg.fetch, cookieMode: cfg.cookieMode };
  const core = createRefresher(cfg, ctx);

  /** A JSON call to the auth server with the access token (refresh and one retry on 401). */
  async function authorizedJson(method: 'GET' | 'POST' | 'DELETE', path: string): Promise<Response> {
    const res = await client.fetch(cfg.baseUrl + path, {
      method,
      headers: { accept: 'application/json, application/problem+json' },
      credentials: cfg.cookieMode ? 'include' : 'omit',
      cache: 'no-store',
    });
    if (!res.ok) throw await errorFromResponse(res);
    return res;
  }

  const client: GatehouseClient = {
    async register(credentials) {
      const res = await authCall(ctx, 'POST', '/auth/register', { body: checkCredentials(credentials) });
      return (await readJson(res)) as RegisteredUser;
    },

    async login(credentials) {
      const body = checkCredentials(credentials);
      await core.load();
      const res = await authCall(ctx, 'POST', '/auth/login', { body });
      const pair = parseTokenPair(await readJson(res), cfg.cookieMode);
      const tokens = tokensFromPair(pair, cfg.clock());
      await core.adopt(tokens, 'logged-in', 'local');
      return publicState(tokens);
    },

    async logout() {
      await core.load();
      const tokens = core.tokens();
      if (tokens === undefined && !cfg.cookieMode) return;
      let failure: unknown;
      try {
        await authCall(
          ctx,
          'POST',
          '/auth/logout',
          cfg.cookieMode ? { body: {}, cookieAuth: true } : { body: { refresh_token: tokens?.refreshToken } },
        );
      } catch (err) {
        failure = err;
      }
      // Local state goes whatever the server said: a user who clicks "log out" is logged out here.
      await core.end('logout', 'local', false);
      if (failure !== undefined) throw failure;
    },

    async logoutAll() {
      await authorizedJson('POST', '/auth/logout-all');
      await core.end('logout', 'local', true);
    },

    async sessions() {
      return (await readJson(await authorizedJson('GET', '/auth/sessions'))) as SessionInfo[];
    },

    async endSession(id) {
      if (typeof id !== 'string' || id === '') {
        throw new ClientError('VALIDATION_FAILED', 'endSession: id must be a non-empty string', {
          reason: 'id',
        });
      }
      await authorizedJson('DELETE', `/auth/sessions/${encodeURIComponent(id)}`);
      if (core.tokens()?.sessionId === id) await core.end('logout', 'local', false);
    },

    async me() {
      return (await readJson(await authorizedJson('GET', '/auth/me'))) as Me;
    },

    fetch(input, init) {
      return authorizedFetch(
        cfg.fetch,
        {
          current: () => client.getAccessToken(),
          afterRejection: async (t) => (await core.refreshUnless(t)).accessToken,
        },
        cfg.tokenOrigins,
        cfg.baseUrl,
        input,
        init,
      );
    },

    async getAccessToken() {
      await core.load();
      await core.checkDeadlines();
      const tokens = core.tokens();
      if (tokens === undefined) {
        // Cookie mode: a page load starts without tokens, the cookie may still hold a session.
        if (cfg.cookieMode) return (await core.refreshNow()).accessToken;
        throw notLoggedIn();
      }
      if (!core.needsRefresh(tokens)) return tokens.accessToken;
      return (await core.refreshUnless(tokens.accessToken)).accessToken;
    },

    async refresh() {
      await core.load();
      return publicState(await core.refreshNow());
    },

    get session() {
      const tokens = core.tokens();
      return tokens === undefined ? null : publicState(tokens);
    },

    on: (event, listener) => core.emitter.on(event, listener),
    off: (event, listener) => core.emitter.off(event, listener),
    dispose: () => core.dispose(),
  };
  return client;
}
