#!/usr/bin/env node
// @ts-check
/**
 * Runs the articles server on its own (`gatehouse demo` runs it next to the auth server):
 *
 *   node examples/articles-server/server.js
 *
 * It reads the same GATEHOUSE_* variables as `gatehouse serve` (and a .env file):
 * GATEHOUSE_ISSUER (default http://127.0.0.1:5000), GATEHOUSE_AUDIENCE (gatehouse),
 * GATEHOUSE_ALG + GATEHOUSE_HS_SECRET for the shared-secret style, and for the revocation feed
 * ARTICLES_CLIENT_ID / ARTICLES_CLIENT_SECRET (from `gatehouse clients add articles`).
 * ARTICLES_PORT (4000) and ARTICLES_HOST (127.0.0.1) say where it listens.
 */
import { createArticlesApp } from './app.js';

try {
  process.loadEnvFile();
} catch {
  // No .env file: the environment alone.
}
const env = process.env;
const hs = (env.GATEHOUSE_ALG ?? '').toUpperCase().startsWith('HS');
const clientId = env.ARTICLES_CLIENT_ID;
const clientSecret = env.ARTICLES_CLIENT_SECRET;
const port = Number(env.ARTICLES_PORT ?? 4000);
const host = env.ARTICLES_HOST ?? '127.0.0.1';

/** @type {import('./app.js').ArticlesOptions} */
const options = {
  issuer: env.GATEHOUSE_ISSUER ?? 'http://127.0.0.1:5000',
  audience: env.GATEHOUSE_AUDIENCE ?? 'gatehouse',
  revocation: clientId && clientSecret ? { clientId, clientSecret } : false,
};
if (hs) options.secret = env.GATEHOUSE_HS_SECRET ?? '';

let articles;
try {
  articles = createArticlesApp(options);
} catch (err) {
  // One line naming what is wrong (never a secret's value), exit status 1.
  console.error(`articles: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
const server = articles.app.listen(port, host, () => {
  console.log(`articles server on http://${host}:${port} (issuer ${options.issuer})`);
});
server.on('error', (err) => {
  console.error(`articles: ${err.message}`);
  process.exit(1);
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    articles.close();
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
