/**
 * The Redis connection settings Gatehouse relies on: a command fails at once while Redis is
 * unreachable (no offline queue, one retry, a command timeout) instead of waiting for a
 * reconnection, so that a Redis outage costs a request nothing but the fallback; reconnection
 * keeps going in the background.
 */
import { Redis } from 'ioredis';

/** How long the first commands wait for the initial connection (start-up only). */
export const FIRST_CONNECT_WAIT_MS = 2_000;

/** How long one command may take before it counts as "Redis is down". */
export const COMMAND_TIMEOUT_MS = 500;

/**
 * Opens a connection (lazily connected, reconnecting every ≤ 2 s). Errors go to `onError`,
 * never to an unhandled `error` event.
 *
 * @example
 * ```ts
 * const redis = openRedis('redis://127.0.0.1:6379', () => {});
 * ```
 */
export function openRedis(url: string, onError: (err: Error) => void): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  });
  redis.on('error', onError);
  return redis;
}

const firstConnect = new WeakMap<Redis, Promise<void>>();

/**
 * Resolves when `redis` is ready to take commands, or at once if it is not: the first call
 * waits (shared by all callers) up to {@link FIRST_CONNECT_WAIT_MS} for the initial connection,
 * so that requests right after start-up do not fall back needlessly; later, a connection that
 * is down is reported at once (`false`) and the caller falls back.
 *
 * @example
 * ```ts
 * if (await whenReady(redis)) await redis.incr('k');
 * ```
 */
export async function whenReady(redis: Redis): Promise<boolean> {
  if (redis.status === 'ready') return true;
  let first = firstConnect.get(redis);
  if (first === undefined) {
    first = new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, FIRST_CONNECT_WAIT_MS);
      timer.unref();
      redis.on('ready', done);
    });
    firstConnect.set(redis, first);
  }
  await first;
  // Re-read: the status changed while waiting (TypeScript kept the narrowing from above).
  return (redis.status as string) === 'ready';
}
