/**
 * Gatehouse in the HTTP benchmark, through its public adapters only: `authenticate(...)` of
 * `gatehouse/express` and the `gatehouse` plugin of `gatehouse/fastify` (with
 * `preHandler: app.authenticate`), configured with a static public key or an HS256 secret.
 * Deny cells add the revocation feed, pointed at a local feed holding `deny` entries, and wait
 * until the first page is loaded. Modules are imported lazily (sources, run by tsx) so that a
 * broken adapter only costs the Gatehouse cells.
 */
import type { RequestHandler } from 'express';
import type { FastifyAuth } from './app.js';
import { FEED_CLIENT_ID, FEED_CLIENT_SECRET, startLocalFeed } from './feed.js';
import type { ServerConfig } from './protocol.js';

type Core = typeof import('../../packages/gatehouse/src/index.js');
type ExpressAdapter = typeof import('../../packages/gatehouse/src/adapters/express.js');
type FastifyAdapter = typeof import('../../packages/gatehouse/src/adapters/fastify.js');
type Verifier = import('../../packages/gatehouse/src/adapters/express.js').Verifier;

const SRC = new URL('../../packages/gatehouse/src/', import.meta.url);

export interface GatehouseAuth<T> {
  auth: T;
  note?: string;
  /** The verifier's cache counters (for the hit rate of each measurement). */
  cacheStats: () => { hits: number; misses: number };
}

/** The verifier options shared by both adapters. */
async function verifierOptions(c: ServerConfig) {
  const core = (await import(new URL('index.ts', SRC).href)) as Core;
  const base = {
    issuer: c.issuer,
    audience: c.audience,
    ...(c.cacheMax === undefined ? {} : { cache: { max: c.cacheMax } }),
  };
  const keyed =
    c.secret !== undefined
      ? { ...base, secret: new Uint8Array(Buffer.from(c.secret, 'base64')), algorithms: [c.alg as 'HS256'] }
      : { ...base, keys: core.importPem(c.publicPem!, c.alg, { kid: c.kid }), algorithms: [c.alg] };
  if (c.deny === 0) return keyed;
  const feed = await startLocalFeed(c.deny, Math.floor(Date.now() / 1000));
  return {
    ...keyed,
    revocation: { url: feed.url, clientId: FEED_CLIENT_ID, clientSecret: FEED_CLIENT_SECRET, interval: 1 },
  };
}

/** Waits for keys and the first revocation page; describes the deny set that got loaded. */
async function loaded(verifier: Verifier, c: ServerConfig): Promise<string | undefined> {
  await verifier.ready();
  if (c.deny === 0) return undefined;
  const total = verifier.status().revocation?.deny.total ?? 0;
  if (total < c.deny) throw new Error(`deny set holds ${total} entries, expected ${c.deny}`);
  return `deny set: ${total} entries`;
}

export async function expressGatehouseAuth(c: ServerConfig): Promise<GatehouseAuth<RequestHandler>> {
  const adapter = (await import(new URL('adapters/express.ts', SRC).href)) as ExpressAdapter;
  const middleware = adapter.authenticate(await verifierOptions(c));
  const note = await loaded(middleware.verifier, c);
  return {
    auth: middleware,
    ...(note ? { note } : {}),
    cacheStats: () => middleware.verifier.status().cache,
  };
}

export async function fastifyGatehouseAuth(c: ServerConfig): Promise<GatehouseAuth<FastifyAuth>> {
  const adapter = (await import(new URL('adapters/fastify.ts', SRC).href)) as FastifyAdapter;
  const options = await verifierOptions(c);
  let note: string | undefined;
  let verifier: Verifier | undefined;
  return {
    auth: {
      setup: async (app) => {
        await app.register(adapter.gatehouse, options);
        await app.after();
        verifier = app.gatehouse;
        note = await loaded(verifier, c);
      },
      route: (app) => ({ preHandler: app.authenticate }),
    },
    get note() {
      return note;
    },
    cacheStats: () => verifier?.status().cache ?? { hits: 0, misses: 0 },
  };
}
