/**
 * One re-armable timer for the client's deadlines. Unref'd in Node (a client never keeps a
 * process alive), clamped to setTimeout's 2^31−1 ms limit (a 30-day session would otherwise
 * fire at once), and always re-checked against the clock when it fires, because timers run
 * late after a laptop sleeps or a background tab is throttled.
 */

/** setTimeout's largest delay; longer ones overflow and fire immediately. */
export const MAX_DELAY = 2_147_483_647;

export interface Deadline {
  /** Arms the timer to call `fn` at local epoch ms `at` (replacing any armed one). */
  at(at: number, fn: () => void): void;
  cancel(): void;
}

/**
 * Creates a deadline timer driven by `clock`.
 *
 * @example
 * ```ts
 * const d = createDeadline(Date.now);
 * d.at(Date.now() + 60_000, () => console.log('a minute later'));
 * d.cancel();
 * ```
 */
export function createDeadline(clock: () => number): Deadline {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    if (handle !== undefined) clearTimeout(handle);
    handle = undefined;
  };
  const arm = (at: number, fn: () => void) => {
    cancel();
    const delay = Math.min(Math.max(0, at - clock()), MAX_DELAY);
    handle = setTimeout(() => {
      handle = undefined;
      if (clock() >= at) fn();
      else arm(at, fn);
    }, delay);
    (handle as { unref?: () => void }).unref?.();
  };
  return { at: arm, cancel };
}
