/**
 * Child process: the resource-server side. Express and Fastify apps serving `/articles`
 * behind gatehouse/express and gatehouse/fastify (issuer JWKS + revocation feed), and the same
 * route without authentication (the framework's no-auth figure). argv: <issuer> <clientId>
 * (the client secret comes in the environment: BENCH_CLIENT_SECRET).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { authenticate } from 'gatehouse/express';
import { gatehouse } from 'gatehouse/fastify';
import { serveStats } from './stats.js';

const [issuer = '', clientId = ''] = process.argv.slice(2);
const options = {
  issuer,
  audience: 'gatehouse',
  revocation: { clientId, clientSecret: process.env.BENCH_CLIENT_SECRET ?? '' },
};
const articles = [
  { id: 1, owner: 'a', title: 'First Article' },
  { id: 2, owner: 'b', title: 'Second Article' },
];

function listen(app: express.Express): Promise<string> {
  return new Promise((resolve) => {
    const s: Server = app.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`),
    );
  });
}

const expressAuthed = express();
const auth = authenticate(options);
expressAuthed.get('/articles', auth, (req, res) => {
  res.json(articles.filter((a) => a.owner !== req.auth?.claims.sub));
});
const expressPlain = express();
expressPlain.get('/articles', (_req, res) => {
  res.json(articles.filter((a) => a.owner !== 'x'));
});

const fastifyAuthed = Fastify();
await fastifyAuthed.register(gatehouse, options);
fastifyAuthed.get('/articles', { preHandler: fastifyAuthed.authenticate }, async (request) =>
  articles.filter((a) => a.owner !== request.auth?.claims.sub),
);
const fastifyPlain = Fastify();
fastifyPlain.get('/articles', async () => articles.filter((a) => a.owner !== 'x'));

const urls = {
  expressAuthed: await listen(expressAuthed),
  expressPlain: await listen(expressPlain),
  fastifyAuthed: await fastifyAuthed.listen({ port: 0, host: '127.0.0.1' }),
  fastifyPlain: await fastifyPlain.listen({ port: 0, host: '127.0.0.1' }),
};
serveStats();
process.send?.({ type: 'ready', urls });
