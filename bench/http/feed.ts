/**
 * A local revocation feed for the deny-set cells: serves `count` `jti` entries on the first
 * page (`after=0`) and nothing new afterwards, the way an auth server's feed looks to a resource
 * server that has caught up. Basic auth is checked like the real endpoint.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FEED_CLIENT_ID = 'bench-resource-server';
export const FEED_CLIENT_SECRET = 'bench-feed-secret-not-used-anywhere-else';

export interface LocalFeed {
  url: string;
  close(): Promise<void>;
}

/** Starts the feed on 127.0.0.1, an ephemeral port. Entries expire in an hour (`expiresAt`). */
export async function startLocalFeed(count: number, now: number): Promise<LocalFeed> {
  const entries = Array.from({ length: count }, (_, i) => ({
    kind: 'jti',
    value: `revoked-${i.toString(36).padStart(6, '0')}`,
    notBefore: null,
    expiresAt: now + 3600,
  }));
  const firstPage = JSON.stringify({ entries, cursor: count });
  const caughtUp = JSON.stringify({ entries: [], cursor: count });
  const expected = `Basic ${Buffer.from(`${FEED_CLIENT_ID}:${FEED_CLIENT_SECRET}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
      return;
    }
    const after = new URL(req.url ?? '/', 'http://x').searchParams.get('after') ?? '0';
    res.writeHead(200, { 'content-type': 'application/json' }).end(after === '0' ? firstPage : caughtUp);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/auth/revocations`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
