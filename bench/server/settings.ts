/**
 * Run sizes of the server benchmark: `--quick` (about 1.5 minutes) or the full run (about 3
 * minutes; a minute more with `--postgres`).
 */

/** How long and how hard each run is. */
export interface Settings {
  quick: boolean;
  /** Seconds of each measured closed-loop run (after `warmupS` unmeasured). */
  durationS: number;
  warmupS: number;
  /** Connections of the refresh, me and protected runs. */
  connections: number;
  /** Connections of the login runs (a few per core: argon2id runs on the libuv pool). */
  loginConnections: number;
  /** Sessions in storage before the refresh run (both systems). */
  sessions: number;
  /** Seconds per point of the open-loop refresh sweep. */
  sweepS: number;
  /** Offered rates of the sweep, as fractions of the closed-loop throughput. */
  sweepFractions: number[];
  /** Sequential argon2id verifications timed for the limit. */
  argon2Samples: number;
  /** The auth server's argon2 `maxConcurrent` (`--hash-concurrency`); default: the server's. */
  hashConcurrency?: number;
}

/**
 * The settings for a quick or a full run.
 *
 * @example
 * ```ts
 * settingsFor(true).durationS; // 3
 * ```
 */
export function settingsFor(quick: boolean): Settings {
  return quick
    ? {
        quick,
        durationS: 3,
        warmupS: 1,
        connections: 32,
        loginConnections: 8,
        sessions: 20_000,
        sweepS: 2,
        sweepFractions: [0.25, 0.5, 0.75, 1],
        argon2Samples: 12,
      }
    : {
        quick,
        durationS: 6,
        warmupS: 1,
        connections: 32,
        loginConnections: 8,
        sessions: 100_000,
        sweepS: 2,
        sweepFractions: [0.25, 0.5, 0.75, 1],
        argon2Samples: 24,
      };
}
