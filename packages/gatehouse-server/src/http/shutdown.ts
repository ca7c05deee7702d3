/**
 * Graceful shutdown on SIGTERM / SIGINT: stop accepting connections, let in-flight requests
 * finish, close the service (timers and storage), then exit 0. A second signal, or a close
 * that takes longer than `timeoutMs`, exits 1 at once.
 */

export interface ShutdownOptions {
  signals?: readonly NodeJS.Signals[];
  /** Longest wait for in-flight requests, ms; default 10 000. */
  timeoutMs?: number;
  /** Called with a one-line message. */
  log?: (message: string) => void;
  /** Default `process.exit`; tests inject their own. */
  exit?: (code: number) => void;
}

/**
 * Installs the signal handlers; returns a function that removes them.
 *
 * @example
 * ```ts
 * const server = await createAuthServer(loadConfig());
 * await server.listen();
 * closeOnSignals(server);
 * ```
 */
export function closeOnSignals(
  server: { close(): Promise<void> },
  options: ShutdownOptions = {},
): () => void {
  const signals = options.signals ?? (['SIGTERM', 'SIGINT'] as const);
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? (() => {});
  let stopping = false;

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      exit(1);
      return;
    }
    stopping = true;
    log(`${signal} received: finishing in-flight requests`);
    const timer = setTimeout(() => {
      log('shutdown timed out: exiting');
      exit(1);
    }, options.timeoutMs ?? 10_000);
    timer.unref();
    server.close().then(
      () => {
        clearTimeout(timer);
        log('stopped');
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(timer);
        log(`shutdown failed: ${err instanceof Error ? err.message.split('\n')[0] : 'unknown error'}`);
        exit(1);
      },
    );
  };
  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.off(s, onSignal);
  };
}
