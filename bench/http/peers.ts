/** The peers of the HTTP benchmark: express-jwt (on jsonwebtoken) and @fastify/jwt (on fast-jwt). */
import fastifyJwt from '@fastify/jwt';
import type { RequestHandler } from 'express';
import { expressjwt } from 'express-jwt';
import type { Algorithm } from 'jsonwebtoken';
import type { FastifyAuth } from './app.js';
import type { ServerConfig } from './protocol.js';

function verificationKey(c: ServerConfig): string | Buffer {
  if (c.secret !== undefined) return Buffer.from(c.secret, 'base64');
  if (c.publicPem !== undefined) return c.publicPem;
  throw new Error('no key material');
}

/** express-jwt as its README shows it, with the same algorithm, issuer and audience checks. */
export function expressJwtAuth(c: ServerConfig): RequestHandler {
  if (c.alg === 'EdDSA') throw new Error('express-jwt (jsonwebtoken) does not support EdDSA');
  return expressjwt({
    secret: verificationKey(c),
    algorithms: [c.alg as Algorithm],
    issuer: c.issuer,
    audience: c.audience,
  }) as unknown as RequestHandler;
}

/** @fastify/jwt as its README shows it: the plugin, then `request.jwtVerify()` in `onRequest`. */
export function fastifyJwtAuth(c: ServerConfig): FastifyAuth {
  const key = verificationKey(c);
  return {
    setup: async (app) => {
      await app.register(fastifyJwt, {
        secret: typeof key === 'string' ? { public: key } : key,
        verify: { algorithms: [c.alg], allowedIss: c.issuer, allowedAud: c.audience },
      });
    },
    route: () => ({
      onRequest: async (request) => {
        await request.jwtVerify();
      },
    }),
  };
}
