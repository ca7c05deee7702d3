/**
 * Token stores. The default keeps the refresh token in memory only.
 *
 * Security: there is deliberately no `localStorage` store. Anything in localStorage is readable
 * by every script of the origin, so one XSS bug (or one compromised dependency) exfiltrates a
 * refresh token that works for the whole session, from anywhere, until it is rotated. In a
 * browser, prefer cookie mode (HttpOnly cookie, unreadable by scripts); in Node or a mobile
 * app, pass a store backed by a protected file or the platform keychain.
 */
import type { StoredSession, TokenStore } from './types.js';

/**
 * A store in memory: the session lasts as long as the client object.
 *
 * @example
 * ```ts
 * const client = createClient({ baseUrl, storage: memoryStore() });
 * ```
 */
export function memoryStore(): TokenStore {
  let value: StoredSession | undefined;
  return {
    get: () => (value === undefined ? undefined : { ...value }),
    set: (session) => {
      value = { ...session };
    },
    clear: () => {
      value = undefined;
    },
  };
}
