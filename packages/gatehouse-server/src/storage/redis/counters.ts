/**
 * Login-throttling counters in Redis, shared by every auth-server instance. Same window
 * semantics as the SQL `incrementAttempts` (kysely/attempts.ts): the window ends at `resetAt`
 * (reached = expired); the first increment after it restarts at 1 with a fresh window; later
 * increments never extend it. Times are the caller's `now` (an injected clock works), stored in
 * the hash; the key's PEXPIRE, set only when a window starts, is garbage collection.
 *
 * If Redis fails, the counters fall back to the store's own (logged once per outage): throttling
 * keeps working per database, nothing else breaks. Counts made during an outage stay in the
 * store; Redis resumes with what it had.
 */
import type { Redis } from 'ioredis';
import type { Store } from '../types.js';
import { whenReady } from './client.js';

const PREFIX = 'gatehouse:attempts:';

// One script = one atomic step on the Redis server: concurrent increments never lose a count.
const INCREMENT = `
local v = redis.call('HMGET', KEYS[1], 'c', 'r')
local now = tonumber(ARGV[1])
local win = tonumber(ARGV[2])
if v[1] and v[2] and tonumber(v[2]) > now then
  local c = redis.call('HINCRBY', KEYS[1], 'c', 1)
  return {c, v[2]}
end
local reset = now + win
redis.call('HSET', KEYS[1], 'c', 1, 'r', string.format('%.0f', reset))
redis.call('PEXPIRE', KEYS[1], math.max(1, win))
return {1, string.format('%.0f', reset)}
`;

export interface CounterOptions {
  /** Called once when Redis starts failing, and once when it works again. */
  log?: (level: 'warn' | 'info', message: string) => void;
}

type Counter = { count: number; resetAt: number };

/**
 * Returns `store` with `incrementAttempts` / `getAttempts` / `resetAttempts` served by Redis.
 *
 * @example
 * ```ts
 * const shared = withRedisCounters(store, openRedis(url, onError));
 * await shared.incrementAttempts('login:ip:203.0.113.7', 60_000, Date.now());
 * ```
 */
export function withRedisCounters(store: Store, redis: Redis, options: CounterOptions = {}): Store {
  let down = false;
  const failed = () => {
    if (!down) {
      down = true;
      options.log?.('warn', 'Redis unavailable: throttling counters fall back to the database');
    }
  };
  const ok = () => {
    if (down) {
      down = false;
      options.log?.('info', 'Redis available again: throttling counters back in Redis');
    }
  };
  async function tryRedis<T>(fn: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    let value: T;
    try {
      if (!(await whenReady(redis))) throw new Error('Redis not connected');
      value = await fn();
    } catch {
      failed();
      return fallback();
    }
    ok();
    return value;
  }
  return {
    ...store,
    incrementAttempts: (key, windowMs, now) =>
      tryRedis(
        async (): Promise<Counter> => {
          const [count, resetAt] = (await redis.eval(INCREMENT, 1, PREFIX + key, now, windowMs)) as [
            number,
            string,
          ];
          return { count: Number(count), resetAt: Number(resetAt) };
        },
        () => store.incrementAttempts(key, windowMs, now),
      ),
    getAttempts: (key, now) =>
      tryRedis(
        async (): Promise<Counter | null> => {
          const [c, r] = await redis.hmget(PREFIX + key, 'c', 'r');
          if (c === null || r === null || Number(r) <= now) return null;
          return { count: Number(c), resetAt: Number(r) };
        },
        () => store.getAttempts(key, now),
      ),
    resetAttempts: (key) =>
      tryRedis(
        async () => {
          await redis.del(PREFIX + key);
          // Clear a count the fallback may have left in the store during an outage too.
          await store.resetAttempts(key);
        },
        () => store.resetAttempts(key),
      ),
  };
}
