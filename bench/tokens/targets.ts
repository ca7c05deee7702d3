/** The targets of issue 2, checked as ratios measured side by side in the same run. */
import { type CaseResult, pairedRatio } from '../lib/harness.js';
import type { BenchAlg } from '../lib/raw-jws.js';
import { FLOOR } from './peers.js';

/** Gatehouse / floor ceilings (sign and verify alike). Other algorithms are reported, not targeted. */
export const FLOOR_TARGETS: Partial<Record<BenchAlg, number>> = {
  HS256: 1.8,
  RS256: 1.15,
  PS256: 1.15,
  ES256: 1.1,
  EdDSA: 1.1,
};

/** fast-jwt cache hit / gatehouse cache hit must be at least this. */
export const CACHE_SPEEDUP_TARGET = 3;

const PEERS = ['jose', 'fast-jwt', 'jsonwebtoken'];
const GATEHOUSE_UNCACHED = ['gatehouse', 'gatehouse (prepared)'];

export interface TargetResult {
  pass: boolean;
  label: string;
  detail: string;
}

/** Evaluates every target that applies to one (alg, op) group. */
export function checkGroup(
  alg: BenchAlg,
  op: 'sign' | 'verify',
  results: readonly CaseResult[],
): TargetResult[] {
  const byName = new Map(results.map((r) => [r.name, r]));
  const floor = byName.get(FLOOR);
  const out: TargetResult[] = [];
  const ceiling = FLOOR_TARGETS[alg];
  for (const name of GATEHOUSE_UNCACHED) {
    const gh = byName.get(name);
    if (!gh) continue;
    if (floor && ceiling !== undefined) {
      const ratio = pairedRatio(gh, floor);
      out.push({
        pass: ratio <= ceiling,
        label: `${alg} ${op}: ${name} within ${ceiling}x of the floor`,
        detail: `${ratio.toFixed(3)}x`,
      });
    }
    for (const peer of PEERS) {
      const p = byName.get(peer);
      if (!p) continue;
      const ratio = pairedRatio(p, gh);
      out.push({
        pass: ratio > 1,
        label: `${alg} ${op}: ${name} faster than ${peer}`,
        detail: `${peer} takes ${ratio.toFixed(2)}x as long`,
      });
    }
  }
  const ghHit = byName.get('gatehouse (cache hit)');
  const fjHit = byName.get('fast-jwt (cache hit)');
  if (ghHit && fjHit) {
    const ratio = pairedRatio(fjHit, ghHit);
    out.push({
      pass: ratio >= CACHE_SPEEDUP_TARGET,
      label: `${alg} ${op}: gatehouse cache hit ${CACHE_SPEEDUP_TARGET}x faster than fast-jwt's`,
      detail: `${ratio.toFixed(2)}x`,
    });
  }
  return out;
}
