/**
 * Periodic purge of what can no longer matter (expired sessions and their refresh-token
 * generations, revocation entries past `expiresAt`, stale counters, keys past
 * `publishUntil`): `store.purgeExpired`. Best effort; the timer is unref'd and stopped by
 * `close()`.
 */
import type { PurgeResult, Store } from '../storage/types.js';

export interface HousekeeperOptions {
  store: Store;
  /** Epoch ms. */
  clock: () => number;
  /** Default 10 minutes. */
  intervalMs?: number;
  /**
   * First pass this long after `start()` (default 1 minute), so that a server restarted more
   * often than `intervalMs` still purges.
   */
  initialDelayMs?: number;
  /** Ended sessions are kept this long (audit, "why was I logged out"). Default 7 days. */
  retainMs?: number;
}

export interface Housekeeper {
  start(): void;
  stop(): void;
  /** One purge now; resolves to null when it failed (the next run retries). */
  runOnce(): Promise<PurgeResult | null>;
}

/**
 * Creates the housekeeper (not started).
 *
 * @example
 * ```ts
 * const hk = createHousekeeper({ store, clock: Date.now });
 * hk.start();
 * // ... on shutdown
 * hk.stop();
 * ```
 */
export function createHousekeeper(options: HousekeeperOptions): Housekeeper {
  const intervalMs = options.intervalMs ?? 10 * 60 * 1000;
  const retainMs = options.retainMs ?? 7 * 24 * 3600 * 1000;
  const initialDelayMs = options.initialDelayMs ?? 60 * 1000;
  let timer: NodeJS.Timeout | undefined;
  let first: NodeJS.Timeout | undefined;
  let running: Promise<PurgeResult | null> | undefined;

  const runOnce = () => {
    running ??= options.store
      .purgeExpired(options.clock(), retainMs)
      .catch(() => null)
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  return {
    start() {
      if (timer) return;
      timer = setInterval(() => void runOnce(), intervalMs);
      timer.unref();
      if (initialDelayMs < intervalMs) {
        first = setTimeout(() => void runOnce(), initialDelayMs);
        first.unref();
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      if (first) clearTimeout(first);
      timer = undefined;
      first = undefined;
    },
    runOnce,
  };
}
