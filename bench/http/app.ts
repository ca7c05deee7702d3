/** The tiny app every cell serves: `GET /articles` returning a small JSON array. */
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import Fastify, { type FastifyInstance, type RouteShorthandOptions } from 'fastify';

export const ARTICLES = [
  { id: 1, title: 'Rotating refresh tokens', author: 'alice' },
  { id: 2, title: 'Why the algorithm allow-list matters', author: 'alice' },
  { id: 3, title: 'Deny sets in constant time', author: 'bob' },
];

/** Errors from any auth middleware become their status (401/403/503) with a small JSON body. */
const onError: ErrorRequestHandler = (err, _req, res, _next) => {
  const status =
    (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
  res.status(typeof status === 'number' && status >= 400 ? status : 500).json({ error: 'unauthorized' });
};

/** Express 5 with an optional auth middleware in front of the route. */
export function expressApp(auth: RequestHandler | undefined): express.Express {
  const app = express();
  const handlers: RequestHandler[] = auth ? [auth] : [];
  app.get('/articles', ...handlers, (_req, res) => {
    res.json(ARTICLES);
  });
  app.use(onError);
  return app;
}

/** How an auth variant plugs into Fastify: plugin registration, then route options (hooks). */
export interface FastifyAuth {
  setup?: (app: FastifyInstance) => Promise<void> | void;
  route?: (app: FastifyInstance) => RouteShorthandOptions;
}

/** Fastify 5 with an optional auth plugin and route-level hooks (the usual place for authentication). */
export async function fastifyApp(auth: FastifyAuth | undefined): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  if (auth?.setup) await auth.setup(app);
  app.get('/articles', auth?.route ? auth.route(app) : {}, async () => ARTICLES);
  return app;
}
