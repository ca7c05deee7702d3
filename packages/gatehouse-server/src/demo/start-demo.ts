/**
 * `startDemo()`: the whole system of the seed documents in one process: the auth server and
 * the "articles" resource server (examples/articles-server) with its web page. `gatehouse
 * demo` is a thin shell over it; the browser tests start it in-process.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { GatehouseError } from 'gatehouse/errors';
import type { Config } from '../config/types.js';
import { type AuthServer, type AuthServerOptions, createAuthServer } from '../http/server.js';
import { type ArticlesApp, type ArticlesAppOptions, loadArticlesApp } from './articles-module.js';

/** The name of the articles server's credentials for the revocation feed (`gatehouse clients list`). */
export const DEMO_CLIENT_NAME = 'demo-articles';

export interface DemoOptions {
  /** The auth server's configuration (`loadConfig()`); its port must be a real one (the issuer names it). */
  config: Config;
  /** Where the articles server listens; default 127.0.0.1:4000 (0: any free port). */
  articlesPort?: number;
  articlesHost?: string;
  /** The page keeps the refresh token in the HttpOnly cookie; default: unless GATEHOUSE_COOKIE_MODE is off. */
  cookieMode?: boolean;
  /** Seconds before the session's end at which the page warns; default min(5 min, half the session). */
  expiringWarning?: number;
  /** The articles server follows the revocation feed (with its own client credentials); default true. */
  revocationFeed?: boolean;
  /** Passed to `createAuthServer` (tests lower Argon2 costs and silence logs). */
  passwordHashing?: AuthServerOptions['passwordHashing'];
  logger?: AuthServerOptions['logger'];
}

export interface Demo {
  /** The auth server's URL (its issuer), e.g. http://127.0.0.1:5000. */
  readonly authUrl: string;
  /** The articles server and web page, e.g. http://127.0.0.1:4000. */
  readonly articlesUrl: string;
  readonly auth: AuthServer;
  /** Stops both servers (in-flight requests finish) and closes the database. Idempotent. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Keep-alive connections of the page would otherwise hold close() for minutes.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}

/**
 * Fresh credentials for the articles server's revocation feed: the secret is shown only once
 * (stored as a hash), so the demo replaces its client at every start.
 */
async function feedCredentials(auth: AuthServer): Promise<{ clientId: string; clientSecret: string }> {
  const clients = auth.service.clients;
  if ((await clients.list()).some((c) => c.name === DEMO_CLIENT_NAME)) await clients.remove(DEMO_CLIENT_NAME);
  const created = await clients.add(DEMO_CLIENT_NAME);
  return { clientId: created.client_id, clientSecret: created.client_secret };
}

/**
 * Starts the demo: the articles server's socket first (its origin goes into the auth server's
 * CORS list), then the auth server on `config.host:config.port`, then the articles app with
 * its revocation-feed credentials.
 *
 * @example
 * ```ts
 * const demo = await startDemo({ config: loadConfig() });
 * console.log(demo.articlesUrl); // http://127.0.0.1:4000
 * await demo.close();
 * ```
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const { config } = options;
  if (config.port === 0) {
    throw new GatehouseError(
      'OPTION_INVALID',
      'the demo needs a fixed auth server port (the issuer names it)',
    );
  }
  const createArticlesApp = await loadArticlesApp();
  let handler: RequestListener = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end('{"title":"Starting","status":503}');
  };
  const articlesServer = createServer((req, res) => handler(req, res));
  const host = options.articlesHost ?? '127.0.0.1';
  await listen(articlesServer, options.articlesPort ?? 4000, host);
  const address = articlesServer.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const articlesUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let auth: AuthServer | undefined;
  let articles: ArticlesApp | undefined;
  try {
    // The page on the articles origin calls the auth server: allow exactly that origin.
    const corsOrigins = [...new Set([...config.corsOrigins, articlesUrl])];
    const serverOptions: AuthServerOptions = { config: { ...config, corsOrigins } };
    if (options.passwordHashing !== undefined) serverOptions.passwordHashing = options.passwordHashing;
    if (options.logger !== undefined) serverOptions.logger = options.logger;
    auth = await createAuthServer(serverOptions);
    await auth.listen();

    const articlesOptions: ArticlesAppOptions = {
      issuer: config.issuer,
      audience: config.audience,
      cookieMode: options.cookieMode ?? config.cookieMode !== 'off',
      expiringWarning: options.expiringWarning ?? Math.min(300, Math.floor(config.refreshTtl / 2)),
      revocation: options.revocationFeed === false ? false : await feedCredentials(auth),
    };
    // HS256 mode: the JWKS is empty, so the resource server gets the shared secret (CONTRACT §3).
    if (config.alg.startsWith('HS') && config.hsSecret !== null) articlesOptions.secret = config.hsSecret;
    articles = createArticlesApp(articlesOptions);
    handler = articles.app;
  } catch (err) {
    articles?.close();
    await closeHttp(articlesServer);
    await auth?.close().catch(() => {});
    throw err;
  }

  const started = { auth, articles };
  let closed: Promise<void> | undefined;
  return {
    authUrl: config.issuer,
    articlesUrl,
    auth: started.auth,
    close() {
      closed ??= (async () => {
        started.articles.close();
        await Promise.all([closeHttp(articlesServer), started.auth.close()]);
      })();
      return closed;
    },
  };
}
