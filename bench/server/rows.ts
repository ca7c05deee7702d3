/** The row format of `npm run bench:server -- --json`, and how a measured run becomes one. */
import type { LoadResult } from './load.js';
import type { ProcessStats } from './stats.js';

export type Op = 'login' | 'refresh' | 'me' | 'protected';
export type System = 'gatehouse' | 'gatehouse-postgres' | 'baseline';

/** One result row. Rates are successful (2xx) requests per second. */
export interface Row extends LoadResult, ProcessStats {
  op: Op;
  system: System;
  /** The web framework of the measured server. */
  framework: 'fastify' | 'express';
  connections: number;
  durationS: number;
  /** Sessions in storage when the run started. */
  sessions: number;
  /**
   * Login rows of Gatehouse: throughput / argon2id limit of this machine, measured with every
   * core hashing right before the login run (`argon2LimitPerSec`).
   */
  argon2LimitRatio?: number;
  argon2LimitPerSec?: number;
  /** Throughput / cores × single-hash time measured on the idle machine at the start. */
  argon2SerialLimitRatio?: number;
  /** Protected rows: the same route on the same framework without authentication. */
  noAuthReqPerSec?: number;
  /** Protected rows: reqPerSec / noAuthReqPerSec. */
  noAuthRatio?: number;
}

/** One point of the open-loop sweep: offered rate → achieved rate and latency. */
export interface SweepPoint {
  op: Op;
  system: System;
  offeredPerSec: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errorRate: number;
}

/** The machine and the argon2id measurement the login target is judged against. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
  date: string;
  argon2: {
    memoryCost: number;
    timeCost: number;
    parallelism: number;
    /** One verification on the idle machine, and cores / that time. */
    verifyMs: number;
    limitPerSec: number;
    /** Mean time per verification with every core verifying, and the throughput that gives. */
    parallelVerifyMs: number;
    parallelLimitPerSec: number;
  };
}

/** Everything one run produced (what `--json` prints, and what the charts are made from). */
export interface Report {
  quick: boolean;
  machine: Machine;
  rows: Row[];
  sweep: SweepPoint[];
}

/**
 * Builds a row from a load result and the server's stats.
 *
 * @example
 * ```ts
 * const row = toRow({ op: 'me', system: 'gatehouse', framework: 'fastify', connections: 32, durationS: 5, sessions: 0 }, result, stats);
 * ```
 */
export function toRow(
  head: Pick<Row, 'op' | 'system' | 'framework' | 'connections' | 'durationS' | 'sessions'>,
  result: LoadResult,
  stats: ProcessStats,
): Row {
  return { ...head, ...result, ...stats };
}
