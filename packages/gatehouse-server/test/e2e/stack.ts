/**
 * The whole system on 127.0.0.1 for end-to-end tests and the propagation benchmark: a real
 * auth server (SQLite temp file, low argon2 cost) plus one Express and one Fastify resource
 * server protected by `gatehouse/express` and `gatehouse/fastify`, both following the
 * revocation feed with client credentials created through the service.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { authenticate as expressAuth } from 'gatehouse/express';
import { gatehouse } from 'gatehouse/fastify';
import { freePort } from '../cli/helpers.js';
import { call, type Harness, PASSWORD, startServer } from '../http/helpers.js';

export interface ResourceServer {
  name: 'express' | 'fastify';
  url: string;
  close(): Promise<void>;
}

export interface Stack {
  auth: Harness;
  /** The auth server's base URL (= issuer). */
  base: string;
  rs: ResourceServer[];
  /** Status code of `GET /whoami` with the token on every resource server, in order. */
  statuses(token: string): Promise<number[]>;
  close(): Promise<void>;
}

/** Revocation-feed tuning of one resource server (seconds). */
export interface FeedTuning {
  interval?: number;
  wait?: number;
}

/** What both resource servers are configured with (the options of `createVerifier`). */
interface VerifierOptions {
  issuer: string;
  audience: string;
  jwks: { cooldown: string };
  revocation: { clientId: string; clientSecret: string } & FeedTuning;
}

export interface StackOptions {
  /** Extra GATEHOUSE_* variables for the auth server. */
  env?: Record<string, string>;
  /** Revocation-feed options of the Express server (default: long-poll, wait 20 s). */
  expressFeed?: FeedTuning;
  /** Revocation-feed options of the Fastify server (default: plain polling every 1 s). */
  fastifyFeed?: FeedTuning;
}

async function expressServer(options: VerifierOptions): Promise<ResourceServer> {
  const app = express();
  const auth = expressAuth(options);
  app.get('/whoami', auth, (req, res) => {
    res.json({ sub: req.auth?.claims.sub });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    name: 'express',
    url: `http://127.0.0.1:${port}`,
    async close() {
      auth.verifier.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function fastifyServer(options: VerifierOptions): Promise<ResourceServer> {
  const app: FastifyInstance = Fastify();
  await app.register(gatehouse, options);
  app.get('/whoami', { preHandler: app.authenticate }, async (request) => ({
    sub: request.auth?.claims.sub,
  }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { name: 'fastify', url, close: () => app.close() };
}

/**
 * Starts the auth server on a free port (its issuer is that URL), creates client credentials
 * and starts both resource servers; `close()` stops everything.
 *
 * @example
 * ```ts
 * const stack = await startStack();
 * await stack.statuses(accessToken); // [200, 200]
 * await stack.close();
 * ```
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const port = await freePort();
  const auth = await startServer({
    logLevel: 'warn',
    env: { GATEHOUSE_PORT: String(port), ...options.env },
  });
  const rs: ResourceServer[] = [];
  try {
    const base = await auth.server.listen();
    const { client_id, client_secret } = await auth.server.service.clients.add('e2e-resource-servers');
    const common = (feed: StackOptions['expressFeed']): VerifierOptions => ({
      issuer: base,
      audience: 'gatehouse',
      // An unknown kid (a rotated key) is looked up again after at most this long.
      jwks: { cooldown: '1s' },
      revocation: { clientId: client_id, clientSecret: client_secret, ...feed },
    });
    rs.push(await expressServer(common({ wait: 20, ...options.expressFeed })));
    rs.push(await fastifyServer(common({ interval: 1, ...options.fastifyFeed })));
    return {
      auth,
      base,
      rs,
      async statuses(token) {
        return Promise.all(
          rs.map(async (r) => {
            const res = await fetch(`${r.url}/whoami`, { headers: { authorization: `Bearer ${token}` } });
            await res.arrayBuffer();
            return res.status;
          }),
        );
      },
      async close() {
        for (const r of rs) await r.close();
        await auth.close();
      },
    };
  } catch (err) {
    for (const r of rs) await r.close().catch(() => {});
    await auth.close();
    throw err;
  }
}

/**
 * Polls until every token is refused (401) by every resource server; resolves to the time it
 * took in ms, or rejects after `limitMs`.
 *
 * @example
 * ```ts
 * const ms = await refusedWithin(stack, [token], 2000);
 * ```
 */
export async function refusedWithin(
  stack: Stack,
  tokens: string[],
  limitMs: number,
  since = performance.now(),
): Promise<number> {
  for (;;) {
    const all = (await Promise.all(tokens.map((t) => stack.statuses(t)))).flat();
    const elapsed = performance.now() - since;
    if (all.every((s) => s === 401)) return elapsed;
    if (elapsed > limitMs)
      throw new Error(`still accepted after ${Math.round(elapsed)} ms: ${all.join(',')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A token pair as `POST /auth/login` returns it. */
export interface Pair {
  access_token: string;
  refresh_token: string;
  session_id: string;
}

/**
 * Logs an already registered user in (`POST /auth/login`), without registering again: the
 * registration endpoint is throttled per IP, logins with the right password are not.
 *
 * @example
 * ```ts
 * const pair = await signIn(stack, 'alice');
 * ```
 */
export async function signIn(stack: Stack, username: string, password = PASSWORD): Promise<Pair> {
  const res = await call(stack.auth.server, 'POST', '/auth/login', { body: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return res.json() as Pair;
}

/**
 * Registers users (`POST /auth/register`).
 *
 * @example
 * ```ts
 * await register(stack, 'alice', 'bob');
 * ```
 */
export async function register(stack: Stack, ...usernames: string[]): Promise<void> {
  for (const username of usernames) {
    const res = await call(stack.auth.server, 'POST', '/auth/register', {
      body: { username, password: PASSWORD },
    });
    if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  }
}
