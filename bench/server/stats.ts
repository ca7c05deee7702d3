/**
 * What a benchmarked server process reports about itself over IPC: event-loop delay
 * (monitorEventLoopDelay, reset at the start of each measured run) and resident memory.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Event-loop delay percentiles (ms) and RSS (MB) of one measured run. */
export interface ProcessStats {
  eventLoopP50Ms: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  rssMb: number;
}

/** Parent → child: begin a measured run, end it (the child answers with its stats), or exit. */
export type StatsRequest = { type: 'start' } | { type: 'stop' } | { type: 'exit' };
/** Child → parent. */
export type StatsReply = { type: 'stats'; stats: ProcessStats };

const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;

/**
 * Answers `start`/`stop` messages from the parent process with this process's event-loop
 * delay and RSS. Call once in a benchmarked child.
 *
 * @example
 * ```ts
 * serveStats(); // in the child; the parent sends { type: 'start' } then { type: 'stop' }
 * ```
 */
export function serveStats(): void {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  sampler.unref();
  process.on('message', (message: StatsRequest) => {
    // A normal exit (flushes --cpu-prof output when profiling a host).
    if (message.type === 'exit') process.exit(0);
    if (message.type === 'start') {
      histogram.reset();
      peakRss = process.memoryUsage.rss();
    } else if (message.type === 'stop') {
      const reply: StatsReply = {
        type: 'stats',
        stats: {
          eventLoopP50Ms: ms(histogram.percentile(50)),
          eventLoopP99Ms: ms(histogram.percentile(99)),
          eventLoopMaxMs: ms(histogram.max),
          rssMb: Math.round(Math.max(peakRss, process.memoryUsage.rss()) / 1048576),
        },
      };
      process.send?.(reply);
    }
  });
}
