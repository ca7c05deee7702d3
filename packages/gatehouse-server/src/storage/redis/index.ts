/**
 * The optional Redis backend (`GATEHOUSE_REDIS_URL`): shared throttling counters and the
 * cross-instance revocation nudge. Everything works without it.
 */
import type { Store } from '../types.js';
import { openRedis } from './client.js';
import { type CounterOptions, withRedisCounters } from './counters.js';
import { createRedisNotifier, type RedisNotifier } from './notifier.js';

export { openRedis } from './client.js';
export { withRedisCounters } from './counters.js';
export { createRedisNotifier, REVOCATION_CHANNEL, type RedisNotifier } from './notifier.js';

export interface RedisAttachment {
  /** `store` with counters in Redis; its `close()` also closes the Redis connections. */
  store: Store;
  notifier: RedisNotifier;
}

/**
 * Puts Redis in front of a store: counters and the revocation nudge.
 *
 * @example
 * ```ts
 * const { store, notifier } = attachRedis(await openStore(dbUrl), 'redis://127.0.0.1:6379');
 * const service = await createAuthService({ ...options, store, revocationNotifier: notifier });
 * ```
 */
export function attachRedis(store: Store, url: string, options: CounterOptions = {}): RedisAttachment {
  // Connection errors are reported through the counters' once-per-outage log line.
  const ignore = () => {};
  const commands = openRedis(url, ignore);
  const subscriber = openRedis(url, ignore);
  const notifier = createRedisNotifier(commands, subscriber);
  const counted = withRedisCounters(store, commands, options);
  let closed: Promise<void> | null = null;
  return {
    notifier,
    store: {
      ...counted,
      close() {
        closed ??= (async () => {
          try {
            await store.close();
          } finally {
            await notifier.close();
          }
        })();
        return closed;
      },
    },
  };
}

/**
 * `attachRedis` when a URL is configured, the store unchanged (and no notifier) otherwise.
 *
 * @example
 * ```ts
 * const { store, notifier } = withOptionalRedis(store, config.redisUrl);
 * ```
 */
export function withOptionalRedis(
  store: Store,
  url: string | null,
  log?: CounterOptions['log'],
): { store: Store; notifier?: RedisNotifier } {
  if (url === null) return { store };
  return attachRedis(store, url, log ? { log } : {});
}
