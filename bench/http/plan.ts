/** The cells of the HTTP benchmark: framework × auth variant × algorithm × token mix. */
import { formatInt } from '../lib/machine.js';
import type { BenchAlg } from '../lib/raw-jws.js';
import type { AuthKind, Framework } from './protocol.js';

export const MIXES = ['repeated', 'ring'] as const;
export type Mix = (typeof MIXES)[number];

export interface Cell {
  framework: Framework;
  auth: AuthKind;
  alg: BenchAlg;
  mix: Mix;
  deny: number;
  variant: string;
  /** Gatehouse ring cells: a cache smaller than the ring, so every request takes the miss path. */
  cacheMax?: number;
}

export const PEER_NAME: Record<Framework, string> = { express: 'express-jwt', fastify: '@fastify/jwt' };

/** express-jwt sits on jsonwebtoken, which has no EdDSA. */
export function peerSupports(fw: Framework, alg: BenchAlg): boolean {
  return !(fw === 'express' && alg === 'EdDSA');
}

/**
 * Every cell of one framework. With the ring, Gatehouse's cache is set to half the ring: with
 * its default (10,000 entries) a cyclic ring of 10,000 tokens would fit and every request
 * would hit, and the ring exists to measure the miss path (verify + cache insert + eviction).
 */
export function planCells(
  framework: Framework,
  algs: readonly BenchAlg[],
  mixes: readonly Mix[],
  ringSize: number,
  denyCount: number,
): Cell[] {
  const cells: Cell[] = [];
  const denyAlg: BenchAlg = algs.includes('ES256') ? 'ES256' : algs[0]!;
  const ringCache = (mix: Mix) => (mix === 'ring' ? { cacheMax: Math.max(1, Math.floor(ringSize / 2)) } : {});
  cells.push({ framework, auth: 'none', alg: denyAlg, mix: 'repeated', deny: 0, variant: 'no auth' });
  for (const alg of algs) {
    for (const mix of mixes) {
      cells.push({
        framework,
        auth: 'gatehouse',
        alg,
        mix,
        deny: 0,
        variant: `gatehouse ${alg}`,
        ...ringCache(mix),
      });
      if (peerSupports(framework, alg)) {
        cells.push({ framework, auth: 'peer', alg, mix, deny: 0, variant: `${PEER_NAME[framework]} ${alg}` });
      }
    }
  }
  if (denyCount > 0) {
    for (const mix of mixes) {
      const variant = `gatehouse ${denyAlg} + ${formatInt(denyCount)} deny entries`;
      cells.push({
        framework,
        auth: 'gatehouse',
        alg: denyAlg,
        mix,
        deny: denyCount,
        variant,
        ...ringCache(mix),
      });
    }
  }
  return cells;
}
