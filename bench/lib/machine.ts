/** A one-line description of the machine a benchmark ran on (for tables kept in docs/). */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';

/**
 * CPU model (from /proc/cpuinfo when available), core count, Node version and the UTC date.
 *
 * @example
 * ```ts
 * describeMachine(); // 'AMD EPYC, 2 cores, Node v20.20.2, linux/x64, 2026-11-23T16:41:14Z'
 * ```
 */
export function describeMachine(): string {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) model = line.split(':')[1]?.trim() ?? model;
  } catch {
    // Not Linux: os.cpus() is good enough.
  }
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return `${model}, ${availableParallelism()} cores, Node ${process.version}, ${process.platform}/${process.arch}, ${date}`;
}

/** Formats nanoseconds for humans: `812 ns`, `5.31 µs`, `1.20 ms`. */
export function formatNs(ns: number): string {
  if (ns < 1000) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1000).toFixed(2)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}

/** Formats an integer with thousands separators. */
export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * The 1-minute load average against the core count: benchmarks on a shared machine are only
 * as good as its quietness, so every report says how busy it was.
 */
export function describeLoad(): string {
  const [one] = loadavg();
  return `load average ${(one ?? 0).toFixed(2)} on ${availableParallelism()} cores`;
}
