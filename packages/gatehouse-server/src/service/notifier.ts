/**
 * "Something was appended to the revocation log": the nudge that wakes long-polls of
 * `GET /auth/revocations` at once instead of at their next storage re-check.
 *
 * It is an interface so that a multi-instance deployment can carry the nudge between
 * processes (issue 8: a Redis pub/sub notifier whose `notify` publishes and whose subscription
 * calls the local listeners). A nudge carries no data: listeners always re-read storage, so a
 * lost, duplicated or spurious nudge never changes what the feed serves, only how soon.
 */

/** Wakes the waiters of the revocation feed. */
export interface RevocationNotifier {
  /** Called after a revocation entry may have been appended (never throws). */
  notify(): void;
  /** Registers `listener` for the next nudges; returns the function that removes it. */
  subscribe(listener: () => void): () => void;
}

/**
 * The in-process notifier: a set of listeners called synchronously by `notify()`. A listener
 * that throws is ignored (one broken waiter must not keep the others asleep).
 *
 * @example
 * ```ts
 * const notifier = createLocalNotifier();
 * const off = notifier.subscribe(() => console.log('new revocation'));
 * notifier.notify();
 * off();
 * ```
 */
export function createLocalNotifier(): RevocationNotifier {
  const listeners = new Set<() => void>();
  return {
    notify() {
      for (const listener of [...listeners]) {
        try {
          listener();
        } catch {
          // Best effort: the waiter re-checks storage on its own schedule anyway.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/**
 * Resolves after the next `notify()`, after `ms`, or when `signal` aborts, whichever comes
 * first; it never rejects and leaves no listener or timer behind.
 *
 * @example
 * ```ts
 * await nextNotice(notifier, 1000, request.signal); // woken early by a revocation
 * ```
 */
export function nextNotice(notifier: RevocationNotifier, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      if (timer) clearTimeout(timer);
      off();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const off = notifier.subscribe(done);
    // Not unref'd: it only runs while a request is held (bounded by `ms`), and that request
    // should keep the process alive like any other in flight.
    timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}
