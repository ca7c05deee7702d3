/**
 * Access tokens revoked one by one (RFC 7009 revocation of an access token appends a `jti`
 * entry to the revocation log). The store has no lookup by `jti`, so the auth server follows
 * its own revocation log the way a resource server follows the feed: entries after the last
 * cursor seen, kept in memory until they expire. Entries appended by THIS process are added
 * at once; those of other processes (another instance, the CLI) are seen on the next sync,
 * at most `maxStalenessMs` later.
 */
import type { Store } from '../../storage/types.js';

export interface JtiDenylist {
  /** True when `jti` was revoked (syncing with storage first when the last sync is stale). */
  isRevoked(jti: string): Promise<boolean>;
  /** Records a revocation appended by this process (no storage round trip needed). */
  add(jti: string, expiresAt: number): void;
  /** Number of revoked tokens held (for tests and status). */
  size(): number;
}

const PAGE = 1000;

/**
 * Creates the deny list; the first check reads every live entry of the log.
 *
 * @example
 * ```ts
 * const denylist = createJtiDenylist({ store, clock: Date.now });
 * if (await denylist.isRevoked(claims.jti)) throw new GatehouseError('TOKEN_REVOKED');
 * ```
 */
export function createJtiDenylist(options: {
  store: Store;
  clock: () => number;
  /** How old the view of other processes' revocations may be; default 250 ms. */
  maxStalenessMs?: number;
}): JtiDenylist {
  const { store, clock } = options;
  const staleness = options.maxStalenessMs ?? 250;
  const revoked = new Map<string, number>();
  let cursor = 0;
  let syncedAt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<void> | undefined;

  async function sync(): Promise<void> {
    const now = clock();
    for (;;) {
      const page = await store.listRevocationsAfter(cursor, PAGE, now);
      for (const entry of page) {
        cursor = Math.max(cursor, entry.cursor);
        if (entry.kind === 'jti') revoked.set(entry.value, entry.expiresAt);
      }
      if (page.length < PAGE) break;
    }
    for (const [jti, expiresAt] of revoked) if (expiresAt <= now) revoked.delete(jti);
    syncedAt = now;
  }

  return {
    async isRevoked(jti) {
      const now = clock();
      if (now - syncedAt >= staleness || now < syncedAt) {
        // Single flight: concurrent checks share one read of the log.
        inflight ??= sync().finally(() => {
          inflight = undefined;
        });
        await inflight;
      }
      const until = revoked.get(jti);
      return until !== undefined && until > clock();
    },
    add(jti, expiresAt) {
      revoked.set(jti, expiresAt);
    },
    size: () => revoked.size,
  };
}
