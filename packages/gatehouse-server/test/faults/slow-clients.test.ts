/**
 * Slow clients and connection floods against a listening auth server: a slowloris client
 * (headers a byte at a time) is cut off by the header timeout, a body that never ends gets
 * 408 and a closed connection, connections beyond the cap are refused, and a normal client is
 * served all along. Limits are lowered so that the test is quick; outcomes are asserted, never
 * durations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveHttpLimits } from '../../src/http/limits.js';
import { type Harness, startServer } from '../http/helpers.js';
import { getStatus, open, type RawClient, within } from './sockets.js';

describe('slow clients', () => {
  let h: Harness;
  let url: string;
  before(async () => {
    h = await startServer({
      logLevel: 'silent',
      extra: { limits: { headersTimeoutMs: 400, requestTimeoutMs: 800, checkIntervalMs: 50 } },
    });
    url = await h.server.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => h.close());

  test('slowloris: headers sent a byte at a time are cut off; normal clients are served meanwhile', async () => {
    const slow = await open(url);
    let stop = false;
    const trickle = (async () => {
      slow.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      for (const byte of 'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa') {
        if (stop || slow.socket.destroyed) return;
        slow.socket.write(byte);
        await sleep(50);
      }
    })();
    // A normal client while the slow one holds its connection.
    assert.equal(await getStatus(url, '/healthz'), 200);
    await within(slow.closed, 5_000, 'slowloris connection closed');
    stop = true;
    await trickle;
    // Cut off before the headers ever completed: either a bare close or a 408, never a 200.
    const got = slow.received();
    assert.ok(got === '' || got.startsWith('HTTP/1.1 408 '), got);
    assert.equal(await getStatus(url, '/healthz'), 200);
  });

  test('a body that never finishes gets 408 and the connection is closed', async () => {
    const client = await open(url);
    client.socket.write(
      'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":',
    );
    assert.equal(await getStatus(url, '/healthz'), 200);
    await within(client.closed, 5_000, 'unfinished body connection closed');
    assert.match(client.received(), /^HTTP\/1\.1 408 /);
  });

  test('an idle keep-alive connection is not a slowloris: a complete request on it is answered', async () => {
    const client = await open(url);
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    await within(client.closed, 5_000, 'answered');
    assert.match(client.received(), /^HTTP\/1\.1 200 /);
  });
});

describe('connection flood', () => {
  let h: Harness;
  let url: string;
  const CAP = 6;
  before(async () => {
    h = await startServer({ logLevel: 'silent', extra: { limits: { maxConnections: CAP } } });
    url = await h.server.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => h.close());

  test('connections beyond the cap are refused; freeing some lets normal clients in again', async () => {
    const held: RawClient[] = [];
    for (let i = 0; i < CAP; i++) held.push(await open(url));
    // Give the server a moment to accept all of them.
    await sleep(50);
    const extra = await open(url);
    await within(extra.closed, 5_000, 'connection over the cap closed');
    assert.equal(extra.received(), '');
    // Every held connection is still usable (send a request on the first one).
    const first = held[0];
    assert.ok(first);
    first.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    await within(first.closed, 5_000, 'held connection answered');
    assert.match(first.received(), /^HTTP\/1\.1 200 /);
    for (const c of held.slice(1, 3)) c.socket.destroy();
    await sleep(50);
    assert.equal(await getStatus(url, '/healthz'), 200);
    for (const c of held) c.socket.destroy();
  });
});

describe('limit options', () => {
  test('bad values are refused at construction, naming the option', () => {
    assert.throws(() => resolveHttpLimits({ maxConnections: -1 }), /limits\.maxConnections/);
    assert.throws(() => resolveHttpLimits({ headersTimeoutMs: 1.5 }), /limits\.headersTimeoutMs/);
    assert.throws(
      () => resolveHttpLimits({ headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 }),
      /must not exceed limits\.requestTimeoutMs/,
    );
    assert.equal(resolveHttpLimits().headersTimeoutMs, 10_000);
  });
});
