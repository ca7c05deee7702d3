/**
 * A concurrency cap with a bounded FIFO queue. Past the queue bound, work is refused at once
 * with `SERVICE_UNAVAILABLE` and a `retryAfter`, instead of piling up memory and latency
 * (each argon2id hash holds 19 MiB while it runs).
 */
import { GatehouseError } from 'gatehouse/errors';

export interface LimiterOptions {
  /** Tasks running at once (>= 1). */
  maxConcurrent: number;
  /** Tasks waiting (>= 0); one more is refused. */
  maxQueue: number;
  /** Seconds suggested to a refused caller. */
  retryAfter: number;
}

export interface Limiter {
  /** Runs `task` when a slot is free; rejects with SERVICE_UNAVAILABLE when the queue is full. */
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly queued: number;
}

/**
 * Creates a limiter.
 *
 * @example
 * ```ts
 * const limit = createLimiter({ maxConcurrent: 4, maxQueue: 64, retryAfter: 1 });
 * const hash = await limit.run(() => argon2.hash(pw));
 * ```
 */
export function createLimiter(options: LimiterOptions): Limiter {
  const { maxConcurrent, maxQueue, retryAfter } = options;
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new GatehouseError('OPTION_INVALID', 'maxConcurrent must be an integer >= 1', {
      claim: 'maxConcurrent',
    });
  }
  if (!Number.isInteger(maxQueue) || maxQueue < 0) {
    throw new GatehouseError('OPTION_INVALID', 'maxQueue must be an integer >= 0', { claim: 'maxQueue' });
  }
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  return {
    get running() {
      return running;
    },
    get queued() {
      return waiting.length;
    },
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running < maxConcurrent) {
        running++;
      } else if (waiting.length < maxQueue) {
        // The slot is handed over by release(): `running` stays the same.
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        throw new GatehouseError(
          'SERVICE_UNAVAILABLE',
          'Too many password checks in progress, retry shortly',
          {
            retryAfter,
          },
        );
      }
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
