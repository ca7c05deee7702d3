/**
 * Single-flight: while one call of `fn` is pending, every other caller gets the same promise
 * (as jose's `pendingFetch` does for JWKS). This is what keeps 50 concurrent requests with
 * an expired access token down to ONE refresh, which matters because each refresh rotates
 * the refresh token: parallel refreshes would spend the same token twice.
 *
 * @example
 * ```ts
 * const refreshOnce = singleFlight(() => doRefresh());
 * await Promise.all([refreshOnce(), refreshOnce()]); // one doRefresh()
 * ```
 */
export function singleFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (pending === undefined) {
      pending = fn().finally(() => {
        pending = undefined;
      });
    }
    return pending;
  };
}
