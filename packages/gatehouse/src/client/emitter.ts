/** A tiny typed event emitter (no Node `events`, so it runs in browsers). */
import type { ClientEventName, ClientEvents, Listener } from './types.js';

export interface Emitter {
  on<E extends ClientEventName>(event: E, listener: Listener<E>): () => void;
  off<E extends ClientEventName>(event: E, listener: Listener<E>): void;
  emit<E extends ClientEventName>(event: E, payload: ClientEvents[E]): void;
  clear(): void;
}

/** Reports a listener's error as an uncaught one (browser `reportError`, else a rethrow). */
function report(err: unknown): void {
  const g = globalThis as { reportError?: (e: unknown) => void };
  if (typeof g.reportError === 'function') g.reportError(err);
  else
    queueMicrotask(() => {
      throw err;
    });
}

/**
 * Creates an emitter. A listener that throws does not stop the others nor the client: its
 * error is reported asynchronously (as an uncaught error would be), never swallowed silently.
 *
 * @example
 * ```ts
 * const e = createEmitter();
 * const off = e.on('refreshed', ({ session }) => console.log(session.accessTokenExpiresAt));
 * off();
 * ```
 */
export function createEmitter(): Emitter {
  const listeners = new Map<ClientEventName, Set<(payload: never) => void>>();
  return {
    on(event, listener) {
      let set = listeners.get(event);
      if (set === undefined) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener as (payload: never) => void);
      return () => this.off(event, listener);
    },
    off(event, listener) {
      listeners.get(event)?.delete(listener as (payload: never) => void);
    },
    emit(event, payload) {
      for (const listener of [...(listeners.get(event) ?? [])]) {
        try {
          (listener as Listener<typeof event>)(payload);
        } catch (err) {
          report(err);
        }
      }
    },
    clear() {
      listeners.clear();
    },
  };
}
