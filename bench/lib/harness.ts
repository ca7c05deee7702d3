/**
 * Interleaved micro-benchmark rounds.
 *
 * All cases of one group (e.g. "ES256 verify": the floor, gatehouse and every peer) run in the
 * same process, one batch each per round, and the order rotates every round. CPU frequency drift,
 * GC pauses and noisy neighbours therefore hit every case alike, and the reported figure is the
 * median over rounds. Ratios are taken per round against a reference case (adjacent in time) and
 * their median is reported, which is steadier than a ratio of medians.
 */

/** One operation under test; `async` ops are awaited one at a time (per-op latency). */
export interface BenchCase {
  name: string;
  fn: () => unknown;
  async?: boolean;
}

/**
 * `cpu`: process CPU time (user + system, all threads), which a busy shared machine cannot inflate
 * by descheduling us; `wall`: elapsed time. Both are nanoseconds per operation.
 */
export type BenchClock = 'cpu' | 'wall';

export interface HarnessOptions {
  clock: BenchClock;
  /** Measured rounds per group (the median is taken over them). */
  rounds: number;
  /** Discarded rounds after calibration (JIT and caches warm). */
  warmupRounds: number;
  /** Target wall time of one batch of one case, in milliseconds. */
  batchMs: number;
}

export interface CaseResult {
  name: string;
  /** Median nanoseconds per operation over the measured rounds. */
  nsPerOp: number;
  /** ns/op of each measured round. */
  samples: number[];
  /** Operations per batch (fixed after calibration). */
  batch: number;
}

// Results go here so that no call can be optimised away as dead code.
let sink: unknown;

/** Returns the last value any benchmarked function produced (keeps the optimiser honest). */
export function lastSink(): unknown {
  return sink;
}

function cpuNs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

function wallNs(): number {
  return Number(process.hrtime.bigint());
}

async function runBatch(c: BenchCase, n: number, clock: BenchClock): Promise<number> {
  const fn = c.fn;
  const now = clock === 'cpu' ? cpuNs : wallNs;
  const start = now();
  if (c.async) {
    for (let i = 0; i < n; i++) sink = await fn();
  } else {
    for (let i = 0; i < n; i++) sink = fn();
  }
  return now() - start;
}

/** Finds the batch size that takes about `batchMs` (doubling, then scaling). */
async function calibrate(c: BenchCase, batchMs: number): Promise<number> {
  const target = batchMs * 1e6;
  let n = 1;
  for (;;) {
    const elapsed = await runBatch(c, n, 'wall');
    if (elapsed >= target / 4 || n >= 1 << 24) {
      return Math.max(1, Math.round((n * target) / Math.max(elapsed, 1)));
    }
    n *= 2;
  }
}

/**
 * The median of a list (NaN when empty).
 *
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Runs one group of cases in interleaved rounds and returns their medians (same order as `cases`).
 *
 * @example
 * ```ts
 * const [a, b] = await runGroup(
 *   [{ name: 'a', fn: () => f(x) }, { name: 'b', fn: () => g(x) }],
 *   { clock: 'cpu', rounds: 15, warmupRounds: 3, batchMs: 25 },
 * );
 * console.log(a.nsPerOp, pairedRatio(a, b));
 * ```
 */
export async function runGroup(cases: readonly BenchCase[], opts: HarnessOptions): Promise<CaseResult[]> {
  const batches: number[] = [];
  for (const c of cases) batches.push(await calibrate(c, opts.batchMs));
  const samples: number[][] = cases.map(() => []);
  const total = opts.warmupRounds + opts.rounds;
  for (let r = 0; r < total; r++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (k + r) % cases.length;
      const ns = await runBatch(cases[i]!, batches[i]!, opts.clock);
      if (r >= opts.warmupRounds) samples[i]!.push(ns / batches[i]!);
    }
  }
  return cases.map((c, i) => ({
    name: c.name,
    nsPerOp: median(samples[i]!),
    samples: samples[i]!,
    batch: batches[i]!,
  }));
}

/**
 * Median over rounds of `a[r] / b[r]`: the ratio of two cases measured side by side.
 *
 * @example
 * ```ts
 * pairedRatio(gatehouse, floor); // 1.04 → gatehouse takes 4% longer than the floor
 * ```
 */
export function pairedRatio(a: CaseResult, b: CaseResult): number {
  const n = Math.min(a.samples.length, b.samples.length);
  const ratios: number[] = [];
  for (let r = 0; r < n; r++) ratios.push(a.samples[r]! / b.samples[r]!);
  return median(ratios);
}
