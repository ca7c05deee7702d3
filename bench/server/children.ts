/** Starting the benchmarked server processes and collecting their stats over IPC. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProcessStats, StatsReply } from './stats.js';

/** The user the login run logs in as (created by host-gatehouse.ts with OWASP argon2id). */
export const BENCH_USER = 'bench-user';
export const BENCH_PASSWORD = 'correct horse battery staple';

/** A running benchmarked process. */
export interface Host<Ready> {
  ready: Ready;
  /** Runs `load` between a stats start and stop; resolves to its result and the stats. */
  measure<T>(load: () => Promise<T>): Promise<{ result: T; stats: ProcessStats }>;
  stop(): Promise<void>;
}

/**
 * Forks `bench/server/<file>` under tsx with `args`; resolves when it sends its ready message.
 *
 * @example
 * ```ts
 * const host = await startHost<{ urls: Record<string, string> }>('host-baseline.ts', ['1000']);
 * ```
 */
export function startHost<Ready>(
  file: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Host<Ready>> {
  const path = fileURLToPath(new URL(`./${file}`, import.meta.url));
  const child: ChildProcess = fork(path, args, {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
    child.once('message', (message: Ready & { type: string }) => {
      if (message.type !== 'ready') return reject(new Error(`${file}: unexpected ${message.type}`));
      resolve({
        ready: message,
        async measure(load) {
          child.send({ type: 'start' });
          const result = await load();
          const stats = new Promise<ProcessStats>((done) => {
            const onMessage = (m: StatsReply) => {
              if (m.type !== 'stats') return;
              child.off('message', onMessage);
              done(m.stats);
            };
            child.on('message', onMessage);
          });
          child.send({ type: 'stop' });
          return { result, stats: await stats };
        },
        async stop() {
          child.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}
