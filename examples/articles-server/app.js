// @ts-check
/**
 * The "articles" resource server of the seed documents, as a user would write it: a plain
 * Express 5 app protected by the public `gatehouse/express` API, plus the demo's web page.
 *
 *   GET /public         no token
 *   GET /articles       any valid access token: the caller's own articles
 *   GET /articles/all   role admin
 *   GET /               the web page (public/), which logs in against the auth server
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { GatehouseError } from 'gatehouse/errors';
import { authenticate, requireRole } from 'gatehouse/express';
import { createArticles } from './articles.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * @typedef {object} ArticlesOptions
 * @property {string} issuer The auth server's issuer URL (checked against `iss`; its JWKS gives the keys).
 * @property {string} [secret] HS256 mode: the shared `GATEHOUSE_HS_SECRET` (at least 32 bytes) instead of the JWKS.
 * @property {string} [audience] Accepted audience; default 'gatehouse'.
 * @property {string} [authUrl] Where the page's client calls the auth server; default `issuer`.
 * @property {{ clientId: string, clientSecret: string } | false} [revocation] The revocation feed's client credentials (`gatehouse clients add articles`).
 * @property {boolean} [cookieMode] The page keeps the refresh token in the auth server's HttpOnly cookie; default false (memory).
 * @property {number} [expiringWarning] Seconds before the session's end at which the page warns; default 300.
 * @property {string} [vendorDir] The built `gatehouse` package (`packages/gatehouse/dist`), served to the page at /vendor/gatehouse/.
 */

/**
 * Security headers of every answer. The CSP allows only this origin, plus the auth server for
 * the page's fetch calls: no inline script or style, no third-party code, no framing.
 * @param {string} authOrigin
 */
function securityHeaders(authOrigin) {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${authOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  /**
   * @param {import('express').Request} _req
   * @param {import('express').Response} res
   * @param {import('express').NextFunction} next
   * @returns {void}
   */
  const handler = (_req, res, next) => {
    res.setHeader('content-security-policy', csp);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    next();
  };
  return handler;
}

/** The origin of the auth server, for the CSP and the page. @param {string} url */
function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    throw new GatehouseError('OPTION_INVALID', 'The authUrl option must be an absolute URL', {
      claim: 'authUrl',
    });
  }
}

/** Finds `packages/gatehouse/dist` of the repository this example lives in. */
function defaultVendorDir() {
  return join(here, '..', '..', 'packages', 'gatehouse', 'dist');
}

/**
 * Creates the articles app. Options are checked here, once: a bad one throws at start-up.
 *
 * @param {ArticlesOptions} options
 * @example
 * ```js
 * import { createArticlesApp } from './app.js';
 * const { app, close } = createArticlesApp({ issuer: 'http://127.0.0.1:5000' });
 * const server = app.listen(4000, '127.0.0.1');
 * process.on('SIGTERM', () => { close(); server.close(); });
 * ```
 */
export function createArticlesApp(options) {
  const audience = options.audience ?? 'gatehouse';
  const auth = authenticate({
    issuer: options.issuer,
    audience,
    // HS256 (the seed documents' style): the shared secret; otherwise the issuer's JWKS.
    ...(options.secret !== undefined ? { secret: options.secret, typ: 'at+jwt' } : {}),
    // The feed makes a revoked session fail here within 2 s, without a database on this side.
    revocation: options.revocation ?? false,
    realm: 'articles',
  });
  const authUrl = originOf(options.authUrl ?? options.issuer);
  const articles = createArticles();
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(authUrl));

  app.get('/public', (_req, res) => {
    res.json({ message: 'Anyone can read this; the articles need a token.' });
  });

  app.get('/articles', auth, (req, res) => {
    const claims = /** @type {Record<string, unknown>} */ (req.auth?.claims ?? {});
    const name = typeof claims.username === 'string' ? claims.username : String(claims.sub);
    res.json(articles.forUser(name));
  });

  app.get('/articles/all', auth, requireRole('admin'), (_req, res) => {
    res.json(articles.all());
  });

  // What the page needs to know (no secret: the HS secret never leaves the server).
  app.get('/config.json', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json({
      authUrl,
      issuer: options.issuer,
      audience,
      algorithm: options.secret !== undefined ? 'HS256' : 'JWKS',
      cookieMode: options.cookieMode ?? false,
      expiringWarning: options.expiringWarning ?? 300,
      revocationFeed: Boolean(options.revocation),
    });
  });

  // The client SDK as ES modules, straight from the build (tsc -b): only .js files are served.
  const vendorDir = options.vendorDir ?? defaultVendorDir();
  if (!existsSync(join(vendorDir, 'client', 'index.js'))) {
    throw new GatehouseError(
      'OPTION_INVALID',
      `The gatehouse build is missing (${vendorDir}): run npm run build`,
      {
        claim: 'vendorDir',
      },
    );
  }
  app.use(
    '/vendor/gatehouse',
    (req, res, next) => {
      if (/\.js$/.test(req.path)) next();
      else res.status(404).json({ title: 'Not Found', status: 404 });
    },
    express.static(vendorDir, { index: false, dotfiles: 'deny', fallthrough: false, maxAge: 0 }),
  );
  app.use(express.static(join(here, 'public'), { index: 'index.html', dotfiles: 'deny' }));
  app.use((_req, res) => {
    res.status(404).json({ title: 'Not Found', status: 404 });
  });
  /**
   * Errors as short JSON, never a stack trace.
   * @param {{ status?: unknown } | undefined} err
   * @param {import('express').Request} _req
   * @param {import('express').Response} res
   * @param {import('express').NextFunction} _next
   * @returns {void}
   */
  const onError = (err, _req, res, _next) => {
    const code = Number(err?.status);
    const status = Number.isInteger(code) && code >= 400 && code < 600 ? code : 500;
    res.status(status).json({ title: status === 404 ? 'Not Found' : 'Error', status });
  };
  app.use(onError);

  return {
    app,
    verifier: auth.verifier,
    /** Stops the verifier's background work (JWKS fetches, the revocation feed). */
    close() {
      auth.verifier.close();
    },
  };
}
