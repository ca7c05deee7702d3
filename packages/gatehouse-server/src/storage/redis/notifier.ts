/**
 * The revocation nudge across instances: `notify()` wakes this process's long-polls at once
 * and publishes on a Redis channel; every other instance's subscription wakes its own. A nudge
 * carries no data (service/notifier.ts), so a lost one only means a reader waits for its next
 * storage re-check; with Redis down, local nudges still work.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createLocalNotifier, type RevocationNotifier } from '../../service/notifier.js';

export const REVOCATION_CHANNEL = 'gatehouse:revocations';

/** A notifier whose `close()` ends the subscription and closes both connections. */
export interface RedisNotifier extends RevocationNotifier {
  close(): Promise<void>;
}

/**
 * Builds the notifier on a publishing connection and a dedicated subscriber connection (a
 * subscribed Redis connection can run no other command).
 *
 * @example
 * ```ts
 * const notifier = createRedisNotifier(openRedis(url, onError), openRedis(url, onError));
 * await createAuthService({ ...options, revocationNotifier: notifier });
 * ```
 */
export function createRedisNotifier(publisher: Redis, subscriber: Redis): RedisNotifier {
  const local = createLocalNotifier();
  // Our own messages come back through the subscription: skip them, we woke locally already.
  const self = randomUUID();
  subscriber.on('message', (channel: string, message: string) => {
    if (channel === REVOCATION_CHANNEL && message !== self) local.notify();
  });
  // Subscribe on every (re)connection: idempotent, and it covers a Redis that was down at start.
  const subscribe = () => {
    subscriber.subscribe(REVOCATION_CHANNEL).catch(() => {});
  };
  subscriber.on('ready', subscribe);
  if (subscriber.status === 'ready') subscribe();
  return {
    notify() {
      local.notify();
      publisher.publish(REVOCATION_CHANNEL, self).catch(() => {});
    },
    subscribe: (listener) => local.subscribe(listener),
    async close() {
      subscriber.off('ready', subscribe);
      await Promise.all([
        subscriber.quit().catch(() => subscriber.disconnect()),
        publisher.quit().catch(() => publisher.disconnect()),
      ]);
    },
  };
}
