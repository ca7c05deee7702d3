/**
 * The revocation feed as resource servers read it (`GET /auth/revocations`, wire format in
 * docs/api/revocation-feed.md): entries after a cursor, times in epoch seconds, a page at a
 * time, and long-polling that answers as soon as an entry is appended.
 */
import { performance } from 'node:perf_hooks';
import { GatehouseError } from 'gatehouse/errors';
import { tokenRevocation } from '../domain/sessions.js';
import type { RevocationEntry, RevocationKind, Store } from '../storage/types.js';
import { nextNotice, type RevocationNotifier } from './notifier.js';

/** One entry on the wire (epoch seconds). */
export interface FeedEntry {
  cursor: number;
  kind: RevocationKind;
  value: string;
  notBefore: number | null;
  expiresAt: number;
}

/** One response of the feed. */
export interface FeedPage {
  entries: FeedEntry[];
  /** Cursor of the last entry included, or what to pass as `after` next time. */
  cursor: number;
}

export interface RevocationFeedService {
  /**
   * Live entries with `cursor > after`, at most one page. With `waitMs > 0` and nothing to
   * send, waits until an entry is appended (or `waitMs` passes, or `signal` aborts).
   * VALIDATION_FAILED when `after` is not a non-negative safe integer.
   */
  read(after: number, options?: { waitMs?: number; signal?: AbortSignal }): Promise<FeedPage>;
  /**
   * Revokes one access token by its `jti` until its `exp` (seconds): the entry RFC 7009
   * revocation of an access token appends. Returns the entry's cursor.
   */
  revokeAccessToken(jti: string, exp: number): Promise<number>;
}

export interface RevocationFeedOptions {
  store: Store;
  /** Epoch ms. */
  clock: () => number;
  notifier: RevocationNotifier;
  /** Entries per response; default 10,000 (the wire format's suggested page). */
  pageSize?: number;
  /**
   * While a long-poll waits, storage is re-read this often (default 1000 ms), so entries
   * appended by another process (the CLI, another instance without a shared notifier) are
   * still served within about this delay.
   */
  recheckMs?: number;
}

/** Longest hold of one request, ms (the wire format caps `wait` at 25 s). */
export const MAX_WAIT_MS = 25_000;

const toSeconds = (ms: number) => Math.ceil(ms / 1000);

function toWire(e: RevocationEntry): FeedEntry {
  return {
    cursor: e.cursor,
    kind: e.kind,
    value: e.value,
    // notBefore is stored in seconds already; only `sub` carries one.
    notBefore: e.kind === 'sub' ? e.notBefore : null,
    // Rounded up: a client never drops an entry before storage considers it expired.
    expiresAt: toSeconds(e.expiresAt),
  };
}

/**
 * Creates the feed over the store.
 *
 * @example
 * ```ts
 * const feed = createRevocationFeed({ store, clock: Date.now, notifier });
 * const page = await feed.read(0);                       // start-up: everything still live
 * const next = await feed.read(page.cursor, { waitMs: 20_000 }); // long-poll
 * ```
 */
export function createRevocationFeed(options: RevocationFeedOptions): RevocationFeedService {
  const { store, clock, notifier } = options;
  const pageSize = options.pageSize ?? 10_000;
  const recheckMs = options.recheckMs ?? 1000;

  async function page(after: number): Promise<FeedPage> {
    // The latest cursor is read BEFORE the list: an entry appended in between is then either
    // in the list or above `latest`, so moving the cursor up to `latest` never skips one.
    const latest = await store.latestRevocationCursor();
    const rows = await store.listRevocationsAfter(after, pageSize, clock());
    const entries = rows.map(toWire);
    const last = entries.at(-1)?.cursor;
    if (entries.length === pageSize && last !== undefined) return { entries, cursor: last };
    // Whole rest of the log seen: expired entries in (after, latest] are skipped for good,
    // and a cursor above ours (a reset database) is answered with our latest.
    return { entries, cursor: Math.max(last ?? 0, latest) };
  }

  return {
    async read(after, opts = {}) {
      if (!Number.isSafeInteger(after) || after < 0) {
        throw new GatehouseError('VALIDATION_FAILED', 'after must be a non-negative integer', {
          claim: 'after',
        });
      }
      const waitMs = Math.min(Math.max(0, opts.waitMs ?? 0), MAX_WAIT_MS);
      // Real elapsed time, not the injected clock: a hold is a wall-clock wait.
      const deadline = performance.now() + waitMs;
      let result = await page(after);
      // Long-poll: only while nothing new exists; the first entry ends the wait, and so does a
      // cursor to adopt (moved past expired entries, or back to ours after a database reset).
      while (result.entries.length === 0 && result.cursor === after && !opts.signal?.aborted) {
        const left = deadline - performance.now();
        if (left <= 0) break;
        await nextNotice(notifier, Math.min(left, recheckMs), opts.signal);
        if (opts.signal?.aborted) break;
        result = await page(after);
      }
      return result;
    },

    async revokeAccessToken(jti, exp) {
      if (typeof jti !== 'string' || jti === '' || jti.length > 256) {
        throw new GatehouseError('VALIDATION_FAILED', 'jti must be a non-empty string', { claim: 'jti' });
      }
      if (!Number.isSafeInteger(exp) || exp <= 0) {
        throw new GatehouseError('VALIDATION_FAILED', 'exp must be a positive integer', { claim: 'exp' });
      }
      return store.appendRevocation(tokenRevocation(jti, exp, 'oauth_revoke', clock()));
    },
  };
}
