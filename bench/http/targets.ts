/**
 * The targets of issue 3, as throughput ratios measured in the same run. Ratios are taken on
 * `capacity` (requests per second of server CPU), equal to req/s when the server saturates its
 * core and still meaningful when the load generator or a busy machine holds it back; the raw
 * req/s ratio is printed beside it.
 */
import { median } from '../lib/harness.js';
import type { Framework } from './protocol.js';

/** Gatehouse with the repeated token keeps at least this share of no-auth throughput. */
export const KEEP_TARGETS: Record<Framework, number> = { express: 0.95, fastify: 0.9 };
/** Gatehouse with the 10,000-token ring does at least this multiple of the peer's throughput. */
export const RING_TARGET = 1.3;

/** One measurement of one cell. */
export interface Sample {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  serverCpu: number;
  capacity: number;
  cacheHitRate: number | null;
}

export interface HttpRow {
  framework: Framework;
  variant: string;
  mix: 'repeated' | 'ring';
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU during the measurement, as a fraction of one core (near 1: the server was the bottleneck). */
  serverCpu: number;
  /**
   * Requests per second of server CPU time: the throughput of this server given a whole core,
   * which neither a busy neighbour nor a slow load generator can distort.
   */
  capacity: number;
  /** Gatehouse cells: the verified-token cache hit rate (median over rounds); null for others. */
  cacheHitRate: number | null;
  /** The auth variant and algorithm behind `variant` (for the checks). */
  auth: 'none' | 'gatehouse' | 'peer';
  alg: string | null;
  deny: number;
  /** One per round, in round order (so rows can be paired round by round). */
  samples: Sample[];
}

export interface TargetResult {
  pass: boolean;
  label: string;
  detail: string;
}

/** Median over rounds of `a[r] / b[r]` (the cells were measured in the same round). */
function pairedRatio(a: HttpRow, b: HttpRow, f: (s: Sample) => number): number {
  const n = Math.min(a.samples.length, b.samples.length);
  const ratios: number[] = [];
  for (let r = 0; r < n; r++) ratios.push(f(a.samples[r]!) / f(b.samples[r]!));
  return median(ratios);
}

/** Evaluates every target the rows allow; a target whose rows are missing FAILs. */
export function checkTargets(
  rows: readonly HttpRow[],
  frameworks: readonly Framework[],
  algs: readonly string[],
) {
  const out: TargetResult[] = [];
  const find = (fw: Framework, auth: HttpRow['auth'], alg: string | null, mix: HttpRow['mix']) =>
    rows.find((r) => r.framework === fw && r.auth === auth && r.alg === alg && r.mix === mix && r.deny === 0);
  for (const fw of frameworks) {
    const none = find(fw, 'none', null, 'repeated');
    for (const alg of algs) {
      const gh = find(fw, 'gatehouse', alg, 'repeated');
      const keep = KEEP_TARGETS[fw];
      const label = `${fw} ${alg} repeated token: gatehouse keeps >= ${keep * 100}% of no-auth`;
      if (gh && none) {
        const ratio = pairedRatio(gh, none, (s) => s.capacity);
        const raw = pairedRatio(gh, none, (s) => s.reqPerSec);
        const detail = `${(ratio * 100).toFixed(1)}% per CPU-second (raw req/s ${(raw * 100).toFixed(1)}%)`;
        out.push({ pass: ratio >= keep, label, detail });
      } else out.push({ pass: false, label, detail: 'not measured' });
      const ghRing = find(fw, 'gatehouse', alg, 'ring');
      const peerRing = find(fw, 'peer', alg, 'ring');
      if (!peerRing) continue; // the peer does not support this algorithm
      const ringLabel = `${fw} ${alg} 10k-token ring: gatehouse >= ${RING_TARGET}x the peer`;
      if (ghRing) {
        const ratio = pairedRatio(ghRing, peerRing, (s) => s.capacity);
        const raw = pairedRatio(ghRing, peerRing, (s) => s.reqPerSec);
        const detail = `${ratio.toFixed(2)}x per CPU-second (raw req/s ${raw.toFixed(2)}x)`;
        out.push({ pass: ratio >= RING_TARGET, label: ringLabel, detail });
      } else out.push({ pass: false, label: ringLabel, detail: 'not measured' });
    }
  }
  return out;
}
