/**
 * Finds and loads the articles resource server of `examples/articles-server/` (a plain
 * Express app in the repository, not part of the published package: the demo runs from a
 * clone, as `npm start` does).
 */
import { existsSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GatehouseError } from 'gatehouse/errors';

/** The options of `createArticlesApp` (examples/articles-server/app.js) that the demo uses. */
export interface ArticlesAppOptions {
  issuer: string;
  secret?: string;
  audience?: string;
  authUrl?: string;
  revocation?: { clientId: string; clientSecret: string } | false;
  cookieMode?: boolean;
  expiringWarning?: number;
}

/** What `createArticlesApp` returns: an Express app (a request listener) and its verifier. */
export interface ArticlesApp {
  app: RequestListener;
  close(): void;
}

export type CreateArticlesApp = (options: ArticlesAppOptions) => ArticlesApp;

const RELATIVE = join('examples', 'articles-server', 'app.js');

/**
 * The path of `examples/articles-server/app.js`, searched upwards from this file (which lives
 * in `src/demo/` or `dist/demo/` of gatehouse-server), or undefined outside a clone.
 *
 * @example
 * ```ts
 * findArticlesApp(); // '/home/me/gatehouse/examples/articles-server/app.js'
 * ```
 */
export function findArticlesApp(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = from;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, RELATIVE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/**
 * Imports `createArticlesApp` from the repository's example.
 *
 * @throws GatehouseError `OPTION_INVALID` when the example is not there (an installed package
 *   without the repository).
 * @example
 * ```ts
 * const createArticlesApp = await loadArticlesApp();
 * const { app } = createArticlesApp({ issuer: 'http://127.0.0.1:5000' });
 * ```
 */
export async function loadArticlesApp(): Promise<CreateArticlesApp> {
  const path = findArticlesApp();
  if (path === undefined) {
    throw new GatehouseError(
      'OPTION_INVALID',
      `the demo needs ${RELATIVE} of the Gatehouse repository; run it from a clone (npm start)`,
    );
  }
  const mod = (await import(pathToFileURL(path).href)) as { createArticlesApp?: unknown };
  if (typeof mod.createArticlesApp !== 'function') {
    throw new GatehouseError('OPTION_INVALID', `${RELATIVE} does not export createArticlesApp`);
  }
  return mod.createArticlesApp as CreateArticlesApp;
}
