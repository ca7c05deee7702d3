/**
 * Wraps every method of a store so that driver errors meaning "the database cannot be used
 * right now" leave as `GatehouseError('SERVICE_UNAVAILABLE', ..., { retryAfter })` (the HTTP
 * layer answers 503 with Retry-After). The driver's message stays in `cause`, never shown to
 * clients: it can name files and paths.
 */
import { GatehouseError, isGatehouseError } from 'gatehouse/errors';
import type { DialectHooks } from './dialect.js';

type AnyFn = (...args: never[]) => unknown;

/**
 * Returns a copy of `target` whose async methods map errors through `hooks.mapError`.
 *
 * @example
 * ```ts
 * const store = guardErrors(createKyselyStore(db, sqliteHooks), sqliteHooks);
 * ```
 */
export function guardErrors<T extends object>(
  target: T,
  hooks: Pick<DialectHooks, 'mapError'>,
  isClosed: () => boolean = () => false,
): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function') {
      out[name] = value;
      continue;
    }
    const fn = value as AnyFn;
    out[name] = async (...args: never[]) => {
      // After close (shutdown in progress), in-flight requests get a 503, not a driver error.
      if (name !== 'close' && isClosed()) {
        throw new GatehouseError('SERVICE_UNAVAILABLE', 'Storage unavailable', {
          retryAfter: 1,
          reason: 'closed',
        });
      }
      try {
        return await fn.apply(target, args);
      } catch (err) {
        if (isGatehouseError(err)) throw err;
        throw hooks.mapError(err) ?? err;
      }
    };
  }
  return out as T;
}
