/**
 * Connection-level limits of the auth server's HTTP listener: how long a client may take to
 * send its headers and its body, how long an idle keep-alive connection is kept, how many
 * requests one connection may carry and how many connections are open at once. They bound
 * what slow clients (slowloris: headers a byte at a time, a body that never ends) and
 * connection floods can hold, so that normal clients keep being served.
 */
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** The limits, in milliseconds and counts. 0 turns a limit off (never the default). */
export interface HttpLimits {
  /** Time to receive the complete request headers; slower clients get 408 and are closed. */
  headersTimeoutMs: number;
  /** Time to receive the complete request (headers and body); slower clients get 408. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** A socket with no traffic at all (in either direction) is destroyed after this long. */
  idleSocketTimeoutMs: number;
  /** After this many requests a keep-alive connection is closed (spreads load, bounds reuse). */
  maxRequestsPerSocket: number;
  /** Connections beyond this are refused at accept (closed without a response). */
  maxConnections: number;
  /** How often the header and request timeouts are checked; bounds their precision. */
  checkIntervalMs: number;
}

/**
 * The defaults: generous for real clients on slow links, short enough that a slowloris
 * connection is gone within seconds.
 *
 * @example
 * ```ts
 * DEFAULT_HTTP_LIMITS.headersTimeoutMs; // 10000
 * ```
 */
export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleSocketTimeoutMs: 60_000,
  maxRequestsPerSocket: 1_000,
  maxConnections: 4_096,
  checkIntervalMs: 1_000,
});

function count(name: keyof HttpLimits, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new TypeError(`limits.${name} must be a non-negative integer`);
  return value;
}

/**
 * Validates and completes partial limits (every missing one from `DEFAULT_HTTP_LIMITS`).
 * Throws a TypeError naming the bad option.
 *
 * @example
 * ```ts
 * resolveHttpLimits({ headersTimeoutMs: 2000 }).requestTimeoutMs; // 30000
 * ```
 */
export function resolveHttpLimits(partial: Partial<HttpLimits> = {}): HttpLimits {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...partial };
  for (const key of Object.keys(DEFAULT_HTTP_LIMITS) as (keyof HttpLimits)[]) count(key, limits[key]);
  if (limits.checkIntervalMs === 0) throw new TypeError('limits.checkIntervalMs must be at least 1');
  // Node requires headersTimeout <= requestTimeout when both are set.
  if (limits.requestTimeoutMs > 0 && limits.headersTimeoutMs > limits.requestTimeoutMs)
    throw new TypeError('limits.headersTimeoutMs must not exceed limits.requestTimeoutMs');
  return limits;
}

/**
 * Applies the limits to the Fastify app's node `http.Server`. Call before `listen()`: the
 * timeout checker starts when the server starts listening.
 *
 * @example
 * ```ts
 * const app = Fastify();
 * installHttpLimits(app, { maxConnections: 1000 });
 * await app.listen({ port: 0, host: '127.0.0.1' });
 * ```
 */
export function installHttpLimits(app: FastifyInstance, partial?: Partial<HttpLimits>): HttpLimits {
  const limits = resolveHttpLimits(partial);
  const server = app.server as Server;
  // Security: without these, one client can hold a connection (and its parser state) open
  // for as long as it likes by trickling bytes; Node's defaults allow 60 s / 300 s.
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  // Read by Node when the server starts listening (the periodic timeout check).
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    limits.checkIntervalMs;
  server.setTimeout(limits.idleSocketTimeoutMs);
  // A flood of connections is refused at accept instead of exhausting file descriptors.
  if (limits.maxConnections > 0) server.maxConnections = limits.maxConnections;
  return limits;
}
