/**
 * Coordination between tabs (or any clients of one origin): Web Locks make refreshes
 * single-flight across tabs, and a BroadcastChannel shares new tokens and logouts. Both are
 * feature-detected; without Web Locks (Node 20, old browsers) a refresh is single-flight within
 * one client only, and the server's reuse grace period covers a cross-tab race.
 */
import type { Tokens } from './session.js';
import type { LockManagerLike, LoggedOutReason } from './types.js';

/** Messages on the channel. Same-origin only (BroadcastChannel never crosses origins). */
export type TabMessage =
  | { type: 'tokens'; tokens: Tokens }
  | {
      type: 'logged-out';
      reason: LoggedOutReason;
      sessionId: string | undefined;
      userId?: string;
      all: boolean;
    };

export interface TabSync {
  /** Runs `fn` holding the cross-tab refresh lock (or directly, without Web Locks). */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
  post(message: TabMessage): void;
  close(): void;
}

/**
 * The Web Locks manager of this environment, if any (none in Node 20).
 *
 * @example
 * ```ts
 * const locks = detectLocks(); // navigator.locks in a browser, else undefined
 * ```
 */
export function detectLocks(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return typeof nav?.locks?.request === 'function' ? nav.locks : undefined;
}

/**
 * True in a browser window (where tab coordination is on by default).
 *
 * @example
 * ```ts
 * const crossTab = options.crossTab ?? isBrowser();
 * ```
 */
export function isBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window !== 'undefined' && typeof g.document !== 'undefined';
}

function isTabMessage(data: unknown): data is TabMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as { type?: unknown; tokens?: { accessToken?: unknown; sessionId?: unknown } };
  if (m.type === 'tokens')
    return typeof m.tokens?.accessToken === 'string' && typeof m.tokens.sessionId === 'string';
  return m.type === 'logged-out';
}

/**
 * Opens the channel `name` (when `channel` is true and BroadcastChannel exists) and uses `locks`
 * for the refresh lock `lockName`.
 *
 * @example
 * ```ts
 * const sync = createTabSync({ name: 'gatehouse:http://127.0.0.1:5000', lockName: 'gatehouse-refresh',
 *   channel: true, locks: detectLocks(), onMessage: (m) => console.log(m.type) });
 * ```
 */
export function createTabSync(options: {
  name: string;
  lockName: string;
  channel: boolean;
  locks: LockManagerLike | undefined;
  onMessage: (message: TabMessage) => void;
}): TabSync {
  let channel: BroadcastChannel | undefined;
  if (options.channel && typeof BroadcastChannel === 'function') {
    channel = new BroadcastChannel(options.name);
    // Node: the channel must not keep the process alive.
    (channel as unknown as { unref?: () => void }).unref?.();
    channel.onmessage = (event: MessageEvent) => {
      if (isTabMessage(event.data)) options.onMessage(event.data);
    };
  }
  const { locks, lockName } = options;
  return {
    withLock: (fn) => (locks === undefined ? fn() : locks.request(lockName, fn)),
    post(message) {
      try {
        channel?.postMessage(message);
      } catch {
        // A closed channel: other tabs simply learn on their next refresh.
      }
    },
    close() {
      if (channel !== undefined) {
        channel.onmessage = null;
        channel.close();
        channel = undefined;
      }
    },
  };
}
