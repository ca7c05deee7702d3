/** Raw TCP clients for the fault tests: slow writers, idle connections, one-shot requests. */
import { connect, type Socket } from 'node:net';

/** A connected socket plus everything it has received and a promise of its close. */
export interface RawClient {
  socket: Socket;
  /** Bytes received so far, as latin1 text. */
  received(): string;
  /** Resolves when the socket is closed (by either side). */
  closed: Promise<void>;
}

/** Opens a TCP connection to `url`'s host and port. */
export function open(url: string): Promise<RawClient> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    // Resets by the server are an expected outcome here, not a test failure.
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

/**
 * Waits for `promise`, failing with `what` after `ms` (a bound on the test, not a timing
 * assertion: the limits under test are far shorter).
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** One HTTP/1.1 GET on a fresh connection (Connection: close); resolves to the status code. */
export async function getStatus(url: string, path: string): Promise<number> {
  const client = await open(url);
  client.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  await within(client.closed, 5_000, `GET ${path}`);
  const match = /^HTTP\/1\.1 (\d{3})/.exec(client.received());
  return match ? Number(match[1]) : 0;
}
