/**
 * Test fixtures: an injectable clock and a small real `node:http` auth server on 127.0.0.1
 * (RFC 8414 metadata, JWKS, revocation feed) whose behaviour tests can change.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKeySet, exportJwk, type Jwk, type Key } from '../../src/index.js';
import type { RevocationEntry } from '../../src/verifier/deny-set.js';

/** A manual clock in epoch seconds. */
export function fakeClock(start = 1_800_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(seconds: number) {
      t += seconds;
    },
    set(seconds: number) {
      t = seconds;
    },
  };
}

export interface FeedEntry extends RevocationEntry {
  cursor: number;
}

export interface AuthServerOptions {
  keys?: Key[];
  clientId?: string;
  clientSecret?: string;
  /** Override the issuer in the metadata (mix-up tests). */
  metadataIssuer?: string;
}

/** A real HTTP server playing the auth server's part for the verifier. */
export async function startAuthServer(options: AuthServerOptions = {}) {
  const state = {
    keys: [...(options.keys ?? [])],
    jwksCacheControl: 'max-age=300' as string | undefined,
    /** 'up' | 'error' (HTTP 500) | 'reset' (socket destroyed). */
    jwksMode: 'up' as 'up' | 'error' | 'reset',
    feedMode: 'up' as 'up' | 'error' | 'reset' | 'garbage',
    entries: [] as FeedEntry[],
    counts: { metadata: 0, jwks: 0, feed: 0, feedUnauthorized: 0 },
    lastFeedQuery: null as URLSearchParams | null,
  };
  const waiters = new Set<() => void>();
  const clientId = options.clientId ?? 'rs-articles';
  const clientSecret = options.clientSecret ?? 'feed-secret-0123456789';
  const expectedAuth = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const feed = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => {
    state.counts.feed += 1;
    state.lastFeedQuery = query;
    if (req.headers.authorization !== expectedAuth) {
      state.counts.feedUnauthorized += 1;
      return json(res, 401, { code: 'INVALID_CLIENT' });
    }
    if (state.feedMode === 'reset') return req.socket.destroy();
    if (state.feedMode === 'error') return json(res, 500, { code: 'INTERNAL_ERROR' });
    if (state.feedMode === 'garbage') return json(res, 200, { entries: [{ kind: 'jti' }], cursor: 'x' });
    const after = Number(query.get('after') ?? '0');
    const respond = () => {
      const entries = state.entries.filter((e) => e.cursor > after);
      const cursor = entries.length > 0 ? entries[entries.length - 1]!.cursor : after;
      json(res, 200, { entries, cursor });
    };
    const wait = Number(query.get('wait') ?? '0');
    if (wait > 0 && !state.entries.some((e) => e.cursor > after)) {
      const timer = setTimeout(done, wait * 1000);
      function done() {
        clearTimeout(timer);
        waiters.delete(done);
        respond();
      }
      waiters.add(done);
      return;
    }
    respond();
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/.well-known/oauth-authorization-server') {
      state.counts.metadata += 1;
      return json(res, 200, {
        issuer: options.metadataIssuer ?? issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
      });
    }
    if (url.pathname === '/.well-known/jwks.json') {
      state.counts.jwks += 1;
      if (state.jwksMode === 'reset') return req.socket.destroy();
      if (state.jwksMode === 'error') return json(res, 500, { code: 'INTERNAL_ERROR' });
      const headers: Record<string, string> =
        state.jwksCacheControl === undefined ? {} : { 'cache-control': state.jwksCacheControl };
      return json(res, 200, createKeySet(state.keys).toJwks(), headers);
    }
    if (url.pathname === '/auth/revocations') return feed(req, res, url.searchParams);
    json(res, 404, { code: 'NOT_FOUND' });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  let nextCursor = 1;

  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    feedUrl: `${issuer}/auth/revocations`,
    clientId,
    clientSecret,
    state,
    /** Appends a feed entry (and wakes long-polls). */
    revoke(entry: RevocationEntry): FeedEntry {
      const e = { cursor: nextCursor++, ...entry };
      state.entries.push(e);
      for (const w of [...waiters]) w();
      return e;
    },
    publicJwks(): Jwk[] {
      return state.keys.map((k) => exportJwk(k));
    },
    async close() {
      for (const w of [...waiters]) w();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export type AuthServer = Awaited<ReturnType<typeof startAuthServer>>;
