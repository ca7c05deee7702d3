/**
 * Load generation with autocannon (closed loop at a fixed concurrency, or paced at an offered
 * rate for the open-loop sweep), in the parent process, against 127.0.0.1.
 */
import { createRequire } from 'node:module';

/** One request of a scenario; `setupRequest` and `onResponse` get the connection's context. */
export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: RequestSpec, context: Record<string, unknown>) => RequestSpec;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}

interface Histogram {
  average: number;
  total: number;
  p50: number;
  p99: number;
  p99_9: number;
}

interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  '2xx': number;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  overallRate?: number;
  requests: RequestSpec[];
}

// autocannon ships no types; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as (
  o: AutocannonOptions,
) => Promise<AutocannonResult>;

/** Throughput, latency percentiles and the error rate of one run. */
export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  errorRate: number;
  requests: number;
}

/** What to run: the target, its request(s), how many connections, for how long. */
export interface LoadSpec {
  url: string;
  requests: RequestSpec[];
  connections: number;
  durationS: number;
  /** Offered rate (requests/s over all connections) for the open-loop sweep. */
  rate?: number;
}

/**
 * Runs one bounded load and summarises it. Successful means 2xx: anything else (4xx, 5xx,
 * socket errors, timeouts) counts in `errorRate`.
 *
 * @example
 * ```ts
 * const r = await runLoad({ url, requests: [{ method: 'GET', path: '/healthz' }], connections: 50, durationS: 5 });
 * ```
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const options: AutocannonOptions = {
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationS,
    timeout: 10,
    requests: spec.requests,
  };
  if (spec.rate !== undefined) options.overallRate = spec.rate;
  const r = await autocannon(options);
  const ok = r['2xx'];
  const attempted = ok + r.non2xx + r.errors + r.timeouts;
  return {
    reqPerSec: Math.round(ok / r.duration),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    p999Ms: r.latency.p99_9,
    errorRate: attempted === 0 ? 1 : Math.round(((attempted - ok) / attempted) * 10_000) / 10_000,
    requests: attempted,
  };
}
