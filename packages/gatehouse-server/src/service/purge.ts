/**
 * `gatehouse purge [--dry-run]`: one housekeeping pass now (for cron), with row counts before
 * and after so the operator sees what it did.
 */
import type { PurgeResult, Store } from '../storage/types.js';

/** Ended sessions are kept this long for "why was I logged out" (same as the timer's default). */
export const DEFAULT_RETAIN_MS = 7 * 24 * 3600 * 1000;

export interface PurgeReport {
  /** Rows per table before the pass. */
  before: Record<string, number>;
  /** Rows per table after it (equal to `before` in a dry run). */
  after: Record<string, number>;
  /** What was deleted; null in a dry run. */
  deleted: PurgeResult | null;
}

/**
 * Runs `store.purgeExpired` at `clock()` (unless `dryRun`) and reports row counts. The store
 * never deletes an entry that can still hit a live token (storage/types.ts, `purgeExpired`).
 *
 * @example
 * ```ts
 * const report = await purgeNow({ store, clock: Date.now });
 * console.log(report.deleted?.revocations);
 * ```
 */
export async function purgeNow(options: {
  store: Store;
  clock: () => number;
  dryRun?: boolean;
  retainMs?: number;
}): Promise<PurgeReport> {
  const { store } = options;
  const before = await store.stats();
  if (options.dryRun) return { before, after: before, deleted: null };
  const deleted = await store.purgeExpired(options.clock(), options.retainMs ?? DEFAULT_RETAIN_MS);
  return { before, after: await store.stats(), deleted };
}
