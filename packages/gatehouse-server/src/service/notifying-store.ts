/**
 * A `Store` that nudges a {@link RevocationNotifier} after every operation that can append to
 * the revocation log. Wrapping the store (rather than adding a call in each service operation)
 * means no revoking path can forget the nudge: logout, logout-all, session delete, password
 * change, lock, refresh-token reuse, key revoke and RFC 7009 all end in one of these methods.
 */
import type { Store } from '../storage/types.js';
import type { RevocationNotifier } from './notifier.js';

/**
 * The store methods that may append a revocation entry. Nudging after one that did not (a
 * logout of an unknown token) only costs the waiters one storage read.
 */
const REVOKING = new Set<PropertyKey>([
  'appendRevocation',
  'revokeSession',
  'revokeUserSessions',
  'changePassword',
  'setLocked',
  'rotateRefreshToken',
]);

/**
 * Wraps `store`; every other method and property is the store's own, unchanged.
 *
 * @example
 * ```ts
 * const notifier = createLocalNotifier();
 * const store = withRevocationNotices(await createSqliteStore({ path }), notifier);
 * await store.appendRevocation(entry); // notifier.notify() runs once it is committed
 * ```
 */
export function withRevocationNotices(store: Store, notifier: RevocationNotifier): Store {
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      let bound = cache.get(prop);
      if (bound === undefined) {
        const fn = value as (...args: unknown[]) => unknown;
        bound = REVOKING.has(prop)
          ? async (...args: unknown[]) => {
              try {
                return await fn.apply(target, args);
              } finally {
                // After the commit (or a failure that may have committed): waiters re-read.
                notifier.notify();
              }
            }
          : fn.bind(target);
        cache.set(prop, bound);
      }
      return bound;
    },
  });
}
